//! What every question-kind builder shares: the generation context (document, corpus,
//! analysis, distractor pool), the draft a builder returns, the record of what is already
//! used, and blanking a term out of a sentence.

use std::collections::HashSet;

use kiro_types::assessment::QuestionType;

use super::candidates::Candidate;
use super::rng::Rng;
use crate::analysis::Analysis;
use crate::corpus::Corpus;
use crate::text;

/// Read-only inputs of one generation.
pub struct Ctx<'a> {
    pub corpus: &'a Corpus,
    pub analysis: &'a Analysis,
    /// Terms of the document that can serve as distractors.
    pub pool: Vec<String>,
}

/// A question before topic, objective, difficulty and id are filled in.
#[derive(Debug, Clone)]
pub struct Draft {
    pub kind: QuestionType,
    pub text: String,
    pub options: Option<Vec<String>>,
    pub answer: Option<String>,
    /// Index of the source sentence in the corpus.
    pub sentence: usize,
    pub rubric: Vec<String>,
    /// The term the question turns on (for difficulty and uniqueness).
    pub term: String,
    pub confidence: f64,
}

/// Source sentences and answers already used, so no two questions are alike.
#[derive(Debug, Default)]
pub struct Used {
    pub sentences: HashSet<usize>,
    pub answers: HashSet<String>,
    pub essays: HashSet<String>,
}

impl Used {
    /// Whether a candidate's sentence or term is already taken.
    pub fn taken(&self, c: &Candidate) -> bool {
        self.sentences.contains(&c.sentence) || self.answers.contains(&c.term.to_lowercase())
    }

    /// Records a draft.
    pub fn record(&mut self, d: &Draft) {
        self.sentences.insert(d.sentence);
        self.answers.insert(d.term.to_lowercase());
    }
}

/// Unused candidates in the order to try them: one of the best three first (chosen by the
/// seed), then the rest by rank.
pub fn ordered<'c>(candidates: &'c [Candidate], used: &Used, rng: &mut Rng) -> Vec<&'c Candidate> {
    let mut free: Vec<&Candidate> = candidates.iter().filter(|c| !used.taken(c)).collect();
    let head = free.len().min(3);
    let pick = rng.below(head);
    if head > 0 {
        free[..head].rotate_left(pick);
    }
    free
}

/// The sentence with the first occurrence of `term` replaced by `blank`.
pub fn blank_out(sentence: &str, term: &str, blank: &str) -> Option<String> {
    let range = text::find_phrase(sentence, term)?;
    Some(format!(
        "{}{}{}",
        &sentence[..range.start],
        blank,
        &sentence[range.end..]
    ))
}
