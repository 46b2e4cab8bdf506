//! Key terms of a document: YAKE phrases of the whole text merged, by stem, with TF-IDF
//! 1–3-grams computed across pages (each page a document); near-duplicates dropped.

use std::collections::HashMap;

use strsim::normalized_levenshtein;

use crate::Document;
use crate::corpus::Corpus;
use crate::keyphrase;
use crate::text::{self, is_stopword};

/// A key term with its combined score and stem key.
#[derive(Debug, Clone, PartialEq)]
pub struct Term {
    /// As it appears in the text (its most frequent casing).
    pub surface: String,
    pub key: String,
    pub score: f64,
}

/// How many key terms an analysis keeps.
pub const KEEP: usize = 20;

/// Key phrases whose YAKE scores feed the key terms.
const YAKE_PHRASES: usize = 50;

/// The document's best key terms, best first, each mentioned in at least one sentence.
#[cfg(test)]
pub fn key_terms(document: &Document, corpus: &Corpus, keep: usize) -> Vec<Term> {
    let full = document.full_text();
    let candidates = keyphrase::yake_candidates(&full, keyphrase::candidates_for(YAKE_PHRASES));
    key_terms_from(document, corpus, keep, &full, &candidates)
}

/// [`key_terms`] from YAKE candidates of the document's full text already found (at least
/// as many as [`keyphrase::candidates_for`] asks; extra ones are ignored).
pub fn key_terms_from(
    document: &Document,
    corpus: &Corpus,
    keep: usize,
    full: &str,
    candidates: &[(String, String, f64)],
) -> Vec<Term> {
    let (tfidf, surfaces) = tfidf_ngrams(corpus, document.pages.len().max(1));
    let mut scores: HashMap<String, f64> = HashMap::new();
    let wanted = keyphrase::candidates_for(YAKE_PHRASES).min(candidates.len());
    let yake = keyphrase::rescore(full, &candidates[..wanted], YAKE_PHRASES);
    let yake_max = yake.iter().map(|p| p.score).fold(f64::MIN, f64::max);
    for p in &yake {
        *scores.entry(p.key.clone()).or_default() += 0.6 * p.score / yake_max.max(1e-9);
    }
    let mut ranked_tfidf: Vec<(&String, &f64)> = tfidf.iter().collect();
    ranked_tfidf.sort_by(|a, b| b.1.total_cmp(a.1).then_with(|| a.0.cmp(b.0)));
    let tfidf_max = ranked_tfidf.first().map_or(1.0, |(_, s)| **s);
    for (key, s) in ranked_tfidf.into_iter().take(50) {
        *scores.entry(key.clone()).or_default() += 0.4 * s / tfidf_max.max(1e-9);
    }
    let mut ranked: Vec<Term> = scores
        .into_iter()
        .filter_map(|(key, score)| {
            let surface = surfaces
                .get(&key)
                .and_then(|forms| {
                    forms
                        .iter()
                        .max_by(|a, b| a.1.cmp(b.1).then_with(|| b.0.cmp(a.0)))
                })
                .map(|(s, _)| s.clone())?;
            Some(Term {
                surface,
                key,
                score,
            })
        })
        .collect();
    ranked.sort_by(|a, b| b.score.total_cmp(&a.score).then_with(|| a.key.cmp(&b.key)));
    let mut kept: Vec<Term> = Vec::new();
    for term in ranked {
        if kept.len() >= keep {
            break;
        }
        if !kept.iter().any(|k| near_duplicate(&k.key, &term.key)) {
            kept.push(term);
        }
    }
    kept
}

/// Whether two stem keys name the same thing: one contains the other word-wise, or they are
/// close by edit distance.
pub fn near_duplicate(a: &str, b: &str) -> bool {
    let aw: Vec<&str> = a.split(' ').collect();
    let bw: Vec<&str> = b.split(' ').collect();
    let contains =
        |h: &[&str], n: &[&str]| n.len() <= h.len() && h.windows(n.len()).any(|w| w == n);
    contains(&aw, &bw) || contains(&bw, &aw) || normalized_levenshtein(a, b) >= 0.8
}

type Surfaces = HashMap<String, HashMap<String, usize>>;

/// TF-IDF of content 1–3-grams (pages as documents), by stem key, with the surface forms
/// seen for each key and how often.
fn tfidf_ngrams(corpus: &Corpus, pages: usize) -> (HashMap<String, f64>, Surfaces) {
    let mut tf: HashMap<String, usize> = HashMap::new();
    let mut df_pages: HashMap<String, Vec<u32>> = HashMap::new();
    let mut surfaces: Surfaces = HashMap::new();
    for (sentence, stems) in corpus.sentences.iter().zip(&corpus.stems) {
        let ws = text::words(&sentence.text);
        if ws.len() != stems.len() {
            continue;
        }
        for n in 1..=3 {
            for start in 0..ws.len().saturating_sub(n - 1) {
                let gram = &ws[start..start + n];
                if !content_gram(gram) {
                    continue;
                }
                let key = stems[start..start + n].join(" ");
                *tf.entry(key.clone()).or_default() += 1;
                let seen = df_pages.entry(key.clone()).or_default();
                if seen.last() != Some(&sentence.page) {
                    seen.push(sentence.page);
                }
                *surfaces
                    .entry(key)
                    .or_default()
                    .entry(gram.join(" "))
                    .or_default() += 1;
            }
        }
    }
    let scores = tf
        .into_iter()
        .filter(|(key, count)| *count >= 2 || !key.contains(' '))
        .map(|(key, count)| {
            let df = df_pages.get(&key).map_or(1, Vec::len).max(1);
            let idf = (1.0 + pages as f64 / df as f64).ln();
            let n = key.split(' ').count() as f64;
            let score = (count as f64).ln_1p() * idf * (1.0 + 0.6 * (n - 1.0));
            (key, score)
        })
        .collect();
    (scores, surfaces)
}

/// A content n-gram: alphabetic words of two or more letters, no stop word at either end.
fn content_gram(gram: &[&str]) -> bool {
    let (Some(first), Some(last)) = (gram.first(), gram.last()) else {
        return false;
    };
    gram.iter()
        .all(|w| w.chars().count() >= 2 && w.chars().all(char::is_alphabetic))
        && first.chars().count() >= 3
        && !is_stopword(&first.to_lowercase())
        && !is_stopword(&last.to_lowercase())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
    use super::*;

    #[test]
    fn near_duplicates_are_containment_or_close_spelling() {
        assert!(near_duplicate("speed of light", "light"));
        assert!(near_duplicate("electron", "electrons"));
        assert!(!near_duplicate("electron", "proton"));
    }

    #[test]
    fn key_terms_are_distinct_and_appear_in_the_text() {
        let doc = Document::from_pages(vec![
            "The electric field acts on charges. An electric field has a direction.".into(),
            "A magnetic field surrounds a magnet. The magnetic field bends moving charges.".into(),
        ]);
        let corpus = Corpus::new(&doc);
        let terms = key_terms(&doc, &corpus, KEEP);
        assert!(terms.iter().any(|t| t.key == "electr field"), "{terms:?}");
        for (i, a) in terms.iter().enumerate() {
            assert!(!corpus.mentions(&a.surface).is_empty(), "{}", a.surface);
            for b in &terms[i + 1..] {
                assert!(!near_duplicate(&a.key, &b.key));
            }
        }
    }
}
