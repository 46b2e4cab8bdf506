//! The document's sentences indexed for term lookups: each sentence with its page and stems,
//! and where a phrase (by its stems) is mentioned. Built once per call by analysis, question
//! generation and lessons.

use crate::Document;
use crate::text::{self, Sentence};

/// A document's sentences with their stems.
#[derive(Debug, Clone)]
pub struct Corpus {
    pub sentences: Vec<Sentence>,
    pub stems: Vec<Vec<String>>,
}

impl Corpus {
    /// Splits and stems every sentence of the document.
    pub fn new(document: &Document) -> Corpus {
        let sentences = text::document_sentences(document);
        let stems = sentences
            .iter()
            .map(|s| text::stemmed_tokens(&s.text))
            .collect();
        Corpus { sentences, stems }
    }

    /// Indices of the sentences that mention `phrase` (stem by stem, contiguously).
    pub fn mentions(&self, phrase: &str) -> Vec<usize> {
        let needle = text::stemmed_tokens(phrase);
        if needle.is_empty() {
            return Vec::new();
        }
        self.stems
            .iter()
            .enumerate()
            .filter(|(_, hay)| contains_sequence(hay, &needle))
            .map(|(i, _)| i)
            .collect()
    }

    /// Ascending, distinct pages of the given sentences.
    pub fn pages_of(&self, indices: &[usize]) -> Vec<u32> {
        let mut pages: Vec<u32> = indices
            .iter()
            .filter_map(|&i| self.sentences.get(i).map(|s| s.page))
            .collect();
        pages.sort_unstable();
        pages.dedup();
        pages
    }
}

/// Whether `needle` occurs contiguously in `hay`.
pub fn contains_sequence(hay: &[String], needle: &[String]) -> bool {
    !needle.is_empty()
        && needle.len() <= hay.len()
        && hay.windows(needle.len()).any(|w| w == needle)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
    use super::*;

    #[test]
    fn mentions_match_inflected_phrases_across_pages() {
        let doc = Document::from_pages(vec![
            "Electric fields move charges. Nothing else.".into(),
            "An electric field is a vector field.".into(),
        ]);
        let corpus = Corpus::new(&doc);
        let hits = corpus.mentions("electric field");
        assert_eq!(hits, [0, 2]);
        assert_eq!(corpus.pages_of(&hits), [1, 2]);
    }
}
