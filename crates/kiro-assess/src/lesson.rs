//! Correction lessons: for one topic, the document's own sentences arranged as what it is,
//! why it matters, its definition, an explanation, an example and an analogy, with its key
//! terms and pages. Nothing is written that the document does not say.

use kiro_types::assessment::{IdentifiedTopic, Lesson, Passage};

use crate::Document;
use crate::analysis::Analysis;
use crate::corpus::Corpus;
use crate::text;

const DEFINING: &[&str] = &[
    " is a ",
    " is an ",
    " is the ",
    " are ",
    " refers to ",
    " is defined as ",
    " means ",
];
const WHY: &[&str] = &[
    "important",
    "because",
    "used to",
    "allows",
    "enables",
    "matters",
    "useful",
];
const EXAMPLE: &[&str] = &["for example", "e.g.", "for instance", "such as", "consider"];
const ANALOGY: &[&str] = &[" like ", "similar to", "analogous", "imagine"];

/// A lesson on `topic` assembled from the document; `None` when the topic is not in it.
/// `pdf_id` is copied into the lesson.
pub fn lesson(
    document: &Document,
    analysis: &Analysis,
    topic: &str,
    pdf_id: &str,
) -> Option<Lesson> {
    let wanted = topic.trim();
    if wanted.is_empty() {
        return None;
    }
    let found = find_topic(analysis, wanted);
    let corpus = Corpus::new(document);
    let terms: Vec<String> = match found {
        Some(t) => t.keywords.clone(),
        None => vec![wanted.to_owned()],
    };
    let mut mentions: Vec<usize> = terms.iter().flat_map(|t| corpus.mentions(t)).collect();
    mentions.sort_unstable();
    mentions.dedup();
    if mentions.is_empty() {
        return None;
    }
    let name = found.map_or_else(|| wanted.to_owned(), |t| t.name.clone());
    let passage = |i: usize| Passage {
        text: corpus.sentences[i].text.clone(),
        page: corpus.sentences[i].page,
    };
    let with = |cues: &[&str]| {
        mentions
            .iter()
            .copied()
            .find(|&i| has_cue(&corpus.sentences[i].text, cues))
            .or_else(|| near(&corpus, &mentions, cues))
    };
    let definition = mentions.iter().copied().find(|&i| {
        let s = &corpus.sentences[i].text;
        has_cue(s, DEFINING)
            && terms
                .iter()
                .any(|t| text::find_phrase(s, t).is_some_and(|r| r.start < s.len() / 2))
    });
    let why = with(WHY);
    let example = with(EXAMPLE);
    let analogy = with(ANALOGY);
    let taken = [definition, why, example, analogy];
    let explanation: Vec<Passage> = mentions
        .iter()
        .copied()
        .filter(|i| !taken.contains(&Some(*i)))
        .filter(|&i| (6..=60).contains(&text::words(&corpus.sentences[i].text).len()))
        .take(4)
        .map(passage)
        .collect();
    let first = mentions[0];
    let what = definition.map_or_else(
        || corpus.sentences[first].text.clone(),
        |i| corpus.sentences[i].text.clone(),
    );
    let why_text = why.map_or_else(
        || format!("{name} appears on {} of the document's pages; the passages below show how it is used.", corpus.pages_of(&mentions).len()),
        |i| corpus.sentences[i].text.clone(),
    );
    let mut key_terms = terms.clone();
    if let Some(t) = found {
        key_terms.extend(t.subtopics.iter().cloned());
    }
    Some(Lesson {
        topic: name,
        pdf_id: pdf_id.to_owned(),
        what,
        why: why_text,
        definition: definition.map(passage),
        explanation,
        example: example.map(passage),
        analogy: analogy.map(passage),
        key_terms,
        pages: corpus.pages_of(&mentions),
    })
}

/// The analysis's topic named `wanted`, or holding it as a keyword (case-insensitive).
fn find_topic<'a>(analysis: &'a Analysis, wanted: &str) -> Option<&'a IdentifiedTopic> {
    analysis
        .topics
        .iter()
        .find(|t| t.name.eq_ignore_ascii_case(wanted))
        .or_else(|| {
            analysis
                .topics
                .iter()
                .find(|t| t.keywords.iter().any(|k| k.eq_ignore_ascii_case(wanted)))
        })
}

fn has_cue(sentence: &str, cues: &[&str]) -> bool {
    let lower = format!(" {} ", sentence.to_lowercase());
    cues.iter().any(|c| lower.contains(c))
}

/// A sentence right after a mention that carries one of the cues.
fn near(corpus: &Corpus, mentions: &[usize], cues: &[&str]) -> Option<usize> {
    mentions.iter().map(|i| i + 1).find(|&i| {
        corpus
            .sentences
            .get(i)
            .is_some_and(|s| has_cue(&s.text, cues))
    })
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
    use super::*;
    use crate::analysis::analyze;

    #[test]
    fn lessons_quote_the_document_and_unknown_topics_give_none() {
        let doc = Document::from_pages(vec![
            "Photosynthesis is the process by which plants make sugar from light. It is important because it feeds almost all life on Earth.".into(),
            "For example, a leaf uses photosynthesis to store energy. A leaf is like a solar panel that makes food. Photosynthesis needs water and carbon dioxide.".into(),
        ]);
        let a = analyze(&doc);
        let l = lesson(&doc, &a, "PHOTOSYNTHESIS", "pdf-1").unwrap();
        assert_eq!(l.pdf_id, "pdf-1");
        assert!(l.what.starts_with("Photosynthesis is the process"));
        assert!(l.why.contains("important"));
        assert_eq!(l.example.unwrap().page, 2);
        assert!(l.analogy.unwrap().text.contains("like a solar panel"));
        assert_eq!(l.pages, [1, 2]);
        assert!(lesson(&doc, &a, "quantum gravity", "pdf-1").is_none());
    }
}
