//! Documents: uploading (checked at once for what can be checked without reading the PDF,
//! deduplicated by content hash), reading them and what processing made of them (text,
//! topics, objectives, correction lessons), deleting them, and generating questions again.

use std::sync::Arc;

use kiro_assess::questions::GenerateOptions;
use kiro_core::PageRequest;
use kiro_core::assessment::{DocumentRecord, QuestionSetRecord, kinds};
use kiro_core::tenancy::{Access, Tenant};
use kiro_core::{Paged, StoreError};
use kiro_types::ErrorCode;
use kiro_types::assessment::{
    DEFAULT_QUESTION_COUNT, DocumentStatus, EngineChoice, ExtractedText, GeneratedQuestions,
    LearningObjective, Lesson, MAX_PDF_BYTES, PdfUploadResult, QuestionGenerationOptions,
    QuestionType, TopicAnalysis,
};
use serde_json::json;
use sha2::{Digest, Sha256};

use super::worker::{engine_analysis, engine_document, seed_of, with_fresh_ids};
use super::{AssessmentService, new_id, not_found, require};
use crate::error::ApiError;

/// One uploaded file with the form fields that came with it.
#[derive(Debug, Clone, Default)]
pub struct Upload {
    pub filename: String,
    pub bytes: Vec<u8>,
    pub password: Option<String>,
    pub subject: Option<String>,
    pub topic: Option<String>,
}

/// How far into a file its `%PDF-` header may start (as PDF readers allow).
const HEADER_WINDOW: usize = 1024;

/// The checks that need no PDF parser: empty, too large, not a PDF.
fn check_file(bytes: &[u8]) -> Result<(), ApiError> {
    if bytes.is_empty() {
        return Err(ApiError::new(
            ErrorCode::AssessmentPdfEmpty,
            "the file is empty (0 bytes); choose the PDF again",
        ));
    }
    let size = u64::try_from(bytes.len()).unwrap_or(u64::MAX);
    if size > MAX_PDF_BYTES {
        return Err(ApiError::new(
            ErrorCode::AssessmentPdfTooLarge,
            format!(
                "the file is {size} bytes; PDFs up to {MAX_PDF_BYTES} bytes (50 MB) are accepted — \
                 split it by chapter or compress its images"
            ),
        )
        .with_details(json!({ "size": size, "limit": MAX_PDF_BYTES })));
    }
    let head = &bytes[..bytes.len().min(HEADER_WINDOW)];
    if !head.windows(5).any(|w| w == b"%PDF-") {
        return Err(ApiError::new(
            ErrorCode::AssessmentPdfNotPdf,
            "the file is not a PDF, whatever its name says; export or print it to PDF and upload that",
        ));
    }
    Ok(())
}

/// A file name safe to store and show: its last path segment, without control characters,
/// at most 255 characters.
fn clean_filename(name: &str) -> String {
    let base = name.rsplit(['/', '\\']).next().unwrap_or(name);
    let cleaned: String = base.chars().filter(|c| !c.is_control()).take(255).collect();
    let trimmed = cleaned.trim();
    if trimmed.is_empty() {
        "document.pdf".to_owned()
    } else {
        trimmed.to_owned()
    }
}

fn clean_label(value: Option<String>) -> Option<String> {
    value
        .map(|v| v.trim().chars().take(200).collect::<String>())
        .filter(|v| !v.is_empty())
}

