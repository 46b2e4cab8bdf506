//! Uploaded documents, their extracted text, topic analysis and learning objectives.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// Where a document's processing stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum DocumentStatus {
    Processing,
    Completed,
    Failed,
}

impl DocumentStatus {
    /// The lower-case name stored and sent on the wire.
    pub fn as_str(self) -> &'static str {
        match self {
            DocumentStatus::Processing => "processing",
            DocumentStatus::Completed => "completed",
            DocumentStatus::Failed => "failed",
        }
    }

    /// Parses the lower-case name.
    pub fn parse(name: &str) -> Option<DocumentStatus> {
        [Self::Processing, Self::Completed, Self::Failed]
            .into_iter()
            .find(|s| s.as_str() == name)
    }
}

/// Why a document's processing failed: a stable code (`assessment.pdf.encrypted`, …), what
/// happened and what to do instead.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct DocumentFailure {
    pub code: String,
    pub message: String,
    pub suggestion: String,
}

/// The design's `PDFUploadResult`: an uploaded document and where its processing stands.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct PdfUploadResult {
    pub id: String,
    pub filename: String,
    /// Size in bytes.
    pub size: u64,
    /// Pages, once known (0 while processing).
    pub page_count: u32,
    pub uploaded_at: DateTime<Utc>,
    pub status: DocumentStatus,
    /// Processing progress, 0–100.
    pub progress: u8,
    /// SHA-256 of the file, hex: the same file uploaded twice is one document.
    pub content_hash: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subject: Option<String>,
    /// The topic the uploader gave, or the most important topic found.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub topic: Option<String>,
    /// ISO 639-3 code of the detected language.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub language: Option<String>,
    /// Which extraction engine read the text (`pdf-extract` or `pdftotext`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub extractor: Option<String>,
    /// The whole text, only when asked for (`GET …/text` returns it page by page).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub extracted_text: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub failure: Option<DocumentFailure>,
    pub version: i64,
}

/// One page of extracted text.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct PageText {
    /// 1-based page number.
    pub number: u32,
    pub text: String,
}

/// The design's `ExtractedText`: a document's normalised text, page by page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct ExtractedText {
    pub pdf_id: String,
    pub language: String,
    pub extractor: String,
    pub word_count: u32,
    pub pages: Vec<PageText>,
}

/// How hard a document reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum Complexity {
    Beginner,
    Intermediate,
    Advanced,
}

/// A section found from the document's headings.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct Section {
    pub title: String,
    /// The page the heading is on.
    pub page: u32,
    /// Words in the section.
    pub words: u32,
}

/// One topic of a document.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct IdentifiedTopic {
    pub name: String,
    /// 0–1: how central the topic is.
    pub importance: f64,
    /// Percentage of the document's sentences about it.
    pub coverage: f64,
    pub keywords: Vec<String>,
    pub subtopics: Vec<String>,
    /// Pages the topic appears on, ascending.
    pub pages: Vec<u32>,
}

/// The design's `TopicAnalysis`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct TopicAnalysis {
    pub id: String,
    pub pdf_id: String,
    pub topics: Vec<IdentifiedTopic>,
    pub key_terms: Vec<String>,
    pub sections: Vec<Section>,
    pub complexity: Complexity,
    /// Minutes, at 200 words a minute.
    pub estimated_reading_time: u32,
    /// The learning objectives, each tied to one of `topics`.
    pub objectives: Vec<LearningObjective>,
    /// ISO 639-3 code of the document's language.
    pub language: String,
    pub analyzed_at: DateTime<Utc>,
}

/// The level of Bloom's taxonomy an objective targets.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum BloomLevel {
    Remember,
    Understand,
    Apply,
    Analyze,
    Evaluate,
    Create,
}

/// The design's `LearningObjective`: what a learner should be able to do, tied to a topic.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct LearningObjective {
    pub id: String,
    pub topic: String,
    pub text: String,
    pub bloom_level: BloomLevel,
}
