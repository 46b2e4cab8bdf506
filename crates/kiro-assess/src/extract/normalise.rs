//! Text normalisation for extracted PDF pages: Unicode compatibility forms (ligatures), line-end
//! hyphenation, stray control characters, runs of spaces, repeated headers and footers and bare
//! page numbers. Pure string functions; knows nothing of PDFs or engines.

use std::collections::HashMap;

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

/// Prefixes whose line-end hyphen is a real hyphen ("well-\nknown" stays "well-known").
const HYPHEN_PREFIXES: &[&str] = &[
    "well", "self", "non", "co", "anti", "multi", "semi", "cross", "high", "low", "long", "short",
    "ill", "all", "half", "ex", "one", "two", "three", "first", "second", "third",
];

/// How many lines at each end of a page count as its header or footer zone.
const EDGE_LINES: usize = 2;

/// Normalises one page's text. Idempotent: normalising twice gives the same text.
///
/// Drops U+FFFD and control characters (except newlines and tabs; `\r` becomes a newline),
/// applies NFKC (so `ﬁ` becomes `fi`), turns every other space into one ASCII space, trims
/// lines, rejoins words hyphenated across a line end when both halves are lower case, and
/// keeps at most one blank line in a row.
pub fn normalise_text(raw: &str) -> String {
    let filtered: String = raw
        .replace("\r\n", "\n")
        .chars()
        .filter_map(|c| match c {
            '\r' => Some('\n'),
            '\n' | '\t' => Some(c),
            '\u{FFFD}' => None,
            c if c.is_control() => None,
            c => Some(c),
        })
        .collect();
    let composed: String = filtered.nfkc().collect();
    let lines: Vec<String> = composed.split('\n').map(collapse_spaces).collect();
    let joined = rejoin_hyphens(&lines.join("\n"));
    let mut out = String::with_capacity(joined.len());
    let mut blank_run = 0;
    for line in joined.split('\n') {
        if line.is_empty() {
            blank_run += 1;
            if blank_run > 1 {
                continue;
            }
        } else {
            blank_run = 0;
        }
        out.push_str(line);
        out.push('\n');
    }
    out.trim_matches('\n').to_owned()
}

/// Normalises every page, then removes lines repeated at the top or bottom of at least half the
/// pages (digits masked, three pages or more) and bare page numbers at a page's edges.
pub fn normalise_pages(raw: &[String]) -> Vec<String> {
    let pages: Vec<String> = raw.iter().map(|p| normalise_text(p)).collect();
    let repeated = repeated_edge_lines(&pages);
    pages
        .iter()
        .map(|page| strip_edges(page, &repeated))
        .collect()
}

fn collapse_spaces(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut pending_space = false;
    for c in line.chars() {
        if c.is_whitespace() {
            pending_space = !out.is_empty();
        } else {
            if pending_space {
                out.push(' ');
                pending_space = false;
            }
            out.push(c);
        }
    }
    out
}

fn is_plain_lowercase(c: char) -> bool {
    c.is_lowercase() && c.is_alphabetic() && !is_combining_mark(c)
}

/// Joins `infor-\nmation` into `information`; keeps the hyphen after known prefixes.
fn rejoin_hyphens(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let hyphen_at_line_end = c == '-' && chars.get(i + 1) == Some(&'\n');
        let after_letter = out.chars().last().is_some_and(is_plain_lowercase);
        let next_lower = chars.get(i + 2).copied().is_some_and(is_plain_lowercase);
        if hyphen_at_line_end && after_letter && next_lower {
            let word: String = out
                .chars()
                .rev()
                .take_while(|c| c.is_alphabetic())
                .collect::<Vec<_>>()
                .into_iter()
                .rev()
                .collect();
            if HYPHEN_PREFIXES.contains(&word.as_str()) {
                out.push('-');
            }
            i += 2;
            continue;
        }
        out.push(c);
        i += 1;
    }
    out
}

/// A line with its digit runs replaced by `#`, lower-cased: page-varying headers compare equal.
fn mask(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut in_digits = false;
    for c in line.chars() {
        if c.is_ascii_digit() {
            if !in_digits {
                out.push('#');
            }
            in_digits = true;
        } else {
            in_digits = false;
            out.extend(c.to_lowercase());
        }
    }
    out
}

fn edge_indices(lines: &[&str]) -> Vec<usize> {
    let filled: Vec<usize> = (0..lines.len())
        .filter(|&i| !lines[i].trim().is_empty())
        .collect();
    let mut edges: Vec<usize> = filled.iter().take(EDGE_LINES).copied().collect();
    for &i in filled.iter().rev().take(EDGE_LINES) {
        if !edges.contains(&i) {
            edges.push(i);
        }
    }
    edges
}