impl AssessmentService {
    /// Accepts a PDF for processing. Returns the document and whether it is new: the same
    /// file uploaded again into the workspace is the same document (unless its processing
    /// failed, when the new upload replaces it — with a password, say).
    pub async fn upload(
        &self,
        tenant: &Tenant,
        upload: Upload,
    ) -> Result<(PdfUploadResult, bool), ApiError> {
        require(tenant, Access::Write)?;
        check_file(&upload.bytes)?;
        let content_hash = hex(&Sha256::digest(&upload.bytes));
        if let Some(existing) = self
            .store
            .find_document_by_hash(tenant.workspace_id, &content_hash)
            .await?
        {
            if existing.document.status != DocumentStatus::Failed {
                return Ok((existing.document, false));
            }
            self.delete_document(tenant, &existing.document.id).await?;
        }
        let now = self.now();
        let document = PdfUploadResult {
            id: new_id(),
            filename: clean_filename(&upload.filename),
            size: u64::try_from(upload.bytes.len()).unwrap_or(u64::MAX),
            page_count: 0,
            uploaded_at: now,
            status: DocumentStatus::Processing,
            progress: 0,
            content_hash: content_hash.clone(),
            subject: clean_label(upload.subject),
            topic: clean_label(upload.topic),
            language: None,
            extractor: None,
            extracted_text: None,
            failure: None,
            version: 1,
        };
        let record = DocumentRecord {
            workspace_id: tenant.workspace_id,
            owner: tenant.principal.student_id(),
            document,
        };
        let event = self.event(
            tenant,
            kinds::DOCUMENT_UPLOADED,
            &record.document.id,
            1,
            json!({ "filename": record.document.filename, "size": record.document.size }),
        );
        let password = upload.password.filter(|p| !p.is_empty());
        match self
            .store
            .insert_document(&record, &upload.bytes, password.as_deref(), &event)
            .await
        {
            Ok(()) => {
                self.wake.notify_one();
                Ok((record.document, true))
            }
            // A concurrent upload of the same file won the race: answer with its document.
            Err(StoreError::Conflict { .. }) => self
                .store
                .find_document_by_hash(tenant.workspace_id, &content_hash)
                .await?
                .map(|d| (d.document, false))
                .ok_or_else(|| ApiError::internal("a conflicting upload vanished")),
            Err(e) => Err(e.into()),
        }
    }

    pub async fn get_document(
        &self,
        tenant: &Tenant,
        id: &str,
    ) -> Result<PdfUploadResult, ApiError> {
        require(tenant, Access::Read)?;
        Ok(self.document(tenant, id).await?.document)
    }

    async fn document(&self, tenant: &Tenant, id: &str) -> Result<DocumentRecord, ApiError> {
        self.store
            .get_document(tenant.workspace_id, id)
            .await
            .map_err(not_found(ErrorCode::AssessmentDocumentNotFound, "document"))
    }

    /// A document that has finished processing; 409 while it is processing or failed.
    pub(super) async fn completed(
        &self,
        tenant: &Tenant,
        id: &str,
    ) -> Result<DocumentRecord, ApiError> {
        let record = self.document(tenant, id).await?;
        match record.document.status {
            DocumentStatus::Completed => Ok(record),
            DocumentStatus::Processing => Err(ApiError::new(
                ErrorCode::AssessmentDocumentProcessing,
                format!(
                    "the document is still being processed ({} %); wait for its \
                     assessment.document.completed event or poll it",
                    record.document.progress
                ),
            )
            .with_retry_after(1)),
            DocumentStatus::Failed => {
                let reason = record
                    .document
                    .failure
                    .as_ref()
                    .map(|f| format!("{} {}", f.message, f.suggestion))
                    .unwrap_or_default();
                Err(ApiError::new(
                    ErrorCode::AssessmentDocumentFailed,
                    format!("the document could not be processed: {reason}"),
                )
                .with_details(json!({ "failure": record.document.failure })))
            }
        }
    }

    pub async fn list_documents(
        &self,
        tenant: &Tenant,
        page: &PageRequest,
    ) -> Result<Paged<DocumentRecord>, ApiError> {
        require(tenant, Access::Read)?;
        Ok(self.store.list_documents(tenant.workspace_id, page).await?)
    }

    /// Deletes a document with everything made from it.
    pub async fn delete_document(&self, tenant: &Tenant, id: &str) -> Result<(), ApiError> {
        require(tenant, Access::Write)?;
        let record = self.document(tenant, id).await?;
        let event = self.event(
            tenant,
            kinds::DOCUMENT_DELETED,
            id,
            record.document.version + 1,
            json!({}),
        );
        self.store
            .delete_document(tenant.workspace_id, id, &event)
            .await
            .map_err(not_found(ErrorCode::AssessmentDocumentNotFound, "document"))
    }

    pub async fn text(&self, tenant: &Tenant, id: &str) -> Result<ExtractedText, ApiError> {
        require(tenant, Access::Read)?;
        self.completed(tenant, id).await?;
        Ok(self.store.get_text(tenant.workspace_id, id).await?)
    }

    pub async fn topics(&self, tenant: &Tenant, id: &str) -> Result<TopicAnalysis, ApiError> {
        require(tenant, Access::Read)?;
        self.completed(tenant, id).await?;
        Ok(self.store.get_analysis(tenant.workspace_id, id).await?)
    }

