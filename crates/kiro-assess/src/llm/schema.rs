//! The shape a model's reply must have, in the two dialects providers accept: JSON Schema for
//! OpenAI-compatible servers (`response_format: json_schema`, strict: every property
//! required, no others) and the OpenAPI subset of Gemini's `responseSchema` (upper-case
//! types, `propertyOrdering`). The question schemas describe `{"questions": [Reply…]}` with
//! the fields [`super::parse`] reads; the essay schemas one mark, the fields
//! [`super::essay`] reads.

use serde_json::{Value, json};

/// The kinds a model may write, as the wire spells them.
const KINDS: [&str; 5] = [
    "multiple-choice",
    "true-false",
    "short-answer",
    "cloze",
    "essay",
];
const DIFFICULTIES: [&str; 3] = ["easy", "medium", "hard"];
/// Every field of one question, in the order the model should write them.
const FIELDS: [&str; 11] = [
    "type",
    "text",
    "options",
    "correctAnswer",
    "difficulty",
    "topic",
    "learningObjective",
    "sourcePage",
    "sourceSentence",
    "explanation",
    "rubric",
];

/// A field's type in a dialect-neutral form.
enum Field {
    Text,
    Enum(&'static [&'static str]),
    Integer,
    Texts,
}

fn field(name: &str) -> Field {
    match name {
        "type" => Field::Enum(&KINDS),
        "difficulty" => Field::Enum(&DIFFICULTIES),
        "sourcePage" => Field::Integer,
        "options" | "rubric" => Field::Texts,
        _ => Field::Text,
    }
}

/// JSON Schema (draft 2020-12 subset that strict structured output accepts).
pub fn json_schema() -> Value {
    let mut properties = serde_json::Map::new();
    for name in FIELDS {
        let schema = match field(name) {
            Field::Text => json!({"type": "string"}),
            Field::Enum(values) => json!({"type": "string", "enum": values}),
            Field::Integer => json!({"type": "integer"}),
            Field::Texts => json!({"type": "array", "items": {"type": "string"}}),
        };
        properties.insert(name.to_owned(), schema);
    }
    json!({
        "type": "object",
        "properties": {
            "questions": {
                "type": "array",
                "items": {
                    "type": "object",
                    "properties": properties,
                    "required": FIELDS,
                    "additionalProperties": false
                }
            }
        },
        "required": ["questions"],
        "additionalProperties": false
    })
}

/// Gemini's `responseSchema` (an OpenAPI 3.0 Schema subset).
pub fn gemini_schema() -> Value {
    let mut properties = serde_json::Map::new();
    for name in FIELDS {
        let schema = match field(name) {
            Field::Text => json!({"type": "STRING"}),
            Field::Enum(values) => json!({"type": "STRING", "format": "enum", "enum": values}),
            Field::Integer => json!({"type": "INTEGER"}),
            Field::Texts => json!({"type": "ARRAY", "items": {"type": "STRING"}}),
        };
        properties.insert(name.to_owned(), schema);
    }
    json!({
        "type": "OBJECT",
        "properties": {
            "questions": {
                "type": "ARRAY",
                "items": {
                    "type": "OBJECT",
                    "properties": properties,
                    "required": FIELDS,
                    "propertyOrdering": FIELDS
                }
            }
        },
        "required": ["questions"]
    })
}

/// JSON Schema of an essay mark.
pub fn essay_json_schema() -> Value {
    json!({
        "type": "object",
        "properties": {
            "credit": {"type": "number"},
            "coveredTerms": {"type": "array", "items": {"type": "string"}},
            "feedback": {"type": "string"}
        },
        "required": ["credit", "coveredTerms", "feedback"],
        "additionalProperties": false
    })
}

/// Gemini's `responseSchema` of an essay mark.
pub fn essay_gemini_schema() -> Value {
    json!({
        "type": "OBJECT",
        "properties": {
            "credit": {"type": "NUMBER"},
            "coveredTerms": {"type": "ARRAY", "items": {"type": "STRING"}},
            "feedback": {"type": "STRING"}
        },
        "required": ["credit", "coveredTerms", "feedback"],
        "propertyOrdering": ["credit", "coveredTerms", "feedback"]
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_dialects_require_every_field_of_a_question() {
        for (schema, items) in [
            (json_schema(), "/properties/questions/items"),
            (gemini_schema(), "/properties/questions/items"),
        ] {
            let item = schema.pointer(items).cloned().unwrap_or_default();
            let required: Vec<&str> = item["required"]
                .as_array()
                .map(|a| a.iter().filter_map(Value::as_str).collect())
                .unwrap_or_default();
            assert_eq!(required, FIELDS);
            assert_eq!(item["properties"].as_object().map(|o| o.len()), Some(11));
        }
        assert_eq!(json_schema()["additionalProperties"], false);
        assert_eq!(gemini_schema()["type"], "OBJECT");
    }
}
