//! Grading. SKELETON: the helper replaces the bodies; signatures are the contract.

use kiro_types::assessment::{Question, TopicScore, WeaknessLevel};

/// The mark for one answer.
#[derive(Debug, Clone, PartialEq)]
pub struct Mark {
    pub correct: bool,
    /// 0–1.
    pub credit: f64,
    pub provisional: bool,
    pub feedback: String,
}

/// Marks one answer to one question.
pub fn mark(question: &Question, answer: &str) -> Mark {
    let _ = (question, answer);
    Mark {
        correct: false,
        credit: 0.0,
        provisional: false,
        feedback: String::new(),
    }
}

/// Per-topic scores from (topic, credit) pairs, in first-seen topic order.
pub fn topic_scores(marks: &[(String, f64)]) -> Vec<TopicScore> {
    let _ = marks;
    Vec::new()
}

/// A topic's weakness from its correct/attempt counts, smoothed by a prior; `None` when not weak.
pub fn weakness(correct: f64, attempts: f64) -> Option<(WeaknessLevel, f64)> {
    let _ = (correct, attempts);
    None
}
