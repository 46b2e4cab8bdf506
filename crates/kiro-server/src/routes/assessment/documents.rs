//! `/v1/assessment/documents`: upload (one PDF or a batch), list, read, delete, and what
//! processing made of a document — text, topics, objectives, correction lessons, questions.

use axum::Json;
use axum::extract::multipart::MultipartRejection;
use axum::extract::{Multipart, State};
use axum::http::StatusCode;
use kiro_types::assessment::{
    BatchFileResult, BatchProcessingResult, ExtractedText, GeneratedQuestions, LearningObjective,
    Lesson, PdfUploadResult, QuestionGenerationOptions, TopicAnalysis,
};
use kiro_types::{ErrorCode, ErrorEnvelope, Page, PageParams};
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};

use super::upload::read_uploads;
use crate::context::RequestId;
use crate::error::ApiError;
use crate::extract::{IdPath, PageQuery, ValidJson, ValidQuery, WorkspaceScope, lists};
use crate::state::AppState;

/// The upload form (`multipart/form-data`).
#[derive(Debug, ToSchema)]
#[allow(dead_code)]
pub struct UploadForm {
    /// The PDF, at most 50 MB (repeat the field in a batch upload).
    #[schema(value_type = String, format = Binary)]
    file: Vec<u8>,
    /// The password of an encrypted PDF.
    password: Option<String>,
    subject: Option<String>,
    /// The topic, if you know it; otherwise the most important topic found is used.
    topic: Option<String>,
}

fn form(form: Result<Multipart, MultipartRejection>) -> Result<Multipart, ApiError> {
    form.map_err(|e| {
        ApiError::new(
            ErrorCode::RequestUnsupportedMediaType,
            format!(
                "send the PDF as multipart/form-data with a `file` field ({})",
                e.body_text()
            ),
        )
    })
}

/// Upload a PDF. It is processed as a job: 202 with the document while it runs (watch its
/// `assessment.document.*` events or poll it); 200 with the existing document when the same
/// file was uploaded before.
#[utoipa::path(post, path = "/v1/assessment/documents", tag = "assessment",
    security(("bearer" = []), ("apiKey" = [])),
    request_body(content = UploadForm, content_type = "multipart/form-data"),
    responses((status = 202, body = PdfUploadResult), (status = 200, body = PdfUploadResult),
        (status = 400, body = ErrorEnvelope), (status = 413, body = ErrorEnvelope),
        (status = 415, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope)))]
pub async fn upload_document(
    State(state): State<AppState>,
    WorkspaceScope(tenant): WorkspaceScope,
    multipart: Result<Multipart, MultipartRejection>,
) -> Result<(StatusCode, Json<PdfUploadResult>), ApiError> {
    let mut uploads = read_uploads(form(multipart)?, false).await?;
    let upload = uploads.remove(0);
    let (document, created) = state.assessment.upload(&tenant, upload).await?;
    let status = if created {
        StatusCode::ACCEPTED
    } else {
        StatusCode::OK
    };
    Ok((status, Json(document)))
}

/// Upload many PDFs at once; each file's outcome is reported on its own.
#[utoipa::path(post, path = "/v1/assessment/documents/batch", tag = "assessment",
    security(("bearer" = []), ("apiKey" = [])),
    request_body(content = UploadForm, content_type = "multipart/form-data"),
    responses((status = 200, body = BatchProcessingResult), (status = 400, body = ErrorEnvelope)))]
pub async fn upload_batch(
    State(state): State<AppState>,
    WorkspaceScope(tenant): WorkspaceScope,
    request_id: Option<axum::Extension<RequestId>>,
    multipart: Result<Multipart, MultipartRejection>,
) -> Result<Json<BatchProcessingResult>, ApiError> {
    let request_id = request_id.map(|r| r.0.0).unwrap_or_default();
    let uploads = read_uploads(form(multipart)?, true).await?;
    let mut items = Vec::with_capacity(uploads.len());
    for upload in uploads {
        let filename = upload.filename.clone();
        items.push(match state.assessment.upload(&tenant, upload).await {
            Ok((document, _)) => BatchFileResult {
                filename,
                document: Some(document),
                error: None,
            },
            Err(e) => BatchFileResult {
                filename,
                document: None,
                error: Some(e.to_body(&request_id)),
            },
        });
    }
    let accepted =
        u32::try_from(items.iter().filter(|i| i.document.is_some()).count()).unwrap_or(u32::MAX);
    let failed = u32::try_from(items.len()).unwrap_or(u32::MAX) - accepted;
    Ok(Json(BatchProcessingResult {
        items,
        accepted,
        failed,
    }))
}

/// The workspace's documents, newest first.
#[utoipa::path(get, path = "/v1/assessment/documents", tag = "assessment",
    security(("bearer" = []), ("apiKey" = [])), params(PageParams),
    responses((status = 200, body = Page<PdfUploadResult>)))]
pub async fn list_documents(
    State(state): State<AppState>,
    WorkspaceScope(tenant): WorkspaceScope,
    paging: PageQuery<lists::Documents>,
) -> Result<Json<Page<PdfUploadResult>>, ApiError> {
    let documents = state
        .assessment
        .list_documents(&tenant, &paging.request)
        .await?;
    Ok(Json(paging.page(documents, |d| d.document.clone())))
}

/// A document and where its processing stands.
#[utoipa::path(get, path = "/v1/assessment/documents/{id}", tag = "assessment",
    security(("bearer" = []), ("apiKey" = [])),
    params(("id" = String, Path, description = "Document id")),
    responses((status = 200, body = PdfUploadResult), (status = 404, body = ErrorEnvelope)))]
