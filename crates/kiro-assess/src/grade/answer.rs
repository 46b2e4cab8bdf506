//! Answer text as grading sees it: NFKC, lower case, no punctuation or articles, English
//! stems; and the token and string comparisons that tolerate typos but never a wrong number.

use std::sync::OnceLock;

use rust_stemmers::{Algorithm, Stemmer};
use unicode_normalization::UnicodeNormalization;

/// Articles dropped before comparing (English, German, French, Spanish).
const ARTICLES: &[&str] = &[
    "a", "an", "the", "der", "die", "das", "ein", "eine", "le", "la", "les", "un", "une", "el",
    "los", "las",
];

/// Whole-answer similarity at or above which a typo still earns full credit.
pub const TYPO_SIMILARITY: f64 = 0.9;

/// Token similarity (normalised Levenshtein) at which two stems of 5+ letters match.
const TOKEN_SIMILARITY: f64 = 0.8;

fn stemmer() -> &'static Stemmer {
    static STEMMER: OnceLock<Stemmer> = OnceLock::new();
    STEMMER.get_or_init(|| Stemmer::create(Algorithm::English))
}

/// Case-folded NFKC text with punctuation turned into spaces and articles removed, words
/// joined by single spaces.
pub fn normalise(text: &str) -> String {
    let folded: String = text
        .nfkc()
        .flat_map(char::to_lowercase)
        .map(|c| if c.is_alphanumeric() { c } else { ' ' })
        .collect();
    folded
        .split_whitespace()
        .filter(|w| !ARTICLES.contains(w))
        .collect::<Vec<_>>()
        .join(" ")
}

/// The stems of a text's words, in order, without repeats.
pub fn stems(text: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for word in normalise(text).split_whitespace() {
        let stem = stemmer().stem(word).into_owned();
        if !out.contains(&stem) {
            out.push(stem);
        }
    }
    out
}

fn digits(s: &str) -> String {
    s.chars().filter(char::is_ascii_digit).collect()
}

/// Whether two stems match: equal, or both of 5+ letters, digit-free and one typo apart.
pub fn stems_match(a: &str, b: &str) -> bool {
    if a == b {
        return true;
    }
    let long = a.chars().count() >= 5 && b.chars().count() >= 5;
    let no_digits = digits(a).is_empty() && digits(b).is_empty();
    long && no_digits && strsim::normalized_levenshtein(a, b) >= TOKEN_SIMILARITY
}

/// Whether a whole normalised answer is the key with a typo: Jaro-Winkler or normalised
/// Levenshtein at least [`TYPO_SIMILARITY`], 4+ characters, and the same digits.
pub fn typo_of(answer: &str, key: &str) -> bool {
    if answer.chars().count() < 4 || digits(answer) != digits(key) {
        return false;
    }
    strsim::normalized_levenshtein(answer, key) >= TYPO_SIMILARITY
        || (strsim::jaro_winkler(answer, key) >= TYPO_SIMILARITY
            && strsim::normalized_levenshtein(answer, key) >= 0.75)
}

/// How many of `key` stems some `answer` stem matches.
pub fn matched(key: &[String], answer: &[String]) -> usize {
    key.iter()
        .filter(|k| answer.iter().any(|a| stems_match(k, a)))
        .count()
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod tests {
    use super::*;

    #[test]
    fn normalising_drops_case_punctuation_and_articles() {
        assert_eq!(
            normalise("  The Theory of  Relativity! "),
            "theory of relativity"
        );
        assert_eq!(normalise("\u{FB01}eld"), "field");
    }

    #[test]
    fn stems_unify_inflections() {
        assert_eq!(stems("running runs"), vec!["run".to_owned()]);
    }

    #[test]
    fn numbers_never_match_by_similarity() {
        assert!(!typo_of("1905", "1906"));
        assert!(!stems_match("12345", "12346"));
        assert!(typo_of("photosynthesys", "photosynthesis"));
    }
}
