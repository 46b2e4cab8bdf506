//! The pure-Rust engine: lopdf (through pdf-extract's re-export) loads and decrypts the file
//! and counts its pages, pdf-extract reads each page's text. Always run through
//! [`super::guard::run_guarded`]; a page that panics or fails is recorded, not fatal.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::Arc;
use std::thread;
use std::time::Duration;

use pdf_extract::{Document as PdfDocument, LoadOptions, PlainTextOutput, output_doc_page};

use super::ExtractError;
use super::guard::{STACK_BYTES, run_guarded};

/// What the pure-Rust engine read.
#[derive(Debug, Clone, PartialEq)]
pub struct NativeRead {
    pub page_count: u32,
    /// Raw page texts, page 1 first (empty when only probing).
    pub pages: Vec<String>,
    /// Pages whose text could not be read (left empty in `pages`).
    pub failed_pages: u32,
}

/// Loads the PDF, checks its encryption and page count and, when `read_text`, reads every page.
pub fn read(
    bytes: Arc<[u8]>,
    password: Option<String>,
    max_pages: u32,
    read_text: bool,
    timeout: Duration,
) -> Result<NativeRead, ExtractError> {
    run_guarded(timeout, move || {
        read_unguarded(&bytes, password.as_deref(), max_pages, read_text)
    })
}

fn read_unguarded(
    bytes: &[u8],
    password: Option<&str>,
    max_pages: u32,
    read_text: bool,
) -> Result<NativeRead, ExtractError> {
    let loaded = match password {
        Some(pw) => PdfDocument::load_mem_with_options(bytes, LoadOptions::with_password(pw)),
        None => PdfDocument::load_mem(bytes),
    };
    let doc = loaded.map_err(|e| match e {
        pdf_extract::Error::Decryption(_) | pdf_extract::Error::InvalidPassword
            if password.is_some() =>
        {
            ExtractError::WrongPassword
        }
        pdf_extract::Error::Decryption(_) | pdf_extract::Error::InvalidPassword => {
            ExtractError::PasswordRequired
        }
        other => ExtractError::Malformed(other.to_string()),
    })?;
    // lopdf removes /Encrypt from the trailer once a password (or the empty one) opened it.
    if doc.trailer.get(b"Encrypt").is_ok() {
        return Err(match password {
            Some(_) => ExtractError::WrongPassword,
            None => ExtractError::PasswordRequired,
        });
    }
    let numbers: Vec<u32> = doc.get_pages().keys().copied().collect();
    let page_count = u32::try_from(numbers.len()).unwrap_or(u32::MAX);
    if page_count > max_pages {
        return Err(ExtractError::TooManyPages {
            pages: page_count,
            limit: max_pages,
        });
    }
    if page_count == 0 {
        return Err(ExtractError::Malformed("the PDF has no pages".to_owned()));
    }
    let mut read = NativeRead {
        page_count,
        pages: Vec::new(),
        failed_pages: 0,
    };
    if !read_text {
        return Ok(read);
    }
    for text in read_pages(&doc, &numbers) {
        if text.is_none() {
            read.failed_pages += 1;
        }
        read.pages.push(text.unwrap_or_default());
    }
    if read.failed_pages == page_count {
        return Err(ExtractError::Malformed(
            "pdf-extract could not read any page".to_owned(),
        ));
    }
    Ok(read)
}

/// Threads that read pages at once: the machine's cores, at most four.
fn reader_threads(pages: usize) -> usize {
    thread::available_parallelism()
        .map_or(1, |n| n.get())
        .clamp(1, 4)
        .min(pages.max(1))
}

/// Each page's text in page order, `None` for a page that failed or panicked. Pages are dealt
/// round-robin to [`reader_threads`] scoped threads sharing the loaded document, each with
/// the guard's large stack.
fn read_pages(doc: &PdfDocument, numbers: &[u32]) -> Vec<Option<String>> {
    let threads = reader_threads(numbers.len());
    let mut texts: Vec<Option<String>> = vec![None; numbers.len()];
    thread::scope(|scope| {
        let workers: Vec<_> = (0..threads)
            .map(|first| {
                thread::Builder::new()
                    .name("kiro-pdf-page".to_owned())
                    .stack_size(STACK_BYTES)
                    .spawn_scoped(scope, move || {
                        numbers
                            .iter()
                            .enumerate()
                            .skip(first)
                            .step_by(threads)
                            .map(|(at, number)| (at, read_page(doc, *number)))
                            .collect::<Vec<_>>()
                    })
            })
            .collect();
        for worker in workers {
            // A worker that cannot start or that dies leaves its pages as failed.
            if let Ok(Ok(pages)) = worker.map(|handle| handle.join()) {
                for (at, text) in pages {
                    texts[at] = text;
                }
            }
        }
    });
    texts
}

/// One page's text, `None` when pdf-extract fails or panics on it.
fn read_page(doc: &PdfDocument, number: u32) -> Option<String> {
    catch_unwind(AssertUnwindSafe(|| {
        let mut text = String::new();
        let mut output = PlainTextOutput::new(&mut text);
        output_doc_page(doc, &mut output, number).map(|()| text)
    }))
    .ok()
    .and_then(Result::ok)
}