pub async fn get_document(
    State(state): State<AppState>,
    WorkspaceScope(tenant): WorkspaceScope,
    IdPath(id): IdPath<String>,
) -> Result<Json<PdfUploadResult>, ApiError> {
    Ok(Json(state.assessment.get_document(&tenant, &id).await?))
}

/// Delete a document with its questions, assessments, results and revisions.
#[utoipa::path(delete, path = "/v1/assessment/documents/{id}", tag = "assessment",
    security(("bearer" = []), ("apiKey" = [])),
    params(("id" = String, Path, description = "Document id")),
    responses((status = 204), (status = 404, body = ErrorEnvelope)))]
pub async fn delete_document(
    State(state): State<AppState>,
    WorkspaceScope(tenant): WorkspaceScope,
    IdPath(id): IdPath<String>,
) -> Result<StatusCode, ApiError> {
    state.assessment.delete_document(&tenant, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The extracted text, page by page.
#[utoipa::path(get, path = "/v1/assessment/documents/{id}/text", tag = "assessment",
    security(("bearer" = []), ("apiKey" = [])),
    params(("id" = String, Path, description = "Document id")),
    responses((status = 200, body = ExtractedText), (status = 409, body = ErrorEnvelope)))]
pub async fn document_text(
    State(state): State<AppState>,
    WorkspaceScope(tenant): WorkspaceScope,
    IdPath(id): IdPath<String>,
) -> Result<Json<ExtractedText>, ApiError> {
    Ok(Json(state.assessment.text(&tenant, &id).await?))
}

/// Topics, key terms, sections, complexity and reading time.
#[utoipa::path(get, path = "/v1/assessment/documents/{id}/topics", tag = "assessment",
    security(("bearer" = []), ("apiKey" = [])),
    params(("id" = String, Path, description = "Document id")),
    responses((status = 200, body = TopicAnalysis), (status = 409, body = ErrorEnvelope)))]
pub async fn document_topics(
    State(state): State<AppState>,
    WorkspaceScope(tenant): WorkspaceScope,
    IdPath(id): IdPath<String>,
) -> Result<Json<TopicAnalysis>, ApiError> {
    Ok(Json(state.assessment.topics(&tenant, &id).await?))
}

/// Learning objectives, each tied to a topic.
#[utoipa::path(get, path = "/v1/assessment/documents/{id}/objectives", tag = "assessment",
    security(("bearer" = []), ("apiKey" = [])),
    params(("id" = String, Path, description = "Document id")),
    responses((status = 200, body = Vec<LearningObjective>), (status = 409, body = ErrorEnvelope)))]
pub async fn document_objectives(
    State(state): State<AppState>,
    WorkspaceScope(tenant): WorkspaceScope,
    IdPath(id): IdPath<String>,
) -> Result<Json<Vec<LearningObjective>>, ApiError> {
    Ok(Json(state.assessment.objectives(&tenant, &id).await?))
}

/// `?topic=` of a lesson request.
#[derive(Debug, Deserialize, IntoParams)]
pub struct LessonQuery {
    /// A topic name or keyword of the document.
    topic: String,
}

/// A correction lesson on one topic, assembled from the document.
#[utoipa::path(get, path = "/v1/assessment/documents/{id}/lesson", tag = "assessment",
    security(("bearer" = []), ("apiKey" = [])),
    params(("id" = String, Path, description = "Document id"), LessonQuery),
    responses((status = 200, body = Lesson), (status = 404, body = ErrorEnvelope)))]
pub async fn document_lesson(
    State(state): State<AppState>,
    WorkspaceScope(tenant): WorkspaceScope,
    IdPath(id): IdPath<String>,
    ValidQuery(query): ValidQuery<LessonQuery>,
) -> Result<Json<Lesson>, ApiError> {
    Ok(Json(
        state.assessment.lesson(&tenant, &id, &query.topic).await?,
    ))
}

/// Generate (or regenerate) questions: `{count?, types?, difficulty?, engine?, seed?}`.
#[utoipa::path(post, path = "/v1/assessment/documents/{id}/questions", tag = "assessment",
    security(("bearer" = []), ("apiKey" = [])),
    params(("id" = String, Path, description = "Document id")),
    request_body = QuestionGenerationOptions,
    responses((status = 201, body = GeneratedQuestions), (status = 409, body = ErrorEnvelope),
        (status = 422, body = ErrorEnvelope)))]
pub async fn generate_questions(
    State(state): State<AppState>,
    WorkspaceScope(tenant): WorkspaceScope,
    IdPath(id): IdPath<String>,
    ValidJson(options): ValidJson<QuestionGenerationOptions>,
) -> Result<(StatusCode, Json<GeneratedQuestions>), ApiError> {
    let set = state
        .assessment
        .generate_questions(&tenant, &id, options)
        .await?;
    Ok((StatusCode::CREATED, Json(set)))
}

/// The newest questions generated for the document.
#[utoipa::path(get, path = "/v1/assessment/documents/{id}/questions", tag = "assessment",
    security(("bearer" = []), ("apiKey" = [])),
    params(("id" = String, Path, description = "Document id")),
    responses((status = 200, body = GeneratedQuestions), (status = 409, body = ErrorEnvelope)))]
pub async fn latest_questions(
    State(state): State<AppState>,
    WorkspaceScope(tenant): WorkspaceScope,
    IdPath(id): IdPath<String>,
) -> Result<Json<GeneratedQuestions>, ApiError> {
    Ok(Json(state.assessment.latest_questions(&tenant, &id).await?))
}
