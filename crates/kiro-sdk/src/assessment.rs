//! [`AssessmentClient`]: the assessment service's typed calls — the design's
//! `AIAssessmentService` (upload, text, topics, objectives, questions, assessments, answers,
//! weaknesses, reports, progress, batches) plus revisions and correction lessons. It derefs to
//! the service's [`ServiceHandle`] for status and health.

use std::ops::Deref;
use std::time::Duration;

use chrono::{DateTime, Utc};
use futures::StreamExt;
use kiro_types::Page;
use kiro_types::assessment::{
    Assessment, AssessmentCreateRequest, AssessmentPatch, AssessmentResult, BatchAssessmentRequest,
    BatchAssessmentResult, BatchProcessingResult, DocumentStatus, ExtractedText,
    GeneratedQuestions, LearningObjective, LearningReport, Lesson, PdfUploadResult,
    ProgressAnalytics, QuestionGenerationOptions, QuestionStatistics, Recall, Revision,
    StudentAnswers, TopicAnalysis, TopicWeakness,
};
use serde::de::DeserializeOwned;
use serde_json::json;

use crate::call::{Call, FormPart, RawBody};
use crate::error::KiroError;
use crate::services::ServiceHandle;

/// Form fields sent with an upload.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct UploadOptions {
    /// The password of an encrypted PDF.
    pub password: Option<String>,
    pub subject: Option<String>,
    pub topic: Option<String>,
}

/// The assessment service; cheap to clone.
#[derive(Debug, Clone)]
pub struct AssessmentClient {
    handle: ServiceHandle,
}

impl Deref for AssessmentClient {
    type Target = ServiceHandle;
    fn deref(&self) -> &ServiceHandle {
        &self.handle
    }
}

/// Percent-encodes a query value.
fn query_value(value: &str) -> String {
    url::form_urlencoded::byte_serialize(value.as_bytes()).collect()
}

impl AssessmentClient {
    pub(crate) fn new(handle: ServiceHandle) -> Self {
        Self { handle }
    }

    async fn send<T: DeserializeOwned>(&self, call: Call) -> Result<T, KiroError> {
        self.handle.call(call).await?.json()
    }

    fn upload_body(files: &[(String, Vec<u8>)], options: &UploadOptions) -> RawBody {
        let mut parts: Vec<FormPart> = files
            .iter()
            .map(|(name, bytes)| FormPart {
                name: "file".to_owned(),
                filename: Some(name.clone()),
                bytes: bytes.clone(),
            })
            .collect();
        for (name, value) in [
            ("password", &options.password),
            ("subject", &options.subject),
            ("topic", &options.topic),
        ] {
            if let Some(value) = value {
                parts.push(FormPart {
                    name: name.to_owned(),
                    filename: None,
                    bytes: value.as_bytes().to_vec(),
                });
            }
        }
        RawBody::multipart(&parts)
    }

    /// Uploads a PDF; processing runs on the server (see [`Self::wait_for_document`]).
    pub async fn upload_pdf(
        &self,
        filename: &str,
        bytes: Vec<u8>,
        options: &UploadOptions,
    ) -> Result<PdfUploadResult, KiroError> {
        let body = Self::upload_body(&[(filename.to_owned(), bytes)], options);
        self.send(Call::post("/documents").raw(body)).await
    }

    /// Uploads many PDFs in one request; each file's outcome is reported on its own.
    pub async fn process_batch_pdfs(
        &self,
        files: Vec<(String, Vec<u8>)>,
        options: &UploadOptions,
    ) -> Result<BatchProcessingResult, KiroError> {
        let body = Self::upload_body(&files, options);
        self.send(Call::post("/documents/batch").raw(body)).await
    }

    pub async fn document(&self, id: &str) -> Result<PdfUploadResult, KiroError> {
        self.send(Call::get(format!("/documents/{id}"))).await
    }