    pub async fn objectives(
        &self,
        tenant: &Tenant,
        id: &str,
    ) -> Result<Vec<LearningObjective>, ApiError> {
        Ok(self.topics(tenant, id).await?.objectives)
    }

    /// A correction lesson on one topic of the document.
    pub async fn lesson(&self, tenant: &Tenant, id: &str, topic: &str) -> Result<Lesson, ApiError> {
        let analysis = self.topics(tenant, id).await?;
        let text = self.store.get_text(tenant.workspace_id, id).await?;
        let (topic, pdf_id) = (topic.to_owned(), id.to_owned());
        let lesson = tokio::task::spawn_blocking(move || {
            kiro_assess::lesson::lesson(
                &engine_document(&text),
                &engine_analysis(&analysis),
                &topic,
                &pdf_id,
            )
        })
        .await
        .map_err(ApiError::internal)?;
        lesson.ok_or_else(|| {
            ApiError::new(
                ErrorCode::AssessmentTopicNotFound,
                "the document says nothing about this topic; pick one from its topics",
            )
        })
    }

    /// Generates a new set of questions for a processed document.
    pub async fn generate_questions(
        &self,
        tenant: &Tenant,
        id: &str,
        options: QuestionGenerationOptions,
    ) -> Result<GeneratedQuestions, ApiError> {
        require(tenant, Access::Write)?;
        let record = self.completed(tenant, id).await?;
        let text = self.store.get_text(tenant.workspace_id, id).await?;
        let analysis = self.store.get_analysis(tenant.workspace_id, id).await?;
        let seed = options
            .seed
            .unwrap_or_else(|| seed_of(&record.document.content_hash));
        let engine_options = GenerateOptions {
            count: options.count.unwrap_or(DEFAULT_QUESTION_COUNT) as usize,
            types: options.types.unwrap_or_else(|| QuestionType::ALL.to_vec()),
            difficulty: options.difficulty,
            seed,
        };
        let choice = options.engine.unwrap_or(EngineChoice::Auto);
        let document = Arc::new(engine_document(&text));
        let analysis = Arc::new(engine_analysis(&analysis));
        let produced = self
            .produce_questions(choice, document, analysis, engine_options)
            .await?;
        let set = QuestionSetRecord {
            workspace_id: tenant.workspace_id,
            set: GeneratedQuestions {
                id: new_id(),
                pdf_id: id.to_owned(),
                questions: with_fresh_ids(produced.generated.questions),
                generated_at: self.now(),
                ai_model: produced.ai_model,
                confidence: produced.generated.confidence,
                seed,
                fallback_reason: produced.fallback_reason,
            },
        };
        let event = self.event(
            tenant,
            kinds::QUESTIONS_GENERATED,
            &set.set.id,
            1,
            json!({ "pdfId": id, "count": set.set.questions.len(), "aiModel": set.set.ai_model }),
        );
        self.store.insert_question_set(&set, &event).await?;
        Ok(set.set)
    }

    /// The newest questions generated for a document.
    pub async fn latest_questions(
        &self,
        tenant: &Tenant,
        id: &str,
    ) -> Result<GeneratedQuestions, ApiError> {
        require(tenant, Access::Read)?;
        self.completed(tenant, id).await?;
        let set = self
            .store
            .latest_question_set(tenant.workspace_id, id)
            .await
            .map_err(not_found(
                ErrorCode::AssessmentQuestionsNotFound,
                "questions",
            ))?;
        Ok(set.set)
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn files_are_checked_before_any_parsing() {
        assert_eq!(
            check_file(b"").unwrap_err().code,
            ErrorCode::AssessmentPdfEmpty
        );
        assert_eq!(
            check_file(b"PK\x03\x04 a zip").unwrap_err().code,
            ErrorCode::AssessmentPdfNotPdf
        );
        assert!(check_file(b"%PDF-1.7\n").is_ok());
        assert!(check_file(b"\xef\xbb\xbf%PDF-1.4\n").is_ok());
    }

    #[test]
    fn file_names_keep_only_their_last_segment() {
        assert_eq!(clean_filename("../../etc/passwd"), "passwd");
        assert_eq!(clean_filename("C:\\notes\\week1.pdf"), "week1.pdf");
        assert_eq!(clean_filename("\u{7}"), "document.pdf");
    }
}
