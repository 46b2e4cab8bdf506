//! Sections from a document's headings: each heading line with its page and the words of the
//! running text up to the next heading.

use kiro_types::assessment::Section;

use crate::Document;
use crate::text::{self, Piece};

/// Sections in reading order; headings followed by no text are dropped.
pub fn sections(document: &Document) -> Vec<Section> {
    let mut out: Vec<Section> = Vec::new();
    for page in &document.pages {
        for piece in text::pieces(&page.text) {
            match piece {
                Piece::Heading(title) => {
                    if out.last().is_some_and(|s| s.words == 0) {
                        out.pop();
                    }
                    out.push(Section {
                        title,
                        page: page.number,
                        words: 0,
                    });
                }
                Piece::Sentence(s) => {
                    if let Some(last) = out.last_mut() {
                        let n = u32::try_from(s.split_whitespace().count()).unwrap_or(u32::MAX);
                        last.words = last.words.saturating_add(n);
                    }
                }
            }
        }
    }
    if out.last().is_some_and(|s| s.words == 0) {
        out.pop();
    }
    out
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
    use super::*;

    #[test]
    fn headings_open_sections_that_count_their_words() {
        let doc = Document::from_pages(vec![
            "1 Introduction\nThis is the start of it.\n\nKinematics\nBodies move.".into(),
            "More text on page two.\nEMPTY HEADING".into(),
        ]);
        let s = sections(&doc);
        assert_eq!(s.len(), 2);
        assert_eq!(
            (s[0].title.as_str(), s[0].page, s[0].words),
            ("1 Introduction", 1, 6)
        );
        assert_eq!((s[1].title.as_str(), s[1].words), ("Kinematics", 7));
    }
}
