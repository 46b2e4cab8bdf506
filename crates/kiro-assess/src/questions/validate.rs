//! The rules every question must meet, whichever engine wrote it: used on the local engine's
//! output in tests and to vet LLM output before it is stored.

use std::collections::HashSet;

use kiro_types::assessment::{Question, QuestionType};

use super::distractors::too_close;
use crate::Document;
use crate::text;

/// Checks a question; the error says which rule failed.
pub fn validate(question: &Question, document: &Document) -> Result<(), String> {
    if question.text.trim().is_empty() {
        return Err("the question text is empty".into());
    }
    if !document
        .pages
        .iter()
        .any(|p| p.number == question.source.page)
    {
        return Err(format!(
            "source page {} is not in the document",
            question.source.page
        ));
    }
    let answer = question
        .correct_answer
        .as_deref()
        .map(str::trim)
        .unwrap_or("");
    match question.kind {
        QuestionType::MultipleChoice => {
            let options = question.options.as_deref().unwrap_or(&[]);
            if options.len() != 4 {
                return Err(format!(
                    "a multiple-choice question needs 4 options, not {}",
                    options.len()
                ));
            }
            if options.iter().filter(|o| o.trim() == answer).count() != 1 || answer.is_empty() {
                return Err("exactly one option must equal the correct answer".into());
            }
            for (i, a) in options.iter().enumerate() {
                if a.trim().is_empty() {
                    return Err("an option is empty".into());
                }
                if let Some(b) = options[i + 1..].iter().find(|b| too_close(a, b)) {
                    return Err(format!("options '{a}' and '{b}' are near-duplicates"));
                }
            }
        }
        QuestionType::TrueFalse => {
            let options = question.options.as_deref().unwrap_or(&[]);
            if options != ["True", "False"] {
                return Err("true/false options must be [\"True\", \"False\"]".into());
            }
            if answer != "True" && answer != "False" {
                return Err("the answer of a true/false question must be True or False".into());
            }
        }
        QuestionType::ShortAnswer | QuestionType::Cloze => {
            if answer.is_empty() {
                return Err("the question has no correct answer".into());
            }
        }
        QuestionType::Essay => {
            if question.rubric.iter().all(|r| r.trim().is_empty()) {
                return Err("an essay question needs a rubric".into());
            }
        }
    }
    let needs_support = matches!(
        question.kind,
        QuestionType::MultipleChoice | QuestionType::ShortAnswer | QuestionType::Cloze
    );
    if needs_support && !supported(answer, &question.source.sentence, document) {
        return Err(format!(
            "the answer '{answer}' is not supported by the source or the document"
        ));
    }
    Ok(())
}

/// Whether the answer's stems all occur in the source sentence, or the document contains it.
pub fn supported(answer: &str, sentence: &str, document: &Document) -> bool {
    let answer_stems = text::stemmed_tokens(answer);
    if answer_stems.is_empty() {
        return false;
    }
    let source: HashSet<String> = text::stemmed_tokens(sentence).into_iter().collect();
    answer_stems.iter().all(|s| source.contains(s))
        || document
            .pages
            .iter()
            .any(|p| text::contains_phrase(&p.text, answer))
}
