//! `/v1/assessment/assessments`: create (one or a batch), list, read, change, submit answers,
//! evaluate answers without storing them, per-question statistics and topic weaknesses.

use axum::Json;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use kiro_types::assessment::{
    Assessment, AssessmentCreateRequest, AssessmentPatch, AssessmentResult, BatchAssessmentRequest,
    BatchAssessmentResult, QuestionStatistics, StudentAnswers, TopicWeakness,
};
use kiro_types::{ErrorEnvelope, Page, PageParams};
use serde::Deserialize;
use utoipa::IntoParams;

use crate::concurrency::{Tagged, if_match_version};
use crate::context::RequestId;
use crate::error::ApiError;
use crate::extract::{IdPath, PageQuery, ValidJson, ValidQuery, WorkspaceScope, lists};
use crate::state::AppState;

/// Create an assessment from a document's questions (its newest unless `questionsId`).
#[utoipa::path(post, path = "/v1/assessment/assessments", tag = "assessment",
    security(("bearer" = []), ("apiKey" = [])), request_body = AssessmentCreateRequest,
    responses((status = 201, body = Assessment), (status = 404, body = ErrorEnvelope),
        (status = 409, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope)))]
pub async fn create_assessment(
    State(state): State<AppState>,
    WorkspaceScope(tenant): WorkspaceScope,
    ValidJson(request): ValidJson<AssessmentCreateRequest>,
) -> Result<(StatusCode, Json<Assessment>), ApiError> {
    let assessment = state.assessment.create_assessment(&tenant, request).await?;
    Ok((StatusCode::CREATED, Json(assessment)))
}

/// Generate questions and an assessment for each of many documents.
#[utoipa::path(post, path = "/v1/assessment/assessments/batch", tag = "assessment",
    security(("bearer" = []), ("apiKey" = [])), request_body = BatchAssessmentRequest,
    responses((status = 200, body = BatchAssessmentResult), (status = 422, body = ErrorEnvelope)))]
pub async fn create_batch(
    State(state): State<AppState>,
    WorkspaceScope(tenant): WorkspaceScope,
    request_id: Option<axum::Extension<RequestId>>,
    ValidJson(request): ValidJson<BatchAssessmentRequest>,
) -> Result<Json<BatchAssessmentResult>, ApiError> {
    let request_id = request_id.map(|r| r.0.0).unwrap_or_default();
    Ok(Json(
        state
            .assessment
            .create_batch(&tenant, request, &request_id)
            .await?,
    ))
}

/// `?pdfId=` of the assessment list.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(rename_all = "camelCase")]
pub struct AssessmentFilter {
    /// Only assessments of this document.
    pdf_id: Option<String>,
}

/// The workspace's assessments, newest first.
#[utoipa::path(get, path = "/v1/assessment/assessments", tag = "assessment",
    security(("bearer" = []), ("apiKey" = [])), params(PageParams, AssessmentFilter),
    responses((status = 200, body = Page<Assessment>)))]
pub async fn list_assessments(
    State(state): State<AppState>,
    WorkspaceScope(tenant): WorkspaceScope,
    ValidQuery(filter): ValidQuery<AssessmentFilter>,
    paging: PageQuery<lists::Assessments>,
) -> Result<Json<Page<Assessment>>, ApiError> {
    let found = state
        .assessment
        .list_assessments(&tenant, filter.pdf_id.as_deref(), &paging.request)
        .await?;
    Ok(Json(paging.page(found, Clone::clone)))
}

/// An assessment (learners taking someone else's see no answers), its version as `ETag`.
#[utoipa::path(get, path = "/v1/assessment/assessments/{id}", tag = "assessment",
    security(("bearer" = []), ("apiKey" = [])),
    params(("id" = String, Path, description = "Assessment id")),
    responses((status = 200, body = Assessment), (status = 404, body = ErrorEnvelope)))]
pub async fn get_assessment(
    State(state): State<AppState>,
    WorkspaceScope(tenant): WorkspaceScope,
    IdPath(id): IdPath<String>,
) -> Result<Tagged<Assessment>, ApiError> {
    let assessment = state.assessment.get_assessment(&tenant, &id).await?;
    Ok(Tagged::ok(assessment.version, assessment))
}

