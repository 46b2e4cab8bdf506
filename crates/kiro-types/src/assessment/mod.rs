//! Assessment DTOs: documents (PDFUploadResult, ExtractedText), their topic analysis and
//! learning objectives, generated questions, assessments and their results, and the learning
//! analytics built on them (weaknesses, reports, mastery, revisions, correction lessons).
//!
//! Names and fields follow the `AIAssessmentService` data models of the original design;
//! additions (source page and sentence, explanations, rubrics, revisions) are ours.

mod document;
mod progress;
mod question;
mod quiz;

pub use document::*;
pub use progress::*;
pub use question::*;
pub use quiz::*;

/// The largest PDF the upload endpoint accepts, in bytes (requirement 13.6).
pub const MAX_PDF_BYTES: u64 = 50 * 1024 * 1024;

/// How many questions a document gets when the caller does not say (requirement 13.2).
pub const DEFAULT_QUESTION_COUNT: u32 = 5;

/// The most questions one generation request may ask for.
pub const MAX_QUESTION_COUNT: u32 = 100;
