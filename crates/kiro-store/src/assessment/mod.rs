//! [`AssessmentStore`](kiro_core::assessment::AssessmentStore) for
//! [`SqlStore`](crate::SqlStore): the `assessment_*` tables of migration 0004. Each aggregate
//! keeps its wire DTO as JSON in `body` beside the columns that are filtered, sorted or
//! constrained on; the modules split documents and their jobs from quizzes and progress.

mod documents;
mod jobs;
mod progress;
mod quizzes;

use kiro_core::StoreError;
use serde::Serialize;
use serde::de::DeserializeOwned;

/// A DTO as the JSON stored in a `body` column.
fn to_json<T: Serialize>(value: &T) -> Result<String, StoreError> {
    serde_json::to_string(value).map_err(|e| StoreError::Backend(Box::new(e)))
}

/// A `body` column read back.
fn from_json<T: DeserializeOwned>(body: &str) -> Result<T, StoreError> {
    serde_json::from_str(body).map_err(|e| StoreError::Backend(Box::new(e)))
}

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use kiro_core::assessment::{
    AssessmentRecord, AssessmentStore, DocumentJob, DocumentRecord, QuestionSetRecord,
    ResultRecord, ReviewRecord, RevisionRecord,
};
use kiro_core::events::EventDraft;
use kiro_core::{PageRequest, Paged};
use kiro_types::WorkspaceId;
use kiro_types::assessment::{ExtractedText, TopicAnalysis};

use crate::sql_store::SqlStore;

#[async_trait]
impl AssessmentStore for SqlStore {
    async fn insert_document(
        &self,
        document: &DocumentRecord,
        file: &[u8],
        password: Option<&str>,
        event: &EventDraft,
    ) -> Result<(), StoreError> {
        documents::insert_document(self, document, file, password, event).await
    }

    async fn find_document_by_hash(
        &self,
        workspace: WorkspaceId,
        content_hash: &str,
    ) -> Result<Option<DocumentRecord>, StoreError> {
        documents::find_document_by_hash(self, workspace, content_hash).await
    }

    async fn get_document(
        &self,
        workspace: WorkspaceId,
        id: &str,
    ) -> Result<DocumentRecord, StoreError> {
        documents::get_document(self, workspace, id).await
    }

    async fn list_documents(
        &self,
        workspace: WorkspaceId,
        page: &PageRequest,
    ) -> Result<Paged<DocumentRecord>, StoreError> {
        documents::list_documents(self, workspace, page).await
    }

    async fn delete_document(
        &self,
        workspace: WorkspaceId,
        id: &str,
        event: &EventDraft,
    ) -> Result<(), StoreError> {
        documents::delete_document(self, workspace, id, event).await
    }

    async fn claim_document_job(
        &self,
        now: DateTime<Utc>,
        lease_until: DateTime<Utc>,
    ) -> Result<Option<DocumentJob>, StoreError> {
        jobs::claim_document_job(self, now, lease_until).await
    }

    async fn update_document(
        &self,
        document: &DocumentRecord,
        event: &EventDraft,
    ) -> Result<(), StoreError> {
        jobs::update_document(self, document, event).await
    }

    async fn complete_document(
        &self,
        document: &DocumentRecord,
        text: &ExtractedText,
        analysis: &TopicAnalysis,
        questions: &QuestionSetRecord,
        event: &EventDraft,
    ) -> Result<(), StoreError> {
        jobs::complete_document(self, document, text, analysis, questions, event).await
    }

    async fn fail_document(
        &self,
        document: &DocumentRecord,
        event: &EventDraft,
    ) -> Result<(), StoreError> {
        jobs::fail_document(self, document, event).await
    }

    async fn get_text(
        &self,
        workspace: WorkspaceId,
        id: &str,
    ) -> Result<ExtractedText, StoreError> {
        documents::get_text(self, workspace, id).await
    }

    async fn get_analysis(
        &self,
        workspace: WorkspaceId,
        id: &str,
    ) -> Result<TopicAnalysis, StoreError> {
        documents::get_analysis(self, workspace, id).await
    }

    async fn insert_question_set(
        &self,
        set: &QuestionSetRecord,
        event: &EventDraft,
    ) -> Result<(), StoreError> {
        quizzes::insert_question_set(self, set, event).await
    }

    async fn get_question_set(
        &self,
        workspace: WorkspaceId,
        id: &str,
    ) -> Result<QuestionSetRecord, StoreError> {
        quizzes::get_question_set(self, workspace, id).await
    }

    async fn latest_question_set(
        &self,
        workspace: WorkspaceId,
        pdf_id: &str,
    ) -> Result<QuestionSetRecord, StoreError> {
        quizzes::latest_question_set(self, workspace, pdf_id).await
    }

    async fn insert_assessment(
        &self,
        assessment: &AssessmentRecord,
        event: &EventDraft,
    ) -> Result<(), StoreError> {
        quizzes::insert_assessment(self, assessment, event).await
    }

    async fn get_assessment(
        &self,
        workspace: WorkspaceId,
        id: &str,
    ) -> Result<AssessmentRecord, StoreError> {
        quizzes::get_assessment(self, workspace, id).await
    }

    async fn list_assessments(
        &self,
        workspace: WorkspaceId,
        pdf_id: Option<&str>,
        page: &PageRequest,
    ) -> Result<Paged<AssessmentRecord>, StoreError> {
        quizzes::list_assessments(self, workspace, pdf_id, page).await
    }

    async fn update_assessment(
        &self,
        assessment: &AssessmentRecord,
        expected_version: i64,
        event: &EventDraft,
    ) -> Result<(), StoreError> {
        quizzes::update_assessment(self, assessment, expected_version, event).await
    }

    async fn insert_result(
        &self,
        result: &ResultRecord,
        revisions: &[RevisionRecord],
        event: &EventDraft,
    ) -> Result<(), StoreError> {
        quizzes::insert_result(self, result, revisions, event).await
    }

    async fn list_results(
        &self,
        workspace: WorkspaceId,
        student: Option<&str>,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> Result<Vec<ResultRecord>, StoreError> {
        quizzes::list_results(self, workspace, student, from, to).await
    }

    async fn list_assessment_results(
        &self,
        workspace: WorkspaceId,
        assessment_id: &str,
    ) -> Result<Vec<ResultRecord>, StoreError> {
        quizzes::list_assessment_results(self, workspace, assessment_id).await
    }

    async fn list_revisions(
        &self,
        workspace: WorkspaceId,
        student: &str,
    ) -> Result<Vec<RevisionRecord>, StoreError> {
        progress::list_revisions(self, workspace, student).await
    }

    async fn get_revision(
        &self,
        workspace: WorkspaceId,
        id: &str,
    ) -> Result<RevisionRecord, StoreError> {
        progress::get_revision(self, workspace, id).await
    }

    async fn review_revision(
        &self,
        revision: &RevisionRecord,
        expected_version: i64,
        review: &ReviewRecord,
        event: &EventDraft,
    ) -> Result<(), StoreError> {
        progress::review_revision(self, revision, expected_version, review, event).await
    }

    async fn list_reviews(
        &self,
        workspace: WorkspaceId,
        student: &str,
    ) -> Result<Vec<ReviewRecord>, StoreError> {
        progress::list_reviews(self, workspace, student).await
    }
}
