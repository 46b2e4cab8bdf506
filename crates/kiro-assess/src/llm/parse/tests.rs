#![allow(clippy::unwrap_used, clippy::panic)]

use serde_json::json;

use super::*;
use crate::analysis;

const PAGE_1: &str = "Photosynthesis is the process by which green plants convert light energy \
into chemical energy. Chlorophyll is the pigment that absorbs light in the chloroplasts of plant \
cells. The Calvin cycle uses carbon dioxide to build glucose in the stroma of the chloroplast.";
const PAGE_2: &str = "Cellular respiration is the process that releases energy from glucose in \
the mitochondria of cells. Mitochondria are the organelles that produce most of the ATP of the \
cell through oxidative phosphorylation.";

fn fixture() -> (Document, Analysis) {
    let doc = Document::from_pages(vec![PAGE_1.to_owned(), PAGE_2.to_owned()]);
    let analysis = analysis::analyze(&doc);
    (doc, analysis)
}

fn options(count: usize) -> GenerateOptions {
    GenerateOptions {
        count,
        types: Vec::new(),
        difficulty: None,
        seed: 7,
    }
}

fn cloze(topic: &str, page: u32) -> serde_json::Value {
    json!({
        "type": "cloze",
        "text": "_____ is the pigment that absorbs light in the chloroplasts of plant cells.",
        "options": [],
        "correctAnswer": "Chlorophyll",
        "difficulty": "easy",
        "topic": topic,
        "learningObjective": "",
        "sourcePage": page,
        "sourceSentence": "Chlorophyll is the pigment that absorbs light in the chloroplasts of plant cells.",
        "explanation": "",
        "rubric": []
    })
}

fn true_false(topic: &str) -> serde_json::Value {
    json!({
        "type": "true-false",
        "text": "Mitochondria produce most of the ATP of the cell.",
        "options": ["True", "False"],
        "correctAnswer": "True",
        "difficulty": "medium",
        "topic": topic,
        "learningObjective": "Recall where ATP is produced",
        "sourcePage": 2,
        "sourceSentence": "Mitochondria are the organelles that produce most of the ATP of the cell through oxidative phosphorylation.",
        "explanation": "Page 2 says so.",
        "rubric": []
    })
}

#[test]
fn a_valid_reply_becomes_questions_with_the_documents_page_and_topic() {
    let (doc, analysis) = fixture();
    let topic = analysis.topics[0].name.to_uppercase();
    let reply = json!({"questions": [cloze(&topic, 2), true_false(&topic)]}).to_string();
    let parsed = parse_questions(&reply, &doc, &analysis, &options(2)).unwrap();
    assert_eq!(parsed.questions.len(), 2);
    let q = &parsed.questions[0];
    assert_eq!(q.id, "q-1");
    assert_eq!(
        q.source.page, 1,
        "the page is corrected to where the sentence is"
    );
    assert_eq!(q.topic, analysis.topics[0].name);
    assert!(!q.learning_objective.is_empty());
    assert!(q.explanation.contains("Chlorophyll"));
    assert!((parsed.confidence - 1.0).abs() < 1e-9);
}

#[test]
fn a_fenced_reply_is_read_and_extra_questions_are_cut() {
    let (doc, analysis) = fixture();
    let topic = analysis.topics[0].name.clone();
    let reply = format!(
        "```json\n{}\n```",
        json!({"questions": [cloze(&topic, 1), true_false(&topic)]})
    );
    let parsed = parse_questions(&reply, &doc, &analysis, &options(1)).unwrap();
    assert_eq!(parsed.questions.len(), 1);
}

#[test]
fn invented_sentences_unknown_topics_and_bad_options_are_rejected() {
    let (doc, analysis) = fixture();
    let topic = analysis.topics[0].name.clone();
    let mut invented = cloze(&topic, 1);
    invented["sourceSentence"] = json!("Chlorophyll is purple and lives on the moon.");
    let mut unknown = true_false("Astrology");
    unknown["text"] = json!("Something else entirely about the cell.");
    let three_options = json!({
        "type": "multiple-choice",
        "text": "Which pigment absorbs light in the chloroplasts of plant cells?",
        "options": ["Chlorophyll", "glucose", "ATP"],
        "correctAnswer": "Chlorophyll",
        "difficulty": "easy",
        "topic": topic,
        "learningObjective": "",
        "sourcePage": 1,
        "sourceSentence": "Chlorophyll is the pigment that absorbs light in the chloroplasts of plant cells.",
        "explanation": "",
        "rubric": []
    });
    for (bad, reason) in [
        (invented, "not in the document"),
        (unknown, "not one of the document's topics"),
        (three_options, "needs 4 options"),
    ] {
        let reply = json!({"questions": [bad]}).to_string();
        match parse_questions(&reply, &doc, &analysis, &options(1)) {
            Err(ParseError::TooFew {
                valid: 0,
                reason: r,
                ..
            }) => {
                assert!(r.contains(reason), "{r}")
            }
            other => panic!("expected TooFew, got {other:?}"),
        }
    }
}

#[test]
fn duplicates_and_kinds_not_asked_for_do_not_count() {
    let (doc, analysis) = fixture();
    let topic = analysis.topics[0].name.clone();
    let reply = json!({"questions": [cloze(&topic, 1), cloze(&topic, 1)]}).to_string();
    assert!(matches!(
        parse_questions(&reply, &doc, &analysis, &options(2)),
        Err(ParseError::TooFew { valid: 1, .. })
    ));
    let only_essays = GenerateOptions {
        types: vec![QuestionType::Essay],
        ..options(1)
    };
    let reply = json!({"questions": [cloze(&topic, 1)]}).to_string();
    assert!(matches!(
        parse_questions(&reply, &doc, &analysis, &only_essays),
        Err(ParseError::TooFew { valid: 0, .. })
    ));
}

#[test]
fn text_that_is_not_the_schema_is_malformed() {
    let (doc, analysis) = fixture();
    for reply in ["Sure! Here are your questions:", "{\"items\": []}", ""] {
        assert!(matches!(
            parse_questions(reply, &doc, &analysis, &options(1)),
            Err(ParseError::Malformed(_))
        ));
    }
}
