//! A model's reply turned into questions, held to the local engine's rules: the JSON must
//! match the schema (a Markdown code fence around it is tolerated), each question's source
//! sentence must be one the document has (its page is corrected to where it is), its topic
//! one of the analysis's topics, its kind one that was asked for, and it must pass
//! [`crate::questions::validate`]. Near-duplicates are dropped. Too few valid questions is an
//! error, so the caller can fall back to the local engine.

use kiro_types::assessment::{Difficulty, Question, QuestionSource, QuestionType};
use serde::Deserialize;
use thiserror::Error;

use crate::Document;
use crate::analysis::Analysis;
use crate::corpus::Corpus;
use crate::questions::{GenerateOptions, too_close, validate};

/// Why a reply gave no usable set of questions.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ParseError {
    #[error("the reply is not the JSON the schema asks for: {0}")]
    Malformed(String),
    #[error(
        "only {valid} of the {wanted} questions asked for passed the checks (first rejected: {reason})"
    )]
    TooFew {
        valid: usize,
        wanted: usize,
        reason: String,
    },
}

/// What the model wrote for one question.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Reply {
    #[serde(rename = "type")]
    kind: QuestionType,
    text: String,
    #[serde(default)]
    options: Vec<String>,
    #[serde(default)]
    correct_answer: String,
    difficulty: Difficulty,
    topic: String,
    #[serde(default)]
    learning_objective: String,
    source_page: u32,
    source_sentence: String,
    #[serde(default)]
    explanation: String,
    #[serde(default)]
    rubric: Vec<String>,
}

#[derive(Debug, Deserialize)]
struct Replies {
    questions: Vec<serde_json::Value>,
}

/// Questions that passed, with the share of the reply's questions that did (0–1).
#[derive(Debug, Clone, PartialEq)]
pub struct Parsed {
    pub questions: Vec<Question>,
    pub confidence: f64,
}

/// Parses and checks a reply; at most `options.count` questions are kept.
pub fn parse_questions(
    text: &str,
    document: &Document,
    analysis: &Analysis,
    options: &GenerateOptions,
) -> Result<Parsed, ParseError> {
    let replies: Replies = serde_json::from_str(strip_fence(text))
        .map_err(|e| ParseError::Malformed(e.to_string()))?;
    let corpus = Corpus::new(document);
    let total = replies.questions.len();
    let mut kept: Vec<Question> = Vec::new();
    let mut first_reason: Option<String> = None;
    for (i, value) in replies.questions.into_iter().enumerate() {
        if kept.len() == options.count {
            break;
        }
        let checked = serde_json::from_value::<Reply>(value)
            .map_err(|e| format!("question {}: {e}", i + 1))
            .and_then(|r| question(r, &corpus, document, analysis, options))
            .and_then(|q| distinct(q, &kept));
        match checked {
            Ok(q) => kept.push(q),
            Err(reason) => {
                first_reason.get_or_insert(reason);
            }
        }
    }
    if kept.len() < options.count {
        return Err(ParseError::TooFew {
            valid: kept.len(),
            wanted: options.count,
            reason: first_reason.unwrap_or_else(|| "the reply has too few questions".into()),
        });
    }
    for (n, q) in kept.iter_mut().enumerate() {
        q.id = format!("q-{}", n + 1);
    }
    Ok(Parsed {
        confidence: kept.len() as f64 / total.max(1) as f64,
        questions: kept,
    })
}

/// The JSON inside a ```json … ``` fence, or the text itself.
pub(super) fn strip_fence(text: &str) -> &str {
    let t = text.trim();
    let Some(rest) = t.strip_prefix("```") else {
        return t;
    };
    let rest = rest.strip_prefix("json").unwrap_or(rest);
    rest.strip_suffix("```").unwrap_or(rest).trim()
}

fn question(
    r: Reply,
    corpus: &Corpus,
    document: &Document,
    analysis: &Analysis,
    options: &GenerateOptions,
) -> Result<Question, String> {
    if !options.types.is_empty() && !options.types.contains(&r.kind) {
        return Err(format!("a {} question was not asked for", r.kind.as_str()));
    }
    let wanted = normalise(&r.source_sentence);
    let sentence = corpus
        .sentences
        .iter()
        .filter(|s| normalise(&s.text) == wanted)
        .min_by_key(|s| s.page.abs_diff(r.source_page))
        .ok_or_else(|| format!("the source sentence of '{}' is not in the document", r.text))?;
    let topic = analysis
        .topics
        .iter()
        .find(|t| t.name.eq_ignore_ascii_case(r.topic.trim()))
        .ok_or_else(|| format!("'{}' is not one of the document's topics", r.topic))?;
    let objective = if r.learning_objective.trim().is_empty() {
        analysis
            .objectives
            .iter()
            .find(|o| o.topic == topic.name)
            .map_or_else(|| format!("Understand {}", topic.name), |o| o.text.clone())
    } else {
        r.learning_objective.trim().to_owned()
    };
    let explanation = if r.explanation.trim().is_empty() {
        format!("Page {} says: \"{}\"", sentence.page, sentence.text)
    } else {
        r.explanation.trim().to_owned()
    };
    let answer = r.correct_answer.trim();
    let q = Question {
        id: String::new(),
        text: r.text.trim().to_owned(),
        kind: r.kind,
        options: r
            .kind
            .is_choice()
            .then(|| r.options.iter().map(|o| o.trim().to_owned()).collect()),
        correct_answer: (r.kind != QuestionType::Essay && !answer.is_empty())
            .then(|| answer.to_owned()),
        difficulty: r.difficulty,
        topic: topic.name.clone(),
        learning_objective: objective,
        source: QuestionSource {
            page: sentence.page,
            sentence: sentence.text.clone(),
        },
        explanation,
        rubric: if r.kind == QuestionType::Essay {
            r.rubric
                .into_iter()
                .filter(|t| !t.trim().is_empty())
                .collect()
        } else {
            Vec::new()
        },
    };
    validate(&q, document).map_err(|e| format!("'{}': {e}", q.text))?;
    Ok(q)
}

/// Refuses a question too close to one already kept.
fn distinct(q: Question, kept: &[Question]) -> Result<Question, String> {
    let same = |k: &&Question| {
        too_close(&k.text, &q.text) || (k.kind == q.kind && k.source.sentence == q.source.sentence)
    };
    match kept.iter().find(same) {
        Some(k) => Err(format!("'{}' repeats '{}'", q.text, k.text)),
        None => Ok(q),
    }
}

/// Lower-case words joined by single spaces, for comparing sentences.
fn normalise(s: &str) -> String {
    s.split_whitespace()
        .map(|w| {
            w.trim_matches(|c: char| !c.is_alphanumeric())
                .to_lowercase()
        })
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests;
