//! Small pieces of human output shared by the `assess` commands: page lists as ranges,
//! durations, percentages, dates, and arguments quoted for a shell.

use chrono::{DateTime, Utc};

/// Pages as ascending ranges: `1-3, 7, 9-10`.
pub fn page_ranges(pages: &[u32]) -> String {
    let mut sorted = pages.to_vec();
    sorted.sort_unstable();
    sorted.dedup();
    let mut ranges: Vec<(u32, u32)> = Vec::new();
    for page in sorted {
        match ranges.last_mut() {
            Some((_, end)) if *end + 1 == page => *end = page,
            _ => ranges.push((page, page)),
        }
    }
    ranges
        .iter()
        .map(|&(start, end)| {
            if start == end {
                start.to_string()
            } else {
                format!("{start}-{end}")
            }
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// `n` and `noun`, plural unless `n` is one: `1 page`, `3 pages`.
pub fn plural(n: impl Into<u64>, noun: &str) -> String {
    let n = n.into();
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}

/// Page references (`page 3`, `page 4`) as `pages 3-4`; other references as they are.
pub fn references(resources: &[String]) -> String {
    let pages: Option<Vec<u32>> = resources
        .iter()
        .map(|r| r.strip_prefix("page ").and_then(|n| n.trim().parse().ok()))
        .collect();
    match pages {
        Some(pages) if pages.len() > 1 => format!("pages {}", page_ranges(&pages)),
        _ => resources.join(", "),
    }
}

/// Seconds for people: `45 s`, `2 min 5 s`, `1 h 3 min`.
pub fn duration(seconds: u32) -> String {
    let (h, m, s) = (seconds / 3600, seconds / 60 % 60, seconds % 60);
    match (h, m) {
        (0, 0) => format!("{s} s"),
        (0, _) if s == 0 => format!("{m} min"),
        (0, _) => format!("{m} min {s} s"),
        _ => format!("{h} h {m} min"),
    }
}

/// A percentage rounded to a whole number: `67 %`.
pub fn percent(value: f64) -> String {
    format!("{:.0} %", value)
}

/// A day: `2025-03-04`.
pub fn day(at: &DateTime<Utc>) -> String {
    at.format("%Y-%m-%d").to_string()
}

/// An instant to the minute: `2025-03-04 10:30 UTC`.
pub fn minute(at: &DateTime<Utc>) -> String {
    at.format("%Y-%m-%d %H:%M UTC").to_string()
}

/// `value` as one shell word: unchanged when it is plain, else in single quotes.
pub fn shell_word(value: &str) -> String {
    let plain = !value.is_empty()
        && value
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '-' | '_' | '.' | '/' | ':' | '@'));
    if plain {
        value.to_owned()
    } else {
        format!("'{}'", value.replace('\'', r"'\''"))
    }
}

/// At most `max` characters of `text`, with `…` when cut.
pub fn clip(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_owned();
    }
    let mut cut: String = text.chars().take(max.saturating_sub(1)).collect();
    cut.push('…');
    cut
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_read_as_ranges() {
        assert_eq!(page_ranges(&[9, 1, 2, 3, 7, 10, 2]), "1-3, 7, 9-10");
        assert_eq!(page_ranges(&[4]), "4");
        assert_eq!(page_ranges(&[]), "");
    }

    #[test]
    fn counts_and_references_read_naturally() {
        assert_eq!(plural(1u32, "page"), "1 page");
        assert_eq!(plural(3u32, "page"), "3 pages");
        let pages: Vec<String> = ["page 3", "page 4", "page 5", "page 9"]
            .map(str::to_owned)
            .to_vec();
        assert_eq!(references(&pages), "pages 3-5, 9");
        assert_eq!(references(&["page 2".to_owned()]), "page 2");
        assert_eq!(
            references(&["chapter 2".to_owned(), "page 4".to_owned()]),
            "chapter 2, page 4"
        );
    }

    #[test]
    fn durations_read_in_the_largest_units() {
        assert_eq!(duration(45), "45 s");
        assert_eq!(duration(120), "2 min");
        assert_eq!(duration(125), "2 min 5 s");
        assert_eq!(duration(3780), "1 h 3 min");
    }

    #[test]
    fn shell_words_are_quoted_only_when_needed() {
        assert_eq!(shell_word("vectors"), "vectors");
        assert_eq!(shell_word("special relativity"), "'special relativity'");
        assert_eq!(shell_word("Einstein's law"), r"'Einstein'\''s law'");
        assert_eq!(shell_word(""), "''");
    }

    #[test]
    fn long_text_is_clipped_with_an_ellipsis() {
        assert_eq!(clip("short", 10), "short");
        assert_eq!(clip("abcdefghij", 5), "abcd…");
    }
}
