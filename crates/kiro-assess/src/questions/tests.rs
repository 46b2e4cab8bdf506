#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use super::*;
use crate::analysis::analyze;

fn physics() -> Document {
    Document::from_pages(vec![
        "1 Electric Fields\nAn electric field is a region where an electric charge feels a force from other charges. The electric field points away from every positive charge and towards negative charges. Field lines are drawn to show the direction of the electric field around a charge.".into(),
        "2 Magnetic Fields\nA magnetic field surrounds every magnet and every wire that carries a current. Moving charges feel a sideways force when they travel through a magnetic field. The magnetic field of the Earth protects living things from the solar wind.".into(),
        "3 Induction\nElectromagnetic induction creates an electric current when the magnetic field through a coil changes. Michael Faraday discovered electromagnetic induction in 1831 while working in London. Power stations use electromagnetic induction in large generators to make electricity.".into(),
    ])
}

fn opts(count: usize, seed: u64) -> GenerateOptions {
    GenerateOptions {
        count,
        types: Vec::new(),
        difficulty: None,
        seed,
    }
}

#[test]
fn generated_questions_validate_and_are_distinct() {
    let doc = physics();
    let a = analyze(&doc);
    let g = generate(&doc, &a, &opts(5, 1));
    assert_eq!(g.questions.len(), 5, "{:#?}", g.questions);
    for q in &g.questions {
        validate(q, &doc).unwrap_or_else(|e| panic!("{e}: {q:#?}"));
    }
    let mut sources: Vec<&str> = g
        .questions
        .iter()
        .map(|q| q.source.sentence.as_str())
        .collect();
    sources.sort_unstable();
    sources.dedup();
    assert_eq!(sources.len(), 5);
    assert!((0.0..=1.0).contains(&g.confidence) && g.confidence > 0.0);
}

#[test]
fn the_types_filter_is_honoured() {
    let doc = physics();
    let a = analyze(&doc);
    let g = generate(
        &doc,
        &a,
        &GenerateOptions {
            types: vec![QuestionType::Cloze],
            ..opts(3, 2)
        },
    );
    assert!(!g.questions.is_empty());
    assert!(g.questions.iter().all(|q| q.kind == QuestionType::Cloze));
}

#[test]
fn validate_rejects_broken_questions() {
    let doc = physics();
    let a = analyze(&doc);
    let g = generate(
        &doc,
        &a,
        &GenerateOptions {
            types: vec![QuestionType::MultipleChoice],
            ..opts(1, 3)
        },
    );
    let mut q = g.questions.into_iter().next().unwrap();
    let mut dup = q.clone();
    if let Some(o) = dup.options.as_mut() {
        o[0] = o[1].to_uppercase();
    }
    assert!(validate(&dup, &doc).is_err());
    q.source.page = 99;
    assert!(validate(&q, &doc).is_err());
    q.source.page = 1;
    q.correct_answer = Some("quantum chromodynamics".into());
    assert!(validate(&q, &doc).is_err());
}

#[test]
fn empty_documents_give_no_questions() {
    let doc = Document::from_pages(vec![String::new()]);
    let g = generate(&doc, &analyze(&doc), &opts(5, 1));
    assert!(g.questions.is_empty());
    assert_eq!(g.confidence, 0.0);
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(200))]

    /// The distractor pool's word-list lookup answers as `text::contains_phrase` would.
    #[test]
    fn word_list_lookup_agrees_with_contains_phrase(
        text in proptest::collection::vec(
            proptest::sample::select(vec!["Field", "field", "lines", "Faraday's", "a", "E=mc2", "Öl", "—", "."]),
            0..40,
        ),
        phrase in proptest::collection::vec(
            proptest::sample::select(vec!["field", "LINES", "faraday's", "a", "öl", "e=mc2"]),
            0..4,
        ),
    ) {
        let text = text.join(" ");
        let phrase = phrase.join(" ");
        let words: Vec<String> = text::words(&text).iter().map(|w| w.to_lowercase()).collect();
        proptest::prop_assert_eq!(
            contains_words(&words, &phrase),
            text::contains_phrase(&text, &phrase)
        );
    }
}