/// Change title, time limit, passing score or status (draft, active, archived).
#[utoipa::path(patch, path = "/v1/assessment/assessments/{id}", tag = "assessment",
    security(("bearer" = []), ("apiKey" = [])), request_body = AssessmentPatch,
    params(("id" = String, Path, description = "Assessment id"),
        ("If-Match" = Option<String>, Header, description = "Expected version, e.g. \"3\"")),
    responses((status = 200, body = Assessment), (status = 403, body = ErrorEnvelope),
        (status = 409, body = ErrorEnvelope)))]
pub async fn update_assessment(
    State(state): State<AppState>,
    WorkspaceScope(tenant): WorkspaceScope,
    IdPath(id): IdPath<String>,
    headers: HeaderMap,
    ValidJson(patch): ValidJson<AssessmentPatch>,
) -> Result<Tagged<Assessment>, ApiError> {
    let expected = if_match_version(&headers)?;
    let assessment = state
        .assessment
        .update_assessment(&tenant, &id, patch, expected)
        .await?;
    Ok(Tagged::ok(assessment.version, assessment))
}

/// Submit answers: graded, stored once per learner, weak topics scheduled for revision.
#[utoipa::path(post, path = "/v1/assessment/assessments/{id}/submissions", tag = "assessment",
    security(("bearer" = []), ("apiKey" = [])), request_body = StudentAnswers,
    params(("id" = String, Path, description = "Assessment id")),
    responses((status = 201, body = AssessmentResult), (status = 409, body = ErrorEnvelope),
        (status = 422, body = ErrorEnvelope)))]
pub async fn submit_answers(
    State(state): State<AppState>,
    WorkspaceScope(tenant): WorkspaceScope,
    IdPath(id): IdPath<String>,
    ValidJson(answers): ValidJson<StudentAnswers>,
) -> Result<(StatusCode, Json<AssessmentResult>), ApiError> {
    let result = state.assessment.submit(&tenant, &id, answers).await?;
    Ok((StatusCode::CREATED, Json(result)))
}

/// Grade answers without storing anything.
#[utoipa::path(post, path = "/v1/assessment/assessments/{id}/evaluations", tag = "assessment",
    security(("bearer" = []), ("apiKey" = [])), request_body = StudentAnswers,
    params(("id" = String, Path, description = "Assessment id")),
    responses((status = 200, body = AssessmentResult), (status = 422, body = ErrorEnvelope)))]
pub async fn evaluate_answers(
    State(state): State<AppState>,
    WorkspaceScope(tenant): WorkspaceScope,
    IdPath(id): IdPath<String>,
    ValidJson(answers): ValidJson<StudentAnswers>,
) -> Result<Json<AssessmentResult>, ApiError> {
    Ok(Json(
        state.assessment.evaluate(&tenant, &id, answers).await?,
    ))
}

/// How often each question was answered correctly; questions nobody or everybody gets right
/// are flagged (creator and admins).
#[utoipa::path(get, path = "/v1/assessment/assessments/{id}/statistics", tag = "assessment",
    security(("bearer" = []), ("apiKey" = [])),
    params(("id" = String, Path, description = "Assessment id")),
    responses((status = 200, body = Vec<QuestionStatistics>), (status = 403, body = ErrorEnvelope)))]
pub async fn statistics(
    State(state): State<AppState>,
    WorkspaceScope(tenant): WorkspaceScope,
    IdPath(id): IdPath<String>,
) -> Result<Json<Vec<QuestionStatistics>>, ApiError> {
    Ok(Json(state.assessment.statistics(&tenant, &id).await?))
}

/// `?studentId=` (admins may read other learners).
#[derive(Debug, Deserialize, IntoParams)]
#[serde(rename_all = "camelCase")]
pub struct StudentQuery {
    pub student_id: Option<String>,
}

/// The weak topics of a learner's submission, weakest first.
#[utoipa::path(get, path = "/v1/assessment/assessments/{id}/weaknesses", tag = "assessment",
    security(("bearer" = []), ("apiKey" = [])),
    params(("id" = String, Path, description = "Assessment id"), StudentQuery),
    responses((status = 200, body = Vec<TopicWeakness>), (status = 404, body = ErrorEnvelope)))]
pub async fn weaknesses(
    State(state): State<AppState>,
    WorkspaceScope(tenant): WorkspaceScope,
    IdPath(id): IdPath<String>,
    ValidQuery(query): ValidQuery<StudentQuery>,
) -> Result<Json<Vec<TopicWeakness>>, ApiError> {
    Ok(Json(
        state
            .assessment
            .weaknesses(&tenant, &id, query.student_id)
            .await?,
    ))
}
