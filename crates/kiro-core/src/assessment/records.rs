//! Stored assessment records: each wire DTO with the workspace it belongs to and, where the
//! DTO does not say, who made it.

use chrono::{DateTime, Utc};
use kiro_types::WorkspaceId;
use kiro_types::assessment::{
    Assessment, AssessmentResult, GeneratedQuestions, PdfUploadResult, Recall, Revision,
};

use crate::page::SortKey;

/// An uploaded document.
#[derive(Debug, Clone, PartialEq)]
pub struct DocumentRecord {
    pub workspace_id: WorkspaceId,
    /// The uploader's student id (see [`crate::principal::Principal::student_id`]).
    pub owner: String,
    pub document: PdfUploadResult,
}

impl DocumentRecord {
    /// Newest first by upload time.
    pub fn sort_key(&self) -> SortKey {
        SortKey {
            at_ms: self.document.uploaded_at.timestamp_millis(),
            id: self.document.id.clone(),
        }
    }
}

/// One generation of questions for a document.
#[derive(Debug, Clone, PartialEq)]
pub struct QuestionSetRecord {
    pub workspace_id: WorkspaceId,
    pub set: GeneratedQuestions,
}

/// An assessment.
#[derive(Debug, Clone, PartialEq)]
pub struct AssessmentRecord {
    pub workspace_id: WorkspaceId,
    pub created_by: String,
    pub assessment: Assessment,
}

impl AssessmentRecord {
    /// Newest first by creation time.
    pub fn sort_key(&self) -> SortKey {
        SortKey {
            at_ms: self.assessment.created_at.timestamp_millis(),
            id: self.assessment.id.clone(),
        }
    }
}

/// A submitted result, with the document its assessment came from.
#[derive(Debug, Clone, PartialEq)]
pub struct ResultRecord {
    pub workspace_id: WorkspaceId,
    pub pdf_id: String,
    pub result: AssessmentResult,
}

/// A learner's revision schedule for one topic.
#[derive(Debug, Clone, PartialEq)]
pub struct RevisionRecord {
    pub workspace_id: WorkspaceId,
    pub student_id: String,
    pub revision: Revision,
}

/// One review of a revision, kept for retention history.
#[derive(Debug, Clone, PartialEq)]
pub struct ReviewRecord {
    pub revision_id: String,
    pub recall: Recall,
    /// Predicted recall at review time, 0–1.
    pub retrievability: f64,
    pub at: DateTime<Utc>,
}
