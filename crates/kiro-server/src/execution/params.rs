//! Script parameters: checking a script's declaration (names, types, defaults) and an
//! execution's values against it, and how the values reach the program — as arguments
//! `--<name>=<value>` in declaration order and as variables `KIRO_PARAM_<NAME>` (the name
//! upper-cased). A parameter neither given nor defaulted is passed neither way.

use std::collections::{BTreeMap, BTreeSet};

use kiro_types::FieldError;
use kiro_types::execution::{ParameterType, ScriptParameter};
use serde_json::Value;

/// Most parameters one script may declare.
pub const MAX_PARAMETERS: usize = 32;
/// The prefix of a parameter's environment variable.
pub const ENV_PREFIX: &str = "KIRO_PARAM_";
/// The longest value of one parameter, in bytes, as passed.
const MAX_VALUE_BYTES: usize = 4096;

fn field(field: String, message: impl Into<String>) -> FieldError {
    FieldError {
        field,
        message: message.into(),
    }
}

fn valid_name(name: &str) -> bool {
    let mut chars = name.chars();
    name.len() <= 64
        && chars
            .next()
            .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// `value` as the program sees it, when it is of type `kind`.
fn render(kind: ParameterType, value: &Value) -> Option<String> {
    match (kind, value) {
        (ParameterType::String, Value::String(s)) => Some(s.clone()),
        (ParameterType::Integer, Value::Number(n)) if n.is_i64() || n.is_u64() => {
            Some(n.to_string())
        }
        (ParameterType::Number, Value::Number(n)) => Some(n.to_string()),
        (ParameterType::Boolean, Value::Bool(b)) => Some(b.to_string()),
        _ => None,
    }
}

fn type_message(kind: ParameterType) -> String {
    let example = match kind {
        ParameterType::String => "\"text\"",
        ParameterType::Integer => "42",
        ParameterType::Number => "2.5",
        ParameterType::Boolean => "true",
    };
    format!("must be a JSON {}, e.g. {example}", kind.as_str())
}

/// Problems of a declaration, under `parameters[i].…`.
pub fn check_declaration(parameters: &[ScriptParameter]) -> Vec<FieldError> {
    let mut problems = Vec::new();
    if parameters.len() > MAX_PARAMETERS {
        problems.push(field(
            "parameters".into(),
            format!("at most {MAX_PARAMETERS} parameters"),
        ));
    }
    let mut seen = BTreeSet::new();
    for (i, p) in parameters.iter().enumerate() {
        if !valid_name(&p.name) {
            problems.push(field(
                format!("parameters[{i}].name"),
                "use 1 to 64 of A-Z, a-z, 0-9 and `_`, not starting with a digit",
            ));
        } else if !seen.insert(p.name.to_ascii_uppercase()) {
            problems.push(field(
                format!("parameters[{i}].name"),
                format!(
                    "`{}` is declared twice (names must differ ignoring case: they become \
                     {ENV_PREFIX}<NAME>)",
                    p.name
                ),
            ));
        }
        if let Some(default) = &p.default {
            match render(p.kind, default) {
                Some(text) if text.len() <= MAX_VALUE_BYTES && !text.contains('\0') => {}
                Some(_) => problems.push(field(
                    format!("parameters[{i}].default"),
                    format!("at most {MAX_VALUE_BYTES} bytes, without NUL"),
                )),
                None => problems.push(field(
                    format!("parameters[{i}].default"),
                    type_message(p.kind),
                )),
            }
        }
    }
    problems
}

/// What the program receives for one execution.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Passed {
    /// `--name=value`, in declaration order.
    pub args: Vec<String>,
    /// `KIRO_PARAM_<NAME>` → value.
    pub env: BTreeMap<String, String>,
}