fn repeated_edge_lines(pages: &[String]) -> Vec<String> {
    if pages.len() < 3 {
        return Vec::new();
    }
    let mut counts: HashMap<String, usize> = HashMap::new();
    for page in pages {
        let lines: Vec<&str> = page.split('\n').collect();
        let mut seen: Vec<String> = Vec::new();
        for i in edge_indices(&lines) {
            let key = mask(lines[i]);
            if !seen.contains(&key) {
                seen.push(key);
            }
        }
        for key in seen {
            *counts.entry(key).or_default() += 1;
        }
    }
    let threshold = pages.len().div_ceil(2).max(2);
    counts
        .into_iter()
        .filter(|(_, n)| *n >= threshold)
        .map(|(k, _)| k)
        .collect()
}

/// Whether a line is a bare page number: `12`, `- 12 -`, `Page 12`, `12 of 40`, `12/40`.
pub fn is_page_number(line: &str) -> bool {
    let lower = line.trim().to_lowercase();
    let body = lower
        .trim_matches(|c: char| c == '-' || c == '–' || c == '—' || c.is_whitespace())
        .trim_start_matches("page")
        .trim_start_matches("seite")
        .trim();
    let mut parts = body
        .split(|c: char| c == '/' || c.is_whitespace())
        .filter(|s| !s.is_empty());
    let digits = |s: &str| !s.is_empty() && s.len() <= 5 && s.chars().all(|c| c.is_ascii_digit());
    match (parts.next(), parts.next(), parts.next(), parts.next()) {
        (Some(a), None, None, None) => digits(a),
        (Some(a), Some(b), None, None) => digits(a) && digits(b),
        (Some(a), Some("of" | "von"), Some(b), None) => digits(a) && digits(b),
        _ => false,
    }
}

fn strip_edges(page: &str, repeated: &[String]) -> String {
    let lines: Vec<&str> = page.split('\n').collect();
    let drop: Vec<usize> = edge_indices(&lines)
        .into_iter()
        .filter(|&i| is_page_number(lines[i]) || repeated.contains(&mask(lines[i])))
        .collect();
    let kept: Vec<&str> = lines
        .iter()
        .enumerate()
        .filter(|(i, _)| !drop.contains(i))
        .map(|(_, l)| *l)
        .collect();
    normalise_text(&kept.join("\n"))
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    #[test]
    fn ligatures_become_letters() {
        assert_eq!(
            normalise_text("\u{FB01}nd the e\u{FB00}ect"),
            "find the effect"
        );
    }

    #[test]
    fn line_end_hyphens_are_rejoined_between_lowercase_halves() {
        assert_eq!(
            normalise_text("infor-\nmation theory"),
            "information theory"
        );
        assert_eq!(normalise_text("a well-\nknown fact"), "a well-known fact");
        assert_eq!(normalise_text("Anglo-\nSaxon"), "Anglo-\nSaxon");
    }

    #[test]
    fn replacement_and_control_characters_are_dropped() {
        assert_eq!(normalise_text("a\u{FFFD}b\u{0007}c\r\nd\te"), "abc\nd e");
    }

    #[test]
    fn spaces_collapse_and_blank_lines_shrink() {
        assert_eq!(normalise_text("  a   b  \n\n\n\n c "), "a b\n\nc");
    }

    #[test]
    fn bare_page_numbers_are_recognised() {
        for line in [
            "12",
            "- 12 -",
            "Page 12",
            "12 of 40",
            "12/40",
            "Seite 3 von 9",
        ] {
            assert!(is_page_number(line), "{line}");
        }
        for line in ["12 apples", "Chapter 12", "1990 W. N. Venables", ""] {
            assert!(!is_page_number(line), "{line}");
        }
    }

    #[test]
    fn repeated_headers_footers_and_page_numbers_are_removed() {
        let words = ["alpha", "beta", "gamma", "delta"];
        let pages: Vec<String> = (1..=4)
            .map(|n| {
                let w = words[n - 1];
                format!("Physics Notes, chapter {n}\n{w} rays.\n{w} decay.\n{w} light.\n- {n} -")
            })
            .collect();
        let out = normalise_pages(&pages);
        assert_eq!(out[0], "alpha rays.\nalpha decay.\nalpha light.");
        assert_eq!(out[3], "delta rays.\ndelta decay.\ndelta light.");
    }

    #[test]
    fn two_pages_keep_their_headers() {
        let pages = vec!["Head\nbody one".to_owned(), "Head\nbody two".to_owned()];
        assert_eq!(normalise_pages(&pages)[0], "Head\nbody one");
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(256))]

        #[test]
        fn normalising_never_panics_and_is_idempotent(s in any::<String>()) {
            let once = normalise_text(&s);
            prop_assert_eq!(normalise_text(&once), once);
        }

        #[test]
        fn normalising_pdf_like_text_is_idempotent(s in "[a-zﬁ \\-\n\t\r0-9A-Z\u{FFFD}]{0,80}") {
            let once = normalise_text(&s);
            prop_assert_eq!(normalise_text(&once), once);
        }
    }
}
