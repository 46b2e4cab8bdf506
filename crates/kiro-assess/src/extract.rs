//! PDF text extraction. SKELETON: the helper replaces the bodies; signatures are the contract.

use std::path::PathBuf;
use std::time::Duration;

use crate::Document;

/// Which extraction engine reads the PDF.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Engine {
    /// pdf-extract first, `pdftotext` when it fails and is installed.
    Auto,
    /// pdf-extract only.
    PdfExtract,
    /// `pdftotext` only.
    Pdftotext,
}

/// Limits and choices for one extraction.
#[derive(Debug, Clone)]
pub struct ExtractOptions {
    pub password: Option<String>,
    pub max_bytes: u64,
    pub max_pages: u32,
    pub timeout: Duration,
    pub engine: Engine,
    /// The `pdftotext` binary (default: looked up on `PATH`).
    pub pdftotext: Option<PathBuf>,
}

impl Default for ExtractOptions {
    fn default() -> Self {
        ExtractOptions {
            password: None,
            max_bytes: kiro_types::assessment::MAX_PDF_BYTES,
            max_pages: 2_000,
            timeout: Duration::from_secs(60),
            engine: Engine::Auto,
            pdftotext: None,
        }
    }
}

/// Why a PDF's text could not be read.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ExtractError {
    #[error("the file is empty")]
    Empty,
    #[error("the file is not a PDF")]
    NotPdf,
    #[error("the PDF is {size} bytes, over the {limit}-byte limit")]
    TooLarge { size: u64, limit: u64 },
    #[error("the PDF has {pages} pages, over the {limit}-page limit")]
    TooManyPages { pages: u32, limit: u32 },
    #[error("the PDF is encrypted and needs a password")]
    PasswordRequired,
    #[error("the password does not open the PDF")]
    WrongPassword,
    #[error("the PDF has no text layer")]
    NoTextLayer { pages: u32 },
    #[error("the PDF's text is not readable language")]
    GarbledText { pages: u32 },
    #[error("the PDF is damaged: {0}")]
    Malformed(String),
    #[error("reading the PDF took longer than {0:?}")]
    Timeout(Duration),
}

/// Reads a PDF's text.
pub fn extract(bytes: &[u8], options: &ExtractOptions) -> Result<Document, ExtractError> {
    let _ = (bytes, options);
    Err(ExtractError::Malformed(
        "extraction is not built yet".to_owned(),
    ))
}
