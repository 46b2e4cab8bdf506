//! Question generation on real text: the corpus PDFs read with `pdftotext` (skipped when it is
//! missing) and a built-in English fixture, plus a property test on random sentence soups.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::HashSet;
use std::process::Command;

use kiro_assess::Document;
use kiro_assess::analysis::analyze;
use kiro_assess::questions::{GenerateOptions, generate, supported, validate};
use kiro_types::assessment::QuestionType;
use proptest::prelude::*;

const FIXTURE: &[&str] = &[
    "1 The Cell\nThe cell is the basic unit of life. Every living organism is made of one or more cells. The cell membrane is a thin layer that controls what enters and leaves the cell. Inside the cell, the cytoplasm holds the organelles in place.",
    "2 The Nucleus\nThe nucleus is an organelle that contains the genetic material of the cell. DNA is stored in the nucleus as long chromosomes. The nucleus controls growth and reproduction by reading the genetic code. Robert Brown described the nucleus of plant cells in 1831.",
    "3 Energy\nMitochondria are organelles that release energy from glucose during cellular respiration. Cellular respiration uses oxygen and produces carbon dioxide as a waste product. Plant cells also contain chloroplasts, where photosynthesis turns light into chemical energy. For example, a leaf cell can hold dozens of chloroplasts.",
    "4 Transport\nDiffusion moves small molecules from high concentration to low concentration. Osmosis is the diffusion of water across a partially permeable membrane. Active transport uses energy from respiration to move molecules against a concentration gradient. The cell membrane contains protein channels that help active transport.",
];

fn fixture() -> Document {
    Document::from_pages(FIXTURE.iter().map(|s| (*s).to_owned()).collect())
}

fn pdf(name: &str) -> Option<Document> {
    let path = format!(
        "{}/../../../shared/corpus/pdf/{name}.pdf",
        env!("CARGO_MANIFEST_DIR")
    );
    let out = match Command::new("pdftotext")
        .args(["-enc", "UTF-8", &path, "-"])
        .output()
    {
        Ok(o) if o.status.success() => o,
        Ok(o) => {
            eprintln!(
                "skipping {name}: pdftotext failed: {}",
                String::from_utf8_lossy(&o.stderr)
            );
            return None;
        }
        Err(e) => {
            eprintln!("skipping {name}: pdftotext is not available ({e})");
            return None;
        }
    };
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    let mut pages: Vec<String> = text.split('\x0c').map(str::to_owned).collect();
    if pages.last().is_some_and(|p| p.trim().is_empty()) {
        pages.pop();
    }
    Some(Document::from_pages(pages))
}

fn opts(count: usize, seed: u64) -> GenerateOptions {
    GenerateOptions {
        count,
        types: Vec::new(),
        difficulty: None,
        seed,
    }
}

/// The checks every document must pass; `expect` is how many of 5 questions it must yield.
fn check(doc: &Document, label: &str, expect: usize) {
    let analysis = analyze(doc);
    assert!(!analysis.topics.is_empty(), "{label}: no topics");
    let first = generate(doc, &analysis, &opts(5, 42));
    assert!(
        first.questions.len() >= expect,
        "{label}: {} questions",
        first.questions.len()
    );
    for q in &first.questions {
        validate(q, doc).unwrap_or_else(|e| panic!("{label}: {e}: {q:#?}"));
        if let (Some(a), false) = (
            &q.correct_answer,
            q.kind.is_choice() || q.kind == QuestionType::Essay,
        ) {
            assert!(
                supported(a, &q.source.sentence, doc),
                "{label}: unsupported {a}"
            );
        }
    }
    let sources: HashSet<&str> = first
        .questions
        .iter()
        .map(|q| q.source.sentence.as_str())
        .collect();
    assert_eq!(
        sources.len(),
        first.questions.len(),
        "{label}: repeated source"
    );
    let texts: HashSet<&str> = first.questions.iter().map(|q| q.text.as_str()).collect();
    assert_eq!(texts.len(), first.questions.len(), "{label}: repeated text");
    assert_eq!(
        generate(doc, &analysis, &opts(5, 42)),
        first,
        "{label}: not deterministic"
    );
    assert_ne!(
        generate(doc, &analysis, &opts(5, 43)),
        first,
        "{label}: seed ignored"
    );
    let many = generate(doc, &analysis, &opts(20, 7));
    assert!(
        many.questions.len() >= first.questions.len(),
        "{label}: count 20"
    );
    for q in &many.questions {
        validate(q, doc).unwrap_or_else(|e| panic!("{label}: {e}: {q:#?}"));
    }
    let types = vec![QuestionType::TrueFalse, QuestionType::Cloze];
    let filtered = generate(
        doc,
        &analysis,
        &GenerateOptions {
            types: types.clone(),
            ..opts(6, 1)
        },
    );
    assert!(
        !filtered.questions.is_empty(),
        "{label}: filter gave nothing"
    );
    assert!(
        filtered.questions.iter().all(|q| types.contains(&q.kind)),
        "{label}: filter ignored"
    );
}

#[test]
fn the_built_in_fixture_yields_five_valid_questions() {
    check(&fixture(), "fixture", 5);
}

#[test]
fn english_corpus_pdfs_yield_five_valid_questions() {
    for name in ["12-einstein-electrodynamics", "17-R-intro"] {
        if let Some(doc) = pdf(name) {
            check(&doc, name, 5);
        }
    }
}

#[test]
fn german_and_russian_corpus_pdfs_behave() {
    if let Some(doc) = pdf("15-geotopo-de") {
        check(&doc, "15-geotopo-de", 5);
    }
    if let Some(doc) = pdf("18-debian-refcard-ru") {
        let analysis = analyze(&doc);
        assert!(!analysis.topics.is_empty());
        for q in generate(&doc, &analysis, &opts(5, 1)).questions {
            validate(&q, &doc).unwrap_or_else(|e| panic!("ru: {e}: {q:#?}"));
        }
    }
}

const WORDS: &[&str] = &[
    "the",
    "a",
    "cell",
    "energy",
    "is",
    "was",
    "field",
    "Faraday",
    "magnetic",
    "of",
    "in",
    "1905",
    "light",
    "speed",
    "and",
    "electron",
    "moves",
    "contains",
    "theory",
    "Einstein",
    "relativity",
    "Raum",
    "Пакет",
    "(ABC)",
    "is defined as",
    "for example",
    "x = y",
    ",",
    "3",
];

proptest! {
    #![proptest_config(ProptestConfig::with_cases(120))]
    #[test]
    fn generate_never_panics_and_every_question_validates(
        pages in prop::collection::vec(
            prop::collection::vec(prop::collection::vec(prop::sample::select(WORDS), 3..30), 1..8),
            1..4,
        ),
        seed in any::<u64>(),
        count in 1usize..12,
    ) {
        let pages: Vec<String> = pages
            .into_iter()
            .map(|sentences| sentences.into_iter().map(|s| {
                let mut t = s.join(" ");
                if let Some(f) = t.get(..1) { t = f.to_uppercase() + &t[1..]; }
                t + "."
            }).collect::<Vec<_>>().join(" "))
            .collect();
        let doc = Document::from_pages(pages);
        let analysis = analyze(&doc);
        let g = generate(&doc, &analysis, &opts(count, seed));
        prop_assert!(g.questions.len() <= count);
        for q in &g.questions {
            prop_assert!(validate(q, &doc).is_ok(), "{:?}: {:#?}", validate(q, &doc), q);
        }
    }
}
