//! `conceptpulse assess questions DOC`: a document's latest questions, or a new set (a count,
//! kinds, a difficulty, a fresh seed), as a table with lettered choices or as the
//! `GeneratedQuestions` JSON. The question table is shared with `upload --questions`.

use std::hash::{BuildHasher, RandomState};

use kiro_sdk::KiroClient;
use kiro_sdk::kiro_types::assessment::{GeneratedQuestions, Question, QuestionGenerationOptions};

use super::args::QuestionsArgs;
use super::choices;
use super::render;
use crate::cli::exit;
use crate::cli::output::{Output, table};

/// `conceptpulse assess questions DOC [--count N] [--type …] [--difficulty D] [--regenerate]`.
pub async fn questions(client: &KiroClient, out: Output, args: QuestionsArgs) -> u8 {
    let assessment = client.assessment();
    let fetched = if args.generates() {
        let options = QuestionGenerationOptions {
            count: args.count,
            types: (!args.types.is_empty()).then(|| args.types.iter().map(|&t| t.into()).collect()),
            difficulty: args.difficulty.map(Into::into),
            engine: None,
            seed: args.regenerate.then(fresh_seed),
        };
        assessment
            .generate_questions(&args.document, &options)
            .await
    } else {
        assessment.latest_questions(&args.document).await
    };
    match fetched {
        Ok(generated) => {
            out.emit(&generated, |g| human(g, args.answers));
            exit::OK
        }
        Err(e) => out.fail(&e),
    }
}

/// A seed no earlier request is likely to have used.
fn fresh_seed() -> u64 {
    RandomState::new().hash_one(std::time::SystemTime::now())
}

fn human(generated: &GeneratedQuestions, answers: bool) -> String {
    let mut text = format!(
        "{} questions on document {} ({}, confidence {:.2}, seed {})\n{}",
        generated.questions.len(),
        generated.pdf_id,
        generated.ai_model,
        generated.confidence,
        generated.seed,
        question_table(&generated.questions, answers)
    );
    if let Some(reason) = &generated.fallback_reason {
        text.push_str(&format!("\nThe local engine answered: {reason}"));
    }
    text
}

/// The questions, numbered, with their kind, difficulty, topic, text and lettered choices;
/// with `answers`, the expected answer (or an essay's rubric) and the explanation too.
pub fn question_table(questions: &[Question], answers: bool) -> String {
    let mut header = vec!["#", "Type", "Difficulty", "Topic", "Question"];
    if answers {
        header.extend(["Answer", "Explanation"]);
    }
    let rows = questions.iter().enumerate().map(|(i, q)| {
        let mut question = q.text.clone();
        for choice in choices::lettered(q) {
            question.push('\n');
            question.push_str(&choice);
        }
        let mut row = vec![
            (i + 1).to_string(),
            q.kind.as_str().to_owned(),
            wire_name(&q.difficulty),
            q.topic.clone(),
            question,
        ];
        if answers {
            row.push(expected_answer(q));
            row.push(format!(
                "{} (page {})",
                render::clip(&q.explanation, 200),
                q.source.page
            ));
        }
        row
    });
    table(&header, rows)
}

/// What a question expects: its key (lettered for choices) or an essay's rubric terms.
fn expected_answer(question: &Question) -> String {
    match &question.correct_answer {
        Some(key) => {
            let position = question.options.iter().flatten().position(|o| o == key);
            match position {
                Some(i) => format!("{}) {key}", choices::letter(i)),
                None => key.clone(),
            }
        }
        None => format!("covers: {}", question.rubric.join(", ")),
    }
}

/// The wire name of a serde enum value (`medium`, `multiple-choice`, `needs-focus`).
pub fn wire_name<T: serde::Serialize>(value: &T) -> String {
    serde_json::to_value(value)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default()
}
