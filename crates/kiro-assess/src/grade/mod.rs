//! Grading: marks one answer against its question (exact for choices, stemmed and
//! typo-tolerant for short answers and clozes, rubric coverage for essays), scores topics and
//! judges weakness from a smoothed accuracy. Pure functions; knows nothing of storage.

mod answer;

use kiro_types::assessment::{Question, QuestionType, TopicScore, WeaknessLevel};
use unicode_normalization::UnicodeNormalization;

pub use answer::{normalise as normalise_answer, stems};

/// Credit at or above which a short answer or cloze counts as correct.
pub const CORRECT_CREDIT: f64 = 0.8;
/// Rubric coverage at or above which an essay counts as correct (provisionally).
pub const ESSAY_CORRECT_COVERAGE: f64 = 0.6;
/// The Beta prior of [`weakness`]: α = β = 2, a prior mean of 0.5 worth four answers.
pub const PRIOR_ALPHA: f64 = 2.0;
/// See [`PRIOR_ALPHA`].
pub const PRIOR_BETA: f64 = 2.0;
/// Smoothed accuracy below which a topic is weak.
pub const WEAK_BELOW: f64 = 0.7;

/// The mark for one answer.
#[derive(Debug, Clone, PartialEq)]
pub struct Mark {
    pub correct: bool,
    /// 0–1.
    pub credit: f64,
    pub provisional: bool,
    pub feedback: String,
}

impl Mark {
    fn new(credit: f64, correct: bool, feedback: String) -> Mark {
        Mark {
            correct,
            credit,
            provisional: false,
            feedback,
        }
    }
}

/// Marks one answer to one question.
///
/// Choices compare trimmed, case-folded text; a multiple-choice answer may also be the
/// option's letter (`A`–`D`, `b)`, `(c)`) or its 1-based number. Short answers and clozes earn
/// full credit when the answer's stems contain every stem of the key or the whole answer is
/// the key with a typo, else credit in proportion to the key stems found (correct from
/// [`CORRECT_CREDIT`]). Essays earn their rubric coverage, provisionally.
pub fn mark(question: &Question, answer: &str) -> Mark {
    if answer.trim().is_empty() {
        return Mark::new(0.0, false, "No answer given.".to_owned());
    }
    match question.kind {
        QuestionType::MultipleChoice | QuestionType::TrueFalse => mark_choice(question, answer),
        QuestionType::ShortAnswer | QuestionType::Cloze => mark_short(question, answer),
        QuestionType::Essay => mark_essay(question, answer),
    }
}

fn no_key() -> Mark {
    Mark {
        provisional: true,
        ..Mark::new(
            0.0,
            false,
            "This question has no answer key; a teacher will mark it.".to_owned(),
        )
    }
}

fn fold(text: &str) -> String {
    text.nfkc()
        .collect::<String>()
        .trim()
        .trim_end_matches('.')
        .trim()
        .to_lowercase()
}

/// The option an answer names by letter (`A`, `b)`, `(c)`, `D.`) or 1-based number.
fn named_option<'a>(options: &'a [String], answer: &str) -> Option<&'a String> {
    let core = answer
        .trim()
        .trim_matches(|c: char| matches!(c, '(' | ')' | '.' | ':'))
        .trim();
    let mut chars = core.chars();
    let index = match (chars.next(), chars.next()) {
        (Some(c), None) if c.is_ascii_alphabetic() => {
            usize::from(c.to_ascii_lowercase() as u8 - b'a')
        }
        _ => core.parse::<usize>().ok()?.checked_sub(1)?,
    };
    options.get(index)
}

fn mark_choice(question: &Question, answer: &str) -> Mark {
    let Some(key) = question.correct_answer.as_deref() else {
        return no_key();
    };
    let given = fold(answer);
    let options = question.options.as_deref().unwrap_or(&[]);
    let matches_key = |text: &str| fold(text) == fold(key);
    let is_true_false = question.kind == QuestionType::TrueFalse;
    let correct = matches_key(answer)
        || (!options.iter().any(|o| fold(o) == given)
            && named_option(options, answer).is_some_and(|o| matches_key(o)))
        || (is_true_false
            && matches!(
                (given.as_str(), fold(key).as_str()),
                ("t", "true") | ("f", "false")
            ));
    if correct {
        Mark::new(1.0, true, "Correct.".to_owned())
    } else {
        Mark::new(0.0, false, format!("The answer is {}.", key.trim()))
    }
}

