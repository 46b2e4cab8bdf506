//! PDF text extraction: the checks before parsing, the choice and fallback between engines,
//! and the verdict on what they read. Owns [`extract`] and its options and errors; the engines
//! ([`native`] for pdf-extract, [`pdftotext`]), the thread guard, normalisation and the
//! quality and language checks live in submodules. Knows nothing of HTTP or storage.

mod guard;
mod native;
pub mod normalise;
mod pdftotext;
pub mod quality;

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use kiro_types::assessment::PageText;

use crate::Document;
use quality::Quality;

/// Which extraction engine reads the PDF.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Engine {
    /// pdf-extract first; `pdftotext`, when installed, if pdf-extract fails (error, panic,
    /// timeout), cannot read some pages, or reads no text or garbled text.
    Auto,
    /// pdf-extract only.
    PdfExtract,
    /// `pdftotext` only; pdf-extract reads the file when the binary is not installed (the
    /// document's `extractor` says which engine read it).
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

/// Longest run of bytes before `%PDF-` that readers tolerate.
const MAX_HEADER_OFFSET: usize = 1024;

/// The name `Document::extractor` gives each engine.
pub const PDF_EXTRACT: &str = "pdf-extract";
/// The name `Document::extractor` gives `pdftotext`.
pub const PDFTOTEXT: &str = "pdftotext";

/// Reads a PDF's text, normalised page by page, with its language.
///
/// Each engine gets the whole `options.timeout`, so `Engine::Auto` can take up to twice as
/// long when it falls back. A timed-out pdf-extract thread is left to finish on its own (see
/// the guard module); a timed-out `pdftotext` is killed.
pub fn extract(bytes: &[u8], options: &ExtractOptions) -> Result<Document, ExtractError> {
    check_envelope(bytes, options)?;
    let bytes: Arc<[u8]> = Arc::from(bytes);
    let binary = pdftotext::locate(options.pdftotext.as_deref());
    match (options.engine, binary) {
        (Engine::PdfExtract, _) | (Engine::Pdftotext | Engine::Auto, None) => {
            with_native(bytes, options).map(|(doc, _)| doc)
        }
        (Engine::Pdftotext, Some(binary)) => {
            let probe = native::read(
                Arc::clone(&bytes),
                options.password.clone(),
                options.max_pages,
                false,
                options.timeout,
            );
            if let Err(e @ ExtractError::TooManyPages { .. }) = probe {
                return Err(e);
            }
            with_pdftotext(&binary, bytes, options)
        }
        (Engine::Auto, Some(binary)) => match with_native(Arc::clone(&bytes), options) {
            Ok((doc, 0)) => Ok(doc),
            Ok((doc, _failed_pages)) => Ok(with_pdftotext(&binary, bytes, options).unwrap_or(doc)),
            Err(e) if !falls_back(&e) => Err(e),
            Err(first) => {
                with_pdftotext(&binary, bytes, options).map_err(|second| worse(first, second))
            }
        },
    }
}

/// The checks made before any parsing: empty, not a PDF, too large.
fn check_envelope(bytes: &[u8], options: &ExtractOptions) -> Result<(), ExtractError> {
    if bytes.is_empty() {
        return Err(ExtractError::Empty);
    }
    let head = &bytes[..bytes.len().min(MAX_HEADER_OFFSET + 5)];
    if !head.windows(5).any(|w| w == b"%PDF-") {
        return Err(ExtractError::NotPdf);
    }
    let size = u64::try_from(bytes.len()).unwrap_or(u64::MAX);
    if size > options.max_bytes {
        return Err(ExtractError::TooLarge {
            size,
            limit: options.max_bytes,
        });
    }
    Ok(())
}

/// Reads with pdf-extract; also returns how many pages it could not read.
fn with_native(
    bytes: Arc<[u8]>,
    options: &ExtractOptions,
) -> Result<(Document, u32), ExtractError> {
    let read = native::read(
        bytes,
        options.password.clone(),
        options.max_pages,
        true,
        options.timeout,
    )?;
    finish(&read.pages, PDF_EXTRACT).map(|doc| (doc, read.failed_pages))
}

fn with_pdftotext(
    binary: &std::path::Path,
    bytes: Arc<[u8]>,
    options: &ExtractOptions,
) -> Result<Document, ExtractError> {
    let last_page = options.max_pages.saturating_add(1);
    let pages = pdftotext::read(
        binary,
        bytes,
        options.password.as_deref(),
        last_page,
        options.timeout,
    )?;
    let count = u32::try_from(pages.len()).unwrap_or(u32::MAX);
    if count > options.max_pages {
        return Err(ExtractError::TooManyPages {
            pages: count,
            limit: options.max_pages,
        });
    }
    finish(&pages, PDFTOTEXT)
}

/// Normalises raw pages and refuses them when they are not readable text.
fn finish(raw: &[String], extractor: &str) -> Result<Document, ExtractError> {
    let pages = normalise::normalise_pages(raw);
    let count = u32::try_from(pages.len()).unwrap_or(u32::MAX);
    match quality::assess(&pages) {
        Quality::NoText => return Err(ExtractError::NoTextLayer { pages: count }),
        Quality::Garbled => return Err(ExtractError::GarbledText { pages: count }),
        Quality::Readable => {}
    }
    let language = quality::language(&pages);
    let pages = pages
        .into_iter()
        .enumerate()
        .map(|(i, text)| PageText {
            number: u32::try_from(i + 1).unwrap_or(u32::MAX),
            text,
        })
        .collect();
    Ok(Document {
        pages,
        language,
        extractor: extractor.to_owned(),
    })
}

/// Whether `Engine::Auto` tries `pdftotext` after pdf-extract failed this way.
fn falls_back(error: &ExtractError) -> bool {
    !matches!(
        error,
        ExtractError::TooManyPages { .. }
            | ExtractError::Empty
            | ExtractError::NotPdf
            | ExtractError::TooLarge { .. }
    )
}

/// Of two engines' failures, the one that tells the user more: a verdict on the file
/// (password, garbled, no text) beats an engine's own failure (damaged, timeout); ties go to
/// the first. A file pdf-extract cannot parse and `pdftotext` finds no text in is damaged,
/// not a scan (`21-broken-xref.pdf`: no trailer, pages of size 0×0).
fn worse(first: ExtractError, second: ExtractError) -> ExtractError {
    if matches!(
        (&first, &second),
        (ExtractError::Malformed(_), ExtractError::NoTextLayer { .. })
    ) {
        return first;
    }
    fn rank(e: &ExtractError) -> u8 {
        match e {
            ExtractError::PasswordRequired | ExtractError::WrongPassword => 5,
            ExtractError::GarbledText { .. } => 4,
            ExtractError::NoTextLayer { .. } | ExtractError::TooManyPages { .. } => 3,
            ExtractError::Timeout(_) => 2,
            _ => 1,
        }
    }
    if rank(&second) > rank(&first) {
        second
    } else {
        first
    }
}