    /// One page of the workspace's documents, newest first.
    pub async fn documents(
        &self,
        cursor: Option<&str>,
    ) -> Result<Page<PdfUploadResult>, KiroError> {
        let path = match cursor {
            Some(c) => format!("/documents?cursor={}", query_value(c)),
            None => "/documents".to_owned(),
        };
        self.send(Call::get(path)).await
    }

    pub async fn delete_document(&self, id: &str) -> Result<(), KiroError> {
        self.send(Call::delete(format!("/documents/{id}"))).await
    }

    /// Waits until a document has finished processing (completed or failed), following its
    /// `assessment.document.*` events and re-reading it on each; `timeout` bounds the wait.
    pub async fn wait_for_document(
        &self,
        id: &str,
        timeout: Duration,
    ) -> Result<PdfUploadResult, KiroError> {
        let mut events = self
            .client()
            .subscribe([format!("assessment.document.{id}")])?;
        let wait = async {
            events.ready().await?;
            loop {
                let document = self.document(id).await?;
                if document.status != DocumentStatus::Processing {
                    return Ok(document);
                }
                if events.next().await.is_none() {
                    return Err(KiroError::Connection("the event stream ended".into()));
                }
            }
        };
        tokio::time::timeout(timeout, wait)
            .await
            .map_err(|_| KiroError::Timeout)?
    }

    pub async fn extract_text(&self, pdf_id: &str) -> Result<ExtractedText, KiroError> {
        self.send(Call::get(format!("/documents/{pdf_id}/text")))
            .await
    }

    pub async fn analyze_topics(&self, pdf_id: &str) -> Result<TopicAnalysis, KiroError> {
        self.send(Call::get(format!("/documents/{pdf_id}/topics")))
            .await
    }

    pub async fn identify_learning_objectives(
        &self,
        pdf_id: &str,
    ) -> Result<Vec<LearningObjective>, KiroError> {
        self.send(Call::get(format!("/documents/{pdf_id}/objectives")))
            .await
    }

    /// A correction lesson on one topic of a document.
    pub async fn lesson(&self, pdf_id: &str, topic: &str) -> Result<Lesson, KiroError> {
        let path = format!("/documents/{pdf_id}/lesson?topic={}", query_value(topic));
        self.send(Call::get(path)).await
    }

    pub async fn generate_questions(
        &self,
        pdf_id: &str,
        options: &QuestionGenerationOptions,
    ) -> Result<GeneratedQuestions, KiroError> {
        let body = serde_json::to_value(options).map_err(|e| KiroError::Decode(e.to_string()))?;
        self.send(Call::post(format!("/documents/{pdf_id}/questions")).json(body))
            .await
    }

    /// A new set of `count` questions (a different seed each time).
    pub async fn regenerate_questions(
        &self,
        pdf_id: &str,
        count: u32,
    ) -> Result<GeneratedQuestions, KiroError> {
        let seed = u64::from_le_bytes(
            uuid::Uuid::new_v4().as_bytes()[..8]
                .try_into()
                .unwrap_or_default(),
        );
        let body = json!({ "count": count, "seed": seed });
        self.send(Call::post(format!("/documents/{pdf_id}/questions")).json(body))
            .await
    }

    pub async fn latest_questions(&self, pdf_id: &str) -> Result<GeneratedQuestions, KiroError> {
        self.send(Call::get(format!("/documents/{pdf_id}/questions")))
            .await
    }

    pub async fn create_assessment(
        &self,
        request: &AssessmentCreateRequest,
    ) -> Result<Assessment, KiroError> {
        let body = serde_json::to_value(request).map_err(|e| KiroError::Decode(e.to_string()))?;
        self.send(Call::post("/assessments").json(body)).await
    }

    pub async fn generate_batch_assessments(
        &self,
        request: &BatchAssessmentRequest,
    ) -> Result<BatchAssessmentResult, KiroError> {
        let body = serde_json::to_value(request).map_err(|e| KiroError::Decode(e.to_string()))?;
        self.send(Call::post("/assessments/batch").json(body)).await
    }

    pub async fn assessment(&self, id: &str) -> Result<Assessment, KiroError> {
        self.send(Call::get(format!("/assessments/{id}"))).await
    }