fn mark_short(question: &Question, given: &str) -> Mark {
    let Some(key) = question.correct_answer.as_deref() else {
        return no_key();
    };
    let key_stems = answer::stems(key);
    let given_stems = answer::stems(given);
    let (norm_given, norm_key) = (answer::normalise(given), answer::normalise(key));
    let expected = format!("The answer is {}.", key.trim());
    if norm_given == norm_key {
        return Mark::new(1.0, true, "Correct.".to_owned());
    }
    if answer::typo_of(&norm_given, &norm_key) {
        let feedback = format!("Correct (check the spelling: {}).", key.trim());
        return Mark::new(1.0, true, feedback);
    }
    if key_stems.is_empty() {
        return Mark::new(0.0, false, expected);
    }
    let found = answer::matched(&key_stems, &given_stems);
    let credit = found as f64 / key_stems.len() as f64;
    if found == key_stems.len() {
        Mark::new(1.0, true, "Correct.".to_owned())
    } else if credit >= CORRECT_CREDIT {
        Mark::new(credit, true, format!("Mostly correct. {expected}"))
    } else if found > 0 {
        Mark::new(credit, false, format!("Partly correct. {expected}"))
    } else {
        Mark::new(0.0, false, expected)
    }
}

fn mark_essay(question: &Question, given: &str) -> Mark {
    if question.rubric.is_empty() {
        return no_key();
    }
    let given_stems = answer::stems(given);
    let (covered, missing): (Vec<&String>, Vec<&String>) =
        question.rubric.iter().partition(|term| {
            let term_stems = answer::stems(term);
            !term_stems.is_empty() && answer::matched(&term_stems, &given_stems) == term_stems.len()
        });
    let total = question.rubric.len();
    let credit = covered.len() as f64 / total as f64;
    let mut feedback = format!("Your answer covers {} of {total} key terms", covered.len());
    if missing.is_empty() {
        feedback.push('.');
    } else {
        let names: Vec<&str> = missing.iter().map(|t| t.trim()).collect();
        feedback.push_str(&format!(": missing {}.", names.join(", ")));
    }
    Mark {
        provisional: true,
        ..Mark::new(credit, credit >= ESSAY_CORRECT_COVERAGE, feedback)
    }
}

/// Per-topic scores from (topic, credit) pairs, in first-seen topic order: score is the sum of
/// credit, max score the number of questions, `weakness` whether [`weakness`] finds it weak.
pub fn topic_scores(marks: &[(String, f64)]) -> Vec<TopicScore> {
    let mut totals: Vec<(String, f64, f64)> = Vec::new();
    for (topic, credit) in marks {
        let credit = if credit.is_finite() {
            credit.clamp(0.0, 1.0)
        } else {
            0.0
        };
        match totals.iter_mut().find(|(t, _, _)| t == topic) {
            Some((_, score, max)) => {
                *score += credit;
                *max += 1.0;
            }
            None => totals.push((topic.clone(), credit, 1.0)),
        }
    }
    totals
        .into_iter()
        .map(|(topic, score, max_score)| TopicScore {
            topic,
            score,
            max_score,
            percentage: score / max_score * 100.0,
            weakness: weakness(score, max_score).is_some(),
        })
        .collect()
}

/// A topic's weakness from its correct/attempt counts, smoothed by a prior; `None` when not weak.
///
/// The estimate is the Beta(α = 2, β = 2) posterior mean `(correct + 2) / (attempts + 4)`: a
/// topic starts at 0.5 and needs evidence to leave it, so one right answer (0.6) still leaves
/// it mildly weak. Not weak from [`WEAK_BELOW`] (0.7); mild from 0.55, moderate from 0.4,
/// severe below. With no attempts the estimate is the prior, 0.5 (moderate). Counts are
/// clamped to `0 ≤ correct ≤ attempts`; non-finite counts are read as zero.
pub fn weakness(correct: f64, attempts: f64) -> Option<(WeaknessLevel, f64)> {
    let attempts = if attempts.is_finite() {
        attempts.max(0.0)
    } else {
        0.0
    };
    let correct = if correct.is_finite() {
        correct.clamp(0.0, attempts)
    } else {
        0.0
    };
    let estimate = (correct + PRIOR_ALPHA) / (attempts + PRIOR_ALPHA + PRIOR_BETA);
    if estimate >= WEAK_BELOW {
        return None;
    }
    let level = if estimate >= 0.55 {
        WeaknessLevel::Mild
    } else if estimate >= 0.4 {
        WeaknessLevel::Moderate
    } else {
        WeaknessLevel::Severe
    };
    Some((level, estimate))
}

#[cfg(test)]
mod tests;
