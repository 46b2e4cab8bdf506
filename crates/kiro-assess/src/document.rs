//! The engine's view of a document: its normalised text page by page, its language and the
//! extractor that read it.

use kiro_types::assessment::PageText;

/// A document's normalised text, page by page.
#[derive(Debug, Clone, PartialEq)]
pub struct Document {
    pub pages: Vec<PageText>,
    /// ISO 639-3 code (`eng`, `deu`, …), `und` when undetermined.
    pub language: String,
    /// `pdf-extract` or `pdftotext`.
    pub extractor: String,
}

impl Document {
    /// Builds a document from plain text pages (tests, benches and non-PDF sources).
    pub fn from_pages(pages: Vec<String>) -> Document {
        let pages = pages
            .into_iter()
            .enumerate()
            .map(|(i, text)| PageText {
                number: u32::try_from(i + 1).unwrap_or(u32::MAX),
                text,
            })
            .collect();
        Document {
            pages,
            language: "eng".to_owned(),
            extractor: "text".to_owned(),
        }
    }

    /// The whole text, pages separated by blank lines.
    pub fn full_text(&self) -> String {
        self.pages
            .iter()
            .map(|p| p.text.as_str())
            .collect::<Vec<_>>()
            .join("\n\n")
    }

    /// Words in the whole document.
    pub fn word_count(&self) -> usize {
        self.pages
            .iter()
            .map(|p| p.text.split_whitespace().count())
            .sum()
    }
}
