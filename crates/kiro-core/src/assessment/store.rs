//! [`AssessmentStore`]: the port kiro-store implements for documents, their processing jobs,
//! extracted text, analyses, question sets, assessments, results, revisions and reviews.
//! Every method that changes workspace data takes its [`EventDraft`].

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use kiro_types::WorkspaceId;
use kiro_types::assessment::{ExtractedText, TopicAnalysis};

use super::records::{
    AssessmentRecord, DocumentRecord, QuestionSetRecord, ResultRecord, ReviewRecord, RevisionRecord,
};
use crate::events::EventDraft;
use crate::page::{PageRequest, Paged};
use crate::store::StoreError;

/// A claimed processing job: the document, its file, and the password it came with.
#[derive(Debug, Clone)]
pub struct DocumentJob {
    pub document: DocumentRecord,
    pub file: Vec<u8>,
    pub password: Option<String>,
    /// Claims so far, this one included.
    pub attempts: u32,
}

/// Assessment storage.
#[async_trait]
pub trait AssessmentStore: Send + Sync {
    /// Inserts a document with its file and queues its processing job, atomically.
    /// `Conflict` when the workspace already has a document with the same content hash.
    async fn insert_document(
        &self,
        document: &DocumentRecord,
        file: &[u8],
        password: Option<&str>,
        event: &EventDraft,
    ) -> Result<(), StoreError>;
    async fn find_document_by_hash(
        &self,
        workspace: WorkspaceId,
        content_hash: &str,
    ) -> Result<Option<DocumentRecord>, StoreError>;
    async fn get_document(
        &self,
        workspace: WorkspaceId,
        id: &str,
    ) -> Result<DocumentRecord, StoreError>;
    /// Newest first.
    async fn list_documents(
        &self,
        workspace: WorkspaceId,
        page: &PageRequest,
    ) -> Result<Paged<DocumentRecord>, StoreError>;
    /// Deletes a document and everything made from it.
    async fn delete_document(
        &self,
        workspace: WorkspaceId,
        id: &str,
        event: &EventDraft,
    ) -> Result<(), StoreError>;

    /// Claims the oldest processing job whose lease has run out, leasing it until
    /// `lease_until`. Any process may claim; a crashed worker's job is retaken.
    async fn claim_document_job(
        &self,
        now: DateTime<Utc>,
        lease_until: DateTime<Utc>,
    ) -> Result<Option<DocumentJob>, StoreError>;
    /// Writes a processing document's new state (progress, pages, language).
    async fn update_document(
        &self,
        document: &DocumentRecord,
        event: &EventDraft,
    ) -> Result<(), StoreError>;
    /// Marks a document completed with its text, analysis and first questions, and drops its
    /// job and file, atomically.
    async fn complete_document(
        &self,
        document: &DocumentRecord,
        text: &ExtractedText,
        analysis: &TopicAnalysis,
        questions: &QuestionSetRecord,
        event: &EventDraft,
    ) -> Result<(), StoreError>;
    /// Marks a document failed and drops its job and file, atomically.
    async fn fail_document(
        &self,
        document: &DocumentRecord,
        event: &EventDraft,
    ) -> Result<(), StoreError>;
    async fn get_text(&self, workspace: WorkspaceId, id: &str)
    -> Result<ExtractedText, StoreError>;
    async fn get_analysis(
        &self,
        workspace: WorkspaceId,
        id: &str,
    ) -> Result<TopicAnalysis, StoreError>;

    async fn insert_question_set(
        &self,
        set: &QuestionSetRecord,
        event: &EventDraft,
    ) -> Result<(), StoreError>;
    async fn get_question_set(
        &self,
        workspace: WorkspaceId,
        id: &str,
    ) -> Result<QuestionSetRecord, StoreError>;
    /// The newest question set of a document.
    async fn latest_question_set(
        &self,
        workspace: WorkspaceId,
        pdf_id: &str,
    ) -> Result<QuestionSetRecord, StoreError>;

    async fn insert_assessment(
        &self,
        assessment: &AssessmentRecord,
        event: &EventDraft,
    ) -> Result<(), StoreError>;
    async fn get_assessment(
        &self,
        workspace: WorkspaceId,
        id: &str,
    ) -> Result<AssessmentRecord, StoreError>;
    /// Newest first, optionally of one document.
    async fn list_assessments(
        &self,
        workspace: WorkspaceId,
        pdf_id: Option<&str>,
        page: &PageRequest,
    ) -> Result<Paged<AssessmentRecord>, StoreError>;
    /// Writes the assessment if its version is still `expected_version`; `Stale` otherwise.
    async fn update_assessment(
        &self,
        assessment: &AssessmentRecord,
        expected_version: i64,
        event: &EventDraft,
    ) -> Result<(), StoreError>;

    /// Inserts a result and the revisions it schedules (revisions already scheduled for the
    /// same learner, document and topic are kept), atomically. `Conflict` when the learner
    /// already submitted this assessment.
    async fn insert_result(
        &self,
        result: &ResultRecord,
        revisions: &[RevisionRecord],
        event: &EventDraft,
    ) -> Result<(), StoreError>;
    /// A learner's results (all learners' when `student` is `None`) completed in
    /// `[from, to]`, oldest first.
    async fn list_results(
        &self,
        workspace: WorkspaceId,
        student: Option<&str>,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> Result<Vec<ResultRecord>, StoreError>;
    async fn list_assessment_results(
        &self,
        workspace: WorkspaceId,
        assessment_id: &str,
    ) -> Result<Vec<ResultRecord>, StoreError>;

    /// A learner's revisions, soonest due first.
    async fn list_revisions(
        &self,
        workspace: WorkspaceId,
        student: &str,
    ) -> Result<Vec<RevisionRecord>, StoreError>;
    async fn get_revision(
        &self,
        workspace: WorkspaceId,
        id: &str,
    ) -> Result<RevisionRecord, StoreError>;
    /// Writes a reviewed revision if its version is still `expected_version` and logs the
    /// review; `Stale` otherwise.
    async fn review_revision(
        &self,
        revision: &RevisionRecord,
        expected_version: i64,
        review: &ReviewRecord,
        event: &EventDraft,
    ) -> Result<(), StoreError>;
    /// A learner's reviews, oldest first.
    async fn list_reviews(
        &self,
        workspace: WorkspaceId,
        student: &str,
    ) -> Result<Vec<ReviewRecord>, StoreError>;
}
