//! Topic analysis: sections from headings, key terms, topics with importance, coverage and
//! pages, reading complexity and time, and learning objectives. Pure: reads a [`Document`],
//! returns an [`Analysis`].

mod sections;
mod terms;
mod topics;

use kiro_types::assessment::{Complexity, IdentifiedTopic, LearningObjective, Section};

use crate::Document;
use crate::corpus::Corpus;
use crate::keyphrase;
use crate::text;

pub use terms::near_duplicate;

/// Everything the engine finds in a document.
#[derive(Debug, Clone, PartialEq)]
pub struct Analysis {
    pub sections: Vec<Section>,
    /// Most important first.
    pub topics: Vec<IdentifiedTopic>,
    pub key_terms: Vec<String>,
    pub complexity: Complexity,
    /// Minutes.
    pub estimated_reading_time: u32,
    pub objectives: Vec<LearningObjective>,
    /// The document's key phrases as it writes them, best first (question generation draws
    /// distractors from them); empty for an analysis restored from storage, which then has
    /// them found again.
    pub phrases: Vec<String>,
}

/// Key phrases an analysis keeps for distractors.
pub const PHRASES: usize = 60;

/// Analyses a document.
pub fn analyze(document: &Document) -> Analysis {
    let corpus = Corpus::new(document);
    // One YAKE pass serves both the key terms and the phrases kept for distractors.
    let full = document.full_text();
    let candidates = keyphrase::yake_candidates(&full, keyphrase::candidates_for(PHRASES));
    let terms = terms::key_terms_from(document, &corpus, terms::KEEP, &full, &candidates);
    let phrases = keyphrase::rescore(&full, &candidates, PHRASES)
        .into_iter()
        .map(|p| p.phrase)
        .collect();
    let topics = topics::topics(&terms, &corpus);
    let objectives = topics::objectives(&topics);
    let words = document.word_count();
    Analysis {
        sections: sections::sections(document),
        topics,
        key_terms: terms.into_iter().map(|t| t.surface).collect(),
        complexity: complexity(&corpus),
        estimated_reading_time: u32::try_from(words.div_ceil(200).max(1)).unwrap_or(u32::MAX),
        objectives,
        phrases,
    }
}

/// Complexity from mean sentence length, mean word length and the share of long words.
fn complexity(corpus: &Corpus) -> Complexity {
    let words: Vec<&str> = corpus
        .sentences
        .iter()
        .flat_map(|s| text::words(&s.text))
        .filter(|w| w.chars().any(char::is_alphabetic))
        .collect();
    if words.is_empty() {
        return Complexity::Beginner;
    }
    let n = words.len() as f64;
    let sentence_len = n / corpus.sentences.len().max(1) as f64;
    let word_len = words.iter().map(|w| w.chars().count()).sum::<usize>() as f64 / n;
    let rare = words.iter().filter(|w| w.chars().count() >= 10).count() as f64 / n;
    let score = sentence_len / 20.0 + word_len / 5.0 + rare * 5.0;
    if score < 2.0 {
        Complexity::Beginner
    } else if score < 2.6 {
        Complexity::Intermediate
    } else {
        Complexity::Advanced
    }
}

#[cfg(test)]
mod tests;
