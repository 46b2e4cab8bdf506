//! Text utilities every other module builds on: splitting pages into headings and sentences,
//! Unicode-aware tokenising, Snowball stemming, stop words and case-insensitive phrase search.
//! Pure string functions; nothing here knows about questions or topics.

mod stopwords;

use std::ops::Range;

use rust_stemmers::{Algorithm, Stemmer};
use unicode_segmentation::UnicodeSegmentation;

use crate::Document;

pub use stopwords::is_stopword;

/// A sentence of the document and the page it is on.
#[derive(Debug, Clone, PartialEq)]
pub struct Sentence {
    pub page: u32,
    pub text: String,
}

/// A piece of a page: a heading line or a sentence of running text.
#[derive(Debug, Clone, PartialEq)]
pub enum Piece {
    Heading(String),
    Sentence(String),
}

/// Abbreviations whose final period does not end a sentence (lower-case, without the period).
const ABBREVIATIONS: &[&str] = &[
    "al", "approx", "bzw", "ca", "cf", "d.h", "dr", "e.g", "eq", "eqs", "etc", "fig", "figs",
    "i.e", "mr", "mrs", "ms", "no", "nr", "p", "pp", "prof", "ref", "sec", "st", "usw", "vgl",
    "vol", "vs", "z.b", "г", "рис", "см", "т.д", "т.е", "т.п",
];

/// Words of a text (Unicode word boundaries; punctuation dropped, numbers kept).
pub fn words(text: &str) -> Vec<&str> {
    text.unicode_words().collect()
}

/// Words of a text with their byte offsets.
pub fn word_spans(text: &str) -> Vec<(usize, &str)> {
    text.unicode_word_indices().collect()
}

/// The lower-cased Snowball (English) stem of one word.
pub fn stem(word: &str) -> String {
    let lower = word.to_lowercase();
    Stemmer::create(Algorithm::English)
        .stem(&lower)
        .into_owned()
}

/// Lower-cased, stemmed tokens of a text, for matching answers and terms.
pub fn stemmed_tokens(text: &str) -> Vec<String> {
    let stemmer = Stemmer::create(Algorithm::English);
    text.unicode_words()
        .map(|w| stemmer.stem(&w.to_lowercase()).into_owned())
        .collect()
}

/// The stems of a phrase joined by single spaces: the key under which variants of a term merge.
pub fn stem_key(phrase: &str) -> String {
    stemmed_tokens(phrase).join(" ")
}

/// Whether a word is a number (digits with optional separators).
pub fn is_number(word: &str) -> bool {
    word.chars().next().is_some_and(|c| c.is_ascii_digit())
        && word
            .chars()
            .all(|c| c.is_ascii_digit() || c == '.' || c == ',')
}

/// The byte range of the first case-insensitive, whole-word occurrence of `phrase` in `text`.
pub fn find_phrase(text: &str, phrase: &str) -> Option<Range<usize>> {
    let needle: Vec<String> = words(phrase).iter().map(|w| w.to_lowercase()).collect();
    if needle.is_empty() {
        return None;
    }
    let spans = word_spans(text);
    spans.windows(needle.len()).find_map(|window| {
        let same = window
            .iter()
            .zip(&needle)
            .all(|((_, w), n)| w.to_lowercase() == *n);
        let (start, _) = window.first()?;
        let (last_at, last) = window.last()?;
        same.then(|| *start..last_at + last.len())
    })
}

/// Whether a text contains `phrase` as whole words, case-insensitively.
pub fn contains_phrase(text: &str, phrase: &str) -> bool {
    find_phrase(text, phrase).is_some()
}

/// Whether a line of a page looks like a heading: numbered ("1.2 Title"), ALL CAPS, or a short
/// Title-Case line without a final period.
pub fn is_heading(line: &str) -> bool {
    let line = line.trim();
    let ws: Vec<&str> = line.split_whitespace().collect();
    if ws.is_empty() || ws.len() > 12 || line.chars().count() > 90 {
        return false;
    }
    if line.ends_with(['.', ',', ';', ':', '?', '!', '-', '=']) {
        return false;
    }
    let letters = line.chars().filter(|c| c.is_alphabetic()).count();
    let symbols = line
        .chars()
        .filter(|c| !c.is_alphanumeric() && !c.is_whitespace() && !"-–'’().,&/".contains(*c))
        .count();
    if letters < 3 || symbols > 1 {
        return false;
    }
    let content: Vec<&str> = ws
        .iter()
        .copied()
        .filter(|w| w.chars().any(char::is_alphabetic))
        .collect();
    let numbered = ws.len() >= 2
        && ws[0].chars().next().is_some_and(|c| c.is_ascii_digit())
        && ws[0].chars().all(|c| c.is_ascii_digit() || c == '.')
        && ws[0].len() <= 6
        && starts_upper(ws[1]);
    if numbered {
        return true;
    }
    if content.is_empty() || !starts_upper(content[0]) {
        return false;
    }
    let all_caps = letters >= 4
        && ws.len() <= 8
        && line
            .chars()
            .filter(|c| c.is_alphabetic())
            .all(char::is_uppercase);
    if all_caps {
        return true;
    }
    let significant: Vec<&&str> = content
        .iter()
        .filter(|w| !is_stopword(&w.to_lowercase()))
        .collect();
    let capitalised = significant.iter().filter(|w| starts_upper(w)).count();
    ws.len() <= 10 && !significant.is_empty() && capitalised * 10 >= significant.len() * 7
}

/// Whether a word starts with an upper-case letter.
pub fn starts_upper(word: &str) -> bool {
    word.chars().next().is_some_and(char::is_uppercase)
}

