//! What a learner is told when a PDF cannot be used: each extraction failure as a stable
//! error code, a sentence saying what happened, and one saying what to do instead
//! (requirement 13.7).

use kiro_assess::extract::ExtractError;
use kiro_types::ErrorCode;
use kiro_types::assessment::DocumentFailure;

/// The code, message and suggestion for an extraction failure.
pub fn describe(error: &ExtractError) -> (ErrorCode, String, &'static str) {
    use ExtractError as E;
    match error {
        E::Empty => (
            ErrorCode::AssessmentPdfEmpty,
            "the file is empty (0 bytes)".to_owned(),
            "Choose the PDF again; the copy uploaded has no content.",
        ),
        E::NotPdf => (
            ErrorCode::AssessmentPdfNotPdf,
            "the file is not a PDF, whatever its name says".to_owned(),
            "Export or print the document to PDF and upload that file.",
        ),
        E::TooLarge { size, limit } => (
            ErrorCode::AssessmentPdfTooLarge,
            format!("the PDF is {size} bytes; the limit is {limit}"),
            "Split the PDF into parts (by chapter) or compress its images, then upload each part.",
        ),
        E::TooManyPages { pages, limit } => (
            ErrorCode::AssessmentPdfTooManyPages,
            format!("the PDF has {pages} pages; the limit is {limit}"),
            "Upload the chapters you are studying as separate PDFs.",
        ),
        E::PasswordRequired => (
            ErrorCode::AssessmentPdfEncrypted,
            "the PDF is encrypted and needs its password to be read".to_owned(),
            "Upload it again with the `password` field, or save an unprotected copy.",
        ),
        E::WrongPassword => (
            ErrorCode::AssessmentPdfWrongPassword,
            "the password given does not open this PDF".to_owned(),
            "Check the password (it is case-sensitive) and upload again.",
        ),
        E::NoTextLayer { pages } => (
            ErrorCode::AssessmentPdfNoTextLayer,
            format!("none of the {pages} pages has a text layer: the PDF looks scanned"),
            "Run OCR on it first (e.g. `ocrmypdf in.pdf out.pdf`) or upload a text PDF.",
        ),
        E::GarbledText { pages } => (
            ErrorCode::AssessmentPdfGarbledText,
            format!(
                "the text on the {pages} pages is not readable language (fonts without a Unicode map)"
            ),
            "Re-export the document to PDF from its source, or run OCR on it.",
        ),
        E::Malformed(reason) => (
            ErrorCode::AssessmentPdfMalformed,
            format!("the PDF is damaged and cannot be read: {reason}"),
            "Open it in a PDF viewer and save or print it to a new PDF, then upload that.",
        ),
        E::Timeout(limit) => (
            ErrorCode::AssessmentPdfTimeout,
            format!("reading the PDF took longer than {} s", limit.as_secs()),
            "Upload a smaller part of the document, or re-save it to simplify its structure.",
        ),
    }
}

/// The failure stored on a document.
pub fn document_failure(error: &ExtractError) -> DocumentFailure {
    let (code, message, suggestion) = describe(error);
    DocumentFailure {
        code: code.as_str().to_owned(),
        message,
        suggestion: suggestion.to_owned(),
    }
}
