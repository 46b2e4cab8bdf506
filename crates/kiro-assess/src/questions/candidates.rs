//! Source sentences for questions: the document's sentences that can carry a question
//! (8–40 words, a verb, no equations or code), ranked for a topic by key-term density, each
//! with the term to ask about as it appears in the sentence.

use kiro_types::assessment::IdentifiedTopic;

use crate::corpus::Corpus;
use crate::text;

/// A sentence usable for a topic, and the term in it.
#[derive(Debug, Clone)]
pub struct Candidate {
    pub sentence: usize,
    /// The answer term, as the sentence writes it.
    pub term: String,
    pub score: f64,
}

/// Words that tell a sentence has a finite verb.
const VERBS: &[&str] = &[
    "are",
    "can",
    "contains",
    "could",
    "describes",
    "did",
    "does",
    "gives",
    "had",
    "has",
    "have",
    "is",
    "ist",
    "makes",
    "may",
    "means",
    "must",
    "provides",
    "refers",
    "shows",
    "sind",
    "uses",
    "was",
    "were",
    "will",
    "wird",
    "werden",
    "would",
    "является",
    "это",
];

/// Whether a sentence can carry a question.
pub fn usable(sentence: &str) -> bool {
    let ws = text::words(sentence);
    if !(8..=40).contains(&ws.len()) {
        return false;
    }
    let chars = sentence.chars().count().max(1);
    let odd = sentence
        .chars()
        .filter(|c| "=<>{}[]$\\_^|~#;@+*/".contains(*c) || ('\u{2200}'..='\u{22FF}').contains(c))
        .count();
    let digits = sentence.chars().filter(char::is_ascii_digit).count();
    let lettered = sentence.chars().filter(|c| c.is_alphabetic()).count();
    let verbish = ws.iter().any(|w| {
        let l = w.to_lowercase();
        VERBS.contains(&l.as_str()) || (l.len() > 4 && (l.ends_with("ed") || l.ends_with("es")))
    });
    odd * 30 < chars
        && digits * 5 < chars
        && lettered * 2 > chars
        && verbish
        && !text::is_heading(sentence)
}

/// The topic's terms: its keywords, then its subtopics.
pub fn topic_terms(topic: &IdentifiedTopic) -> Vec<&str> {
    topic
        .keywords
        .iter()
        .chain(&topic.subtopics)
        .map(String::as_str)
        .collect()
}

/// Usable sentences mentioning one of the topic's terms, best first.
pub fn for_topic(corpus: &Corpus, topic: &IdentifiedTopic, key_terms: &[String]) -> Vec<Candidate> {
    let terms = topic_terms(topic);
    let mut out: Vec<Candidate> = Vec::new();
    for (i, s) in corpus.sentences.iter().enumerate() {
        if !usable(&s.text) {
            continue;
        }
        let Some(term) = terms
            .iter()
            .find_map(|t| text::find_phrase(&s.text, t).map(|r| s.text[r].to_owned()))
        else {
            continue;
        };
        let density = key_terms
            .iter()
            .filter(|k| text::contains_phrase(&s.text, k))
            .count() as f64;
        let len = text::words(&s.text).len() as f64;
        let keyword_bonus = if topic.keywords.iter().any(|k| k.eq_ignore_ascii_case(&term)) {
            0.5
        } else {
            0.0
        };
        out.push(Candidate {
            sentence: i,
            term,
            score: density / len.sqrt() + keyword_bonus - (len - 18.0).abs() / 60.0,
        });
    }
    out.sort_by(|a, b| {
        b.score
            .total_cmp(&a.score)
            .then_with(|| a.sentence.cmp(&b.sentence))
    });
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn usable_sentences_are_prose_of_moderate_length() {
        assert!(usable(
            "An electric field is a region in which a charge feels a force."
        ));
        assert!(!usable("Too short is bad."));
        assert!(!usable(
            "x = a + b * c / d where y = {1, 2, 3} and z = [4; 5] is it"
        ));
    }
}
