//! Key phrases of one text: YAKE candidates (yake-rust, 1–3-grams) re-ranked by how often the
//! phrase recurs, its length and where it first appears, with variants merged by stem. Owns
//! nothing document-wide: [`crate::analysis`] combines these with TF-IDF across pages.

use std::collections::HashMap;
use std::panic::{AssertUnwindSafe, catch_unwind};

use yake_rust::{Config, StopWords};

use crate::text::{self, is_stopword};

/// A key phrase with its score (higher is better) and its stem key.
#[derive(Debug, Clone, PartialEq)]
pub struct ScoredPhrase {
    /// The phrase as it first appears in the text.
    pub phrase: String,
    /// Stems joined by spaces: variants of a phrase share it.
    pub key: String,
    pub score: f64,
}

/// How many YAKE candidates the re-ranking looks at.
const POOL: usize = 60;

/// The `n` best key phrases of a text, best first.
pub fn keyphrases(text: &str, n: usize) -> Vec<String> {
    scored_keyphrases(text, n)
        .into_iter()
        .map(|p| p.phrase)
        .collect()
}

/// Plain YAKE's `n` best (lower-cased) phrases, for comparison in benchmarks.
pub fn yake_keyphrases(text: &str, n: usize) -> Vec<String> {
    yake(text, n)
        .into_iter()
        .map(|(_, lower, _)| lower)
        .collect()
}

/// YAKE's candidates: (raw, lower-case, score where lower is better). yake-rust sorts with
/// `partial_cmp().unwrap()`, so a pathological input is caught rather than allowed to unwind.
fn yake(text: &str, n: usize) -> Vec<(String, String, f64)> {
    let Some(stop_words) = StopWords::predefined("en") else {
        return Vec::new();
    };
    let config = Config {
        ngrams: 3,
        ..Config::default()
    };
    catch_unwind(AssertUnwindSafe(|| {
        yake_rust::get_n_best(n, text, &stop_words, &config)
    }))
    .map(|items| {
        items
            .into_iter()
            .map(|i| (i.raw, i.keyword, i.score))
            .collect()
    })
    .unwrap_or_default()
}

/// The `n` best key phrases with scores, best first.
pub fn scored_keyphrases(text: &str, n: usize) -> Vec<ScoredPhrase> {
    rescore(text, &yake_candidates(text, candidates_for(n)), n)
}

/// How many YAKE candidates [`scored_keyphrases`] re-ranks for `n` phrases.
pub fn candidates_for(n: usize) -> usize {
    POOL.max(n * 3)
}

/// YAKE's `k` best candidates of a text: (as written, lower-case, YAKE score). YAKE ranks every
/// candidate before it keeps the best, so the first `j` of `k` candidates are the `j` best:
/// one call can serve several [`rescore`]s of the same text.
pub fn yake_candidates(text: &str, k: usize) -> Vec<(String, String, f64)> {
    yake(text, k)
}

/// The `n` best of YAKE's `candidates` re-ranked (see the module docs), best first.
pub fn rescore(text: &str, candidates: &[(String, String, f64)], n: usize) -> Vec<ScoredPhrase> {
    if candidates.is_empty() {
        return Vec::new();
    }
    let lower_text = text.to_lowercase();
    let stems = text::stemmed_tokens(text);
    let total = stems.len().max(1) as f64;
    let mut merged: HashMap<String, ScoredPhrase> = HashMap::new();
    let count = candidates.len() as f64;
    for (rank, (raw, lower, _)) in candidates.iter().enumerate() {
        let ws = text::words(lower);
        if !plausible_phrase(&ws) {
            continue;
        }
        let key = text::stem_key(lower);
        let key_stems: Vec<String> = key.split(' ').map(str::to_owned).collect();
        let freq = count_sequence(&stems, &key_stems).max(1) as f64;
        let first = lower_text
            .find(lower.as_str())
            .map_or(1.0, |at| at as f64 / lower_text.len().max(1) as f64);
        let rank_score = 1.0 - rank as f64 / count;
        let length_bonus = match ws.len() {
            1 => 0.0,
            2 => 0.25,
            _ => 0.2,
        };
        let score = rank_score
            + length_bonus
            + 0.15 * (freq.ln_1p() / total.ln_1p()) * 4.0
            + 0.15 * (1.0 - first);
        let entry = merged.entry(key.clone()).or_insert_with(|| ScoredPhrase {
            phrase: raw.clone(),
            key,
            score: f64::MIN,
        });
        entry.score = entry.score.max(score);
    }
    let mut ranked: Vec<ScoredPhrase> = merged.into_values().collect();
    ranked.sort_by(|a, b| b.score.total_cmp(&a.score).then_with(|| a.key.cmp(&b.key)));
    ranked.truncate(n);
    ranked
}

/// A noun-phrase-like candidate: no stop word at either end, no word that is only digits,
/// not ending in an adverb.
fn plausible_phrase(ws: &[&str]) -> bool {
    let (Some(first), Some(last)) = (ws.first(), ws.last()) else {
        return false;
    };
    !is_stopword(first)
        && !is_stopword(last)
        && !last.ends_with("ly")
        && ws.iter().all(|w| !text::is_number(w))
        && ws.iter().any(|w| w.chars().count() >= 3)
}

/// How many times `needle` occurs contiguously in `hay`.
pub fn count_sequence(hay: &[String], needle: &[String]) -> usize {
    if needle.is_empty() || needle.len() > hay.len() {
        return 0;
    }
    hay.windows(needle.len()).filter(|w| *w == needle).count()
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
    use super::*;

    const TEXT: &str = "Photosynthesis converts light energy into chemical energy. \
        Chlorophyll absorbs light energy in the chloroplast. The chloroplast is the site of \
        photosynthesis. Chemical energy is stored as glucose. Light energy drives the reaction.";

    #[test]
    fn finds_the_recurring_phrases() {
        let top = keyphrases(TEXT, 5);
        assert!(
            top.iter().any(|p| p.eq_ignore_ascii_case("light energy")),
            "{top:?}"
        );
        assert!(top.len() <= 5);
    }

    #[test]
    fn empty_and_odd_text_gives_no_phrases_and_no_panic() {
        assert!(keyphrases("", 10).is_empty());
        assert!(keyphrases("... ;;; 1 2 3", 10).len() <= 10);
        let _ = keyphrases("Привет мир. Größe der Räume. Это тест.", 5);
    }
}