    /// One page of assessments, newest first, optionally of one document.
    pub async fn assessments(&self, pdf_id: Option<&str>) -> Result<Page<Assessment>, KiroError> {
        let path = match pdf_id {
            Some(id) => format!("/assessments?pdfId={}", query_value(id)),
            None => "/assessments".to_owned(),
        };
        self.send(Call::get(path)).await
    }

    /// Changes an assessment; with `expected_version`, a stale version answers 409.
    pub async fn update_assessment(
        &self,
        id: &str,
        patch: &AssessmentPatch,
        expected_version: Option<i64>,
    ) -> Result<Assessment, KiroError> {
        let body = serde_json::to_value(patch).map_err(|e| KiroError::Decode(e.to_string()))?;
        let mut call = Call::patch(format!("/assessments/{id}")).json(body);
        if let Some(v) = expected_version {
            call = call.if_match(format!("\"{v}\""));
        }
        self.send(call).await
    }

    pub async fn submit_answers(
        &self,
        assessment_id: &str,
        answers: &StudentAnswers,
    ) -> Result<AssessmentResult, KiroError> {
        let body = serde_json::to_value(answers).map_err(|e| KiroError::Decode(e.to_string()))?;
        self.send(Call::post(format!("/assessments/{assessment_id}/submissions")).json(body))
            .await
    }

    pub async fn evaluate_answers(
        &self,
        assessment_id: &str,
        answers: &StudentAnswers,
    ) -> Result<AssessmentResult, KiroError> {
        let body = serde_json::to_value(answers).map_err(|e| KiroError::Decode(e.to_string()))?;
        self.send(Call::post(format!("/assessments/{assessment_id}/evaluations")).json(body))
            .await
    }

    pub async fn question_statistics(
        &self,
        assessment_id: &str,
    ) -> Result<Vec<QuestionStatistics>, KiroError> {
        self.send(Call::get(format!(
            "/assessments/{assessment_id}/statistics"
        )))
        .await
    }

    /// Weak topics of a learner's submission (the caller's when `student_id` is `None`).
    pub async fn topic_weaknesses(
        &self,
        assessment_id: &str,
        student_id: Option<&str>,
    ) -> Result<Vec<TopicWeakness>, KiroError> {
        let mut path = format!("/assessments/{assessment_id}/weaknesses");
        if let Some(s) = student_id {
            path.push_str(&format!("?studentId={}", query_value(s)));
        }
        self.send(Call::get(path)).await
    }

    pub async fn learning_report(
        &self,
        student_id: Option<&str>,
        from: Option<DateTime<Utc>>,
        to: Option<DateTime<Utc>>,
    ) -> Result<LearningReport, KiroError> {
        let mut query = Vec::new();
        if let Some(s) = student_id {
            query.push(format!("studentId={}", query_value(s)));
        }
        for (name, at) in [("from", from), ("to", to)] {
            if let Some(at) = at {
                query.push(format!("{name}={}", query_value(&at.to_rfc3339())));
            }
        }
        let path = if query.is_empty() {
            "/report".to_owned()
        } else {
            format!("/report?{}", query.join("&"))
        };
        self.send(Call::get(path)).await
    }

    pub async fn progress_analytics(
        &self,
        student_id: Option<&str>,
    ) -> Result<ProgressAnalytics, KiroError> {
        let path = match student_id {
            Some(s) => format!("/progress?studentId={}", query_value(s)),
            None => "/progress".to_owned(),
        };
        self.send(Call::get(path)).await
    }

    /// The caller's revisions, soonest due first; only those due now when `due_only`.
    pub async fn revisions(&self, due_only: bool) -> Result<Vec<Revision>, KiroError> {
        let path = if due_only {
            "/revisions?due=true"
        } else {
            "/revisions"
        };
        self.send(Call::get(path)).await
    }

    pub async fn review_revision(&self, id: &str, recall: Recall) -> Result<Revision, KiroError> {
        self.send(Call::post(format!("/revisions/{id}/reviews")).json(json!({ "recall": recall })))
            .await
    }
}
