//! Wrong answers that look right: terms of the same kind as the answer (word count, casing,
//! number or not) taken from the document, never a near-duplicate of the answer or of each
//! other.

use strsim::normalized_levenshtein;

use super::rng::Rng;
use crate::text;

/// Whether two answers are too alike to stand side by side: equal ignoring case, one contains
/// the other, same stems, or close spelling.
pub fn too_close(a: &str, b: &str) -> bool {
    let (la, lb) = (a.trim().to_lowercase(), b.trim().to_lowercase());
    if la.is_empty() || lb.is_empty() || la == lb {
        return true;
    }
    let (sa, sb) = (text::stem_key(&la), text::stem_key(&lb));
    if sa == sb || text::contains_phrase(&la, &lb) || text::contains_phrase(&lb, &la) {
        return true;
    }
    normalized_levenshtein(&la, &lb) >= 0.8
}

/// The casing pattern of a term.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Shape {
    Number,
    Acronym,
    Capitalised,
    Lower,
}

fn shape(term: &str) -> Shape {
    let ws = text::words(term);
    if !ws.is_empty() && ws.iter().all(|w| text::is_number(w)) {
        Shape::Number
    } else if ws.len() == 1
        && term.chars().filter(|c| c.is_alphabetic()).count() >= 2
        && term
            .chars()
            .filter(|c| c.is_alphabetic())
            .all(char::is_uppercase)
    {
        Shape::Acronym
    } else if ws.iter().any(|w| text::starts_upper(w)) {
        Shape::Capitalised
    } else {
        Shape::Lower
    }
}

/// `candidate` in the answer's casing, when the two can be made to match.
fn conform(answer: &str, candidate: &str, at_sentence_start: bool) -> Option<String> {
    let (a, c) = (shape(answer), shape(candidate));
    match (a, c) {
        (x, y) if x == y => Some(candidate.to_owned()),
        (Shape::Capitalised, Shape::Lower) if at_sentence_start => {
            let mut chars = candidate.chars();
            chars
                .next()
                .map(|f| f.to_uppercase().chain(chars).collect())
        }
        _ => None,
    }
}

/// Up to `n` distractors for `answer` from `pool`: same kind, similar length, distinct.
pub fn pick(
    answer: &str,
    pool: &[String],
    n: usize,
    at_sentence_start: bool,
    rng: &mut Rng,
) -> Vec<String> {
    let answer_words = text::words(answer).len();
    let mut fits: Vec<(usize, u64, String)> = pool
        .iter()
        .filter(|c| text::words(c).len().abs_diff(answer_words) <= 1)
        .filter_map(|c| conform(answer, c, at_sentence_start))
        .filter(|c| !too_close(answer, c))
        .map(|c| {
            let gap = c.chars().count().abs_diff(answer.chars().count());
            (gap / 4, rng.next_u64(), c)
        })
        .collect();
    fits.sort();
    let mut chosen: Vec<String> = Vec::new();
    for (_, _, c) in fits {
        if chosen.len() >= n {
            break;
        }
        if !chosen.iter().any(|d| too_close(d, &c)) {
            chosen.push(c);
        }
    }
    chosen
}

/// A different but plausible number in the same format: years move by a few years, other
/// numbers by a small factor.
pub fn other_number(answer: &str, rng: &mut Rng) -> Option<String> {
    let value: u64 = answer.parse().ok()?;
    let shifted = if (1000..=2100).contains(&value) {
        let delta = 2 + rng.below(9) as u64;
        if rng.below(2) == 0 {
            value + delta
        } else {
            value - delta
        }
    } else if value < 10 {
        value + 1 + rng.below(4) as u64
    } else {
        value * 2
    };
    (shifted != value).then(|| shifted.to_string())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
    use super::*;
    use crate::Document;

    #[test]
    fn near_duplicates_are_too_close() {
        assert!(too_close("Electron", "electrons"));
        assert!(too_close("speed of light", "light"));
        assert!(!too_close("proton", "neutron"));
    }

    #[test]
    fn distractors_share_the_answers_shape_and_differ_from_it() {
        let mut rng = Rng::new(&Document::from_pages(vec![]), 1);
        let pool: Vec<String> = [
            "electrons",
            "magnetic field",
            "proton",
            "Faraday",
            "neutron",
            "1831",
            "charge",
        ]
        .map(String::from)
        .to_vec();
        let d = pick("electron", &pool, 3, false, &mut rng);
        assert_eq!(d.len(), 3);
        assert!(
            !d.iter()
                .any(|x| x == "electrons" || x == "Faraday" || x == "1831")
        );
        assert_eq!(other_number("1905", &mut rng).map(|n| n.len()), Some(4));
    }
}