/// Checks `values` against `parameters` (unknown names, missing required ones, wrong
/// types: every problem at once, under `parameters.<name>`) and renders them.
pub fn bind(
    parameters: &[ScriptParameter],
    values: &BTreeMap<String, Value>,
) -> Result<Passed, Vec<FieldError>> {
    let mut problems = Vec::new();
    let declared: BTreeSet<&str> = parameters.iter().map(|p| p.name.as_str()).collect();
    for name in values.keys().filter(|n| !declared.contains(n.as_str())) {
        let known: Vec<&str> = parameters.iter().map(|p| p.name.as_str()).collect();
        problems.push(field(
            format!("parameters.{name}"),
            format!(
                "the script declares no parameter `{name}`; it takes: {}",
                if known.is_empty() {
                    "none".to_owned()
                } else {
                    known.join(", ")
                }
            ),
        ));
    }
    let mut passed = Passed::default();
    for p in parameters {
        let Some(value) = values.get(&p.name).or(p.default.as_ref()) else {
            if p.required {
                problems.push(field(
                    format!("parameters.{}", p.name),
                    format!("required: give a {}", p.kind.as_str()),
                ));
            }
            continue;
        };
        match render(p.kind, value) {
            Some(text) if text.len() > MAX_VALUE_BYTES || text.contains('\0') => {
                problems.push(field(
                    format!("parameters.{}", p.name),
                    format!("at most {MAX_VALUE_BYTES} bytes, without NUL"),
                ));
            }
            Some(text) => {
                passed.args.push(format!("--{}={text}", p.name));
                passed
                    .env
                    .insert(format!("{ENV_PREFIX}{}", p.name.to_ascii_uppercase()), text);
            }
            None => problems.push(field(
                format!("parameters.{}", p.name),
                type_message(p.kind),
            )),
        }
    }
    if problems.is_empty() {
        Ok(passed)
    } else {
        Err(problems)
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use serde_json::json;

    use super::*;

    fn param(
        name: &str,
        kind: ParameterType,
        required: bool,
        default: Option<Value>,
    ) -> ScriptParameter {
        ScriptParameter {
            name: name.into(),
            kind,
            required,
            default,
            description: None,
        }
    }

    fn declared() -> Vec<ScriptParameter> {
        vec![
            param("name", ParameterType::String, true, None),
            param("count", ParameterType::Integer, false, Some(json!(3))),
            param("ratio", ParameterType::Number, false, None),
            param("loud", ParameterType::Boolean, false, None),
        ]
    }

    #[test]
    fn values_pass_as_arguments_in_declaration_order_and_as_variables() {
        let values = BTreeMap::from([
            ("loud".to_owned(), json!(true)),
            ("name".to_owned(), json!("Ada Lovelace")),
        ]);
        let passed = bind(&declared(), &values).unwrap();
        assert_eq!(
            passed.args,
            ["--name=Ada Lovelace", "--count=3", "--loud=true"]
        );
        assert_eq!(passed.env["KIRO_PARAM_NAME"], "Ada Lovelace");
        assert_eq!(passed.env["KIRO_PARAM_COUNT"], "3");
        assert!(!passed.env.contains_key("KIRO_PARAM_RATIO"));
    }

    #[test]
    fn unknown_missing_and_mistyped_values_are_all_named() {
        let values = BTreeMap::from([
            ("count".to_owned(), json!(2.5)),
            ("ratio".to_owned(), json!("x")),
            ("colour".to_owned(), json!("red")),
        ]);
        let fields: Vec<String> = bind(&declared(), &values)
            .unwrap_err()
            .into_iter()
            .map(|f| f.field)
            .collect();
        assert_eq!(
            fields,
            [
                "parameters.colour",
                "parameters.name",
                "parameters.count",
                "parameters.ratio"
            ]
        );
    }

    #[test]
    fn declarations_need_distinct_names_and_defaults_of_their_type() {
        let bad = vec![
            param("n", ParameterType::Integer, false, Some(json!("seven"))),
            param("N", ParameterType::String, false, None),
            param("9lives", ParameterType::String, false, None),
        ];
        let fields: Vec<String> = check_declaration(&bad)
            .into_iter()
            .map(|f| f.field)
            .collect();
        assert_eq!(
            fields,
            [
                "parameters[0].default",
                "parameters[1].name",
                "parameters[2].name"
            ]
        );
        assert!(check_declaration(&declared()).is_empty());
    }
}