/// Splits a page into headings and sentences, in reading order. Lines are joined into
/// paragraphs (blank lines separate them; hyphenated line ends are rejoined) and paragraphs
/// are split after `.`, `!` or `?` followed by a capital, a digit or a quote, except after
/// abbreviations and initials.
pub fn pieces(page: &str) -> Vec<Piece> {
    let mut out = Vec::new();
    let mut paragraph = String::new();
    for raw in page.lines() {
        let line = raw.trim();
        let at_boundary =
            paragraph.is_empty() || paragraph.trim_end().ends_with(['.', '!', '?', ':']);
        if line.is_empty() || (at_boundary && is_heading(line)) {
            flush(&mut paragraph, &mut out);
            if !line.is_empty() {
                out.push(Piece::Heading(line.to_owned()));
            }
            continue;
        }
        if let Some(stripped) = paragraph.strip_suffix('-')
            && line.chars().next().is_some_and(char::is_lowercase)
        {
            paragraph = stripped.to_owned();
            paragraph.push_str(line);
            continue;
        }
        if !paragraph.is_empty() {
            paragraph.push(' ');
        }
        paragraph.push_str(line);
    }
    flush(&mut paragraph, &mut out);
    out
}

fn flush(paragraph: &mut String, out: &mut Vec<Piece>) {
    for s in split_sentences(paragraph) {
        out.push(Piece::Sentence(s));
    }
    paragraph.clear();
}

/// Splits running text into sentences.
pub fn split_sentences(text: &str) -> Vec<String> {
    let mut sentences = Vec::new();
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let mut start = 0;
    for (i, &(at, c)) in chars.iter().enumerate() {
        if !matches!(c, '.' | '!' | '?') {
            continue;
        }
        let mut j = i + 1;
        while j < chars.len() && matches!(chars[j].1, '"' | '\'' | '”' | '’' | ')') {
            j += 1;
        }
        if j >= chars.len() || !chars[j].1.is_whitespace() {
            continue;
        }
        let next = chars[j..]
            .iter()
            .find(|(_, c)| !c.is_whitespace())
            .map(|&(_, c)| c);
        let opens =
            next.is_some_and(|n| n.is_uppercase() || n.is_ascii_digit() || "\"“'‘(«".contains(n));
        if !opens || (c == '.' && ends_with_abbreviation(&text[start..at])) {
            continue;
        }
        let end = chars[j].0;
        push_trimmed(&mut sentences, &text[start..end]);
        start = end;
    }
    push_trimmed(&mut sentences, &text[start..]);
    sentences
}

fn push_trimmed(out: &mut Vec<String>, s: &str) {
    let s = s.split_whitespace().collect::<Vec<_>>().join(" ");
    if !s.is_empty() {
        out.push(s);
    }
}

fn ends_with_abbreviation(before: &str) -> bool {
    let last = before.split_whitespace().last().unwrap_or("");
    let last = last.trim_start_matches(['(', '"', '“', '\'']);
    let lower = last.to_lowercase();
    let single_letter = last.chars().count() == 1 && last.chars().all(char::is_alphabetic);
    single_letter || ABBREVIATIONS.binary_search(&lower.as_str()).is_ok()
}

/// Every sentence of the document with its page (headings excluded).
pub fn document_sentences(document: &Document) -> Vec<Sentence> {
    document
        .pages
        .iter()
        .flat_map(|page| {
            pieces(&page.text)
                .into_iter()
                .filter_map(move |piece| match piece {
                    Piece::Sentence(text) => Some(Sentence {
                        page: page.number,
                        text,
                    }),
                    Piece::Heading(_) => None,
                })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
    use super::*;

    #[test]
    fn abbreviations_are_sorted_for_binary_search() {
        assert!(ABBREVIATIONS.windows(2).all(|w| w[0] < w[1]));
    }

    #[test]
    fn sentences_split_after_periods_but_not_after_abbreviations() {
        let s = split_sentences(
            "Heat flows, e.g. in metals. A. Einstein wrote it in 1905. Why? Because.",
        );
        assert_eq!(
            s,
            [
                "Heat flows, e.g. in metals.",
                "A. Einstein wrote it in 1905.",
                "Why?",
                "Because."
            ]
        );
    }

    #[test]
    fn pages_yield_headings_and_rejoined_sentences() {
        let page = "1.2 Kinematics\nThe velocity of light is con-\nstant in vacuum. It is large.\n\nINTRODUCTION\nText here.";
        let p = pieces(page);
        assert_eq!(p[0], Piece::Heading("1.2 Kinematics".into()));
        assert_eq!(
            p[1],
            Piece::Sentence("The velocity of light is constant in vacuum.".into())
        );
        assert_eq!(p[3], Piece::Heading("INTRODUCTION".into()));
    }

    #[test]
    fn headings_are_short_unpunctuated_title_lines() {
        assert!(is_heading("Data Frames and Lists"));
        assert!(is_heading("3 Statistical Models"));
        assert!(!is_heading("The velocity of light is constant."));
        assert!(!is_heading("the lower case line"));
    }

    #[test]
    fn phrases_are_found_as_whole_words_ignoring_case() {
        let t = "The Speed of Light is fixed; lightning is not.";
        assert_eq!(
            &t[find_phrase(t, "speed of light").unwrap()],
            "Speed of Light"
        );
        assert!(find_phrase(t, "light is not").is_none());
        assert!(find_phrase(t, "ligh").is_none());
    }

    #[test]
    fn stems_merge_inflections_and_tokenising_handles_cyrillic() {
        assert_eq!(stem_key("Electrons moving"), stem_key("electron moves"));
        assert_eq!(words("Привет, мир! Größe"), ["Привет", "мир", "Größe"]);
    }
}
