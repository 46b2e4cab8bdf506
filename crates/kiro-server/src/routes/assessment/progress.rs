//! `/v1/assessment/report`, `/progress` and `/revisions`: a learner's report for a time
//! range, progress analytics, and spaced revisions with their reviews.

use axum::Json;
use axum::extract::State;
use chrono::{DateTime, Utc};
use kiro_types::ErrorEnvelope;
use kiro_types::assessment::{LearningReport, ProgressAnalytics, Revision, RevisionReview};
use serde::Deserialize;
use utoipa::IntoParams;

use super::quizzes::StudentQuery;
use crate::error::ApiError;
use crate::extract::{IdPath, ValidJson, ValidQuery, WorkspaceScope};
use crate::state::AppState;

/// `?studentId=&from=&to=` of a report.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(rename_all = "camelCase")]
pub struct ReportQuery {
    student_id: Option<String>,
    /// RFC 3339; default 30 days before `to`.
    from: Option<DateTime<Utc>>,
    /// RFC 3339; default now.
    to: Option<DateTime<Utc>>,
}

/// Mastery per topic, overall progress and recommendations for a time range.
#[utoipa::path(get, path = "/v1/assessment/report", tag = "assessment",
    security(("bearer" = []), ("apiKey" = [])), params(ReportQuery),
    responses((status = 200, body = LearningReport), (status = 400, body = ErrorEnvelope)))]
pub async fn report(
    State(state): State<AppState>,
    WorkspaceScope(tenant): WorkspaceScope,
    ValidQuery(query): ValidQuery<ReportQuery>,
) -> Result<Json<LearningReport>, ApiError> {
    Ok(Json(
        state
            .assessment
            .report(&tenant, query.student_id, query.from, query.to)
            .await?,
    ))
}

/// Mastery bands, score and retention series, streak and revisions due.
#[utoipa::path(get, path = "/v1/assessment/progress", tag = "assessment",
    security(("bearer" = []), ("apiKey" = [])), params(StudentQuery),
    responses((status = 200, body = ProgressAnalytics)))]
pub async fn progress(
    State(state): State<AppState>,
    WorkspaceScope(tenant): WorkspaceScope,
    ValidQuery(query): ValidQuery<StudentQuery>,
) -> Result<Json<ProgressAnalytics>, ApiError> {
    Ok(Json(
        state.assessment.progress(&tenant, query.student_id).await?,
    ))
}

/// `?due=true` keeps only revisions due now.
#[derive(Debug, Deserialize, IntoParams)]
pub struct RevisionQuery {
    #[serde(default)]
    due: bool,
}

/// The caller's revisions, soonest due first.
#[utoipa::path(get, path = "/v1/assessment/revisions", tag = "assessment",
    security(("bearer" = []), ("apiKey" = [])), params(RevisionQuery),
    responses((status = 200, body = Vec<Revision>)))]
pub async fn revisions(
    State(state): State<AppState>,
    WorkspaceScope(tenant): WorkspaceScope,
    ValidQuery(query): ValidQuery<RevisionQuery>,
) -> Result<Json<Vec<Revision>>, ApiError> {
    Ok(Json(state.assessment.revisions(&tenant, query.due).await?))
}

/// Record how well a topic was recalled; the next revision is scheduled from it.
#[utoipa::path(post, path = "/v1/assessment/revisions/{id}/reviews", tag = "assessment",
    security(("bearer" = []), ("apiKey" = [])), request_body = RevisionReview,
    params(("id" = String, Path, description = "Revision id")),
    responses((status = 200, body = Revision), (status = 404, body = ErrorEnvelope)))]
pub async fn review(
    State(state): State<AppState>,
    WorkspaceScope(tenant): WorkspaceScope,
    IdPath(id): IdPath<String>,
    ValidJson(review): ValidJson<RevisionReview>,
) -> Result<Json<Revision>, ApiError> {
    Ok(Json(
        state.assessment.review(&tenant, &id, review.recall).await?,
    ))
}
