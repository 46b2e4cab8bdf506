//! Correction lessons. SKELETON: the helper replaces the bodies; signatures are the contract.

use kiro_types::assessment::Lesson;

use crate::Document;
use crate::analysis::Analysis;

/// A lesson on `topic` assembled from the document; `None` when the topic is not in it.
/// `pdf_id` is copied into the lesson.
pub fn lesson(
    document: &Document,
    analysis: &Analysis,
    topic: &str,
    pdf_id: &str,
) -> Option<Lesson> {
    let _ = (document, analysis, topic, pdf_id);
    None
}
