//! What is computed from a plan: `GET …/projects/{id}/schedule` (critical path, slack,
//! violations), `…/metrics`, `…/reports/{type}` (JSON, or Markdown / CSV by `?format=` or
//! `Accept`, sent as a named attachment), `…/projects/{id}/utilization` and the workspace's
//! `GET /v1/planning/utilization?from&to`.

use axum::Json;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::{IntoResponse, Response};
use chrono::NaiveDate;
use kiro_core::planning::render;
use kiro_types::planning::{ProjectMetrics, Report, ReportType, Schedule, UtilizationReport};
use kiro_types::{ErrorEnvelope, FieldError};
use serde::Deserialize;
use utoipa::IntoParams;

use crate::error::ApiError;
use crate::extract::{IdPath, ValidQuery, WorkspaceScope};
use crate::state::AppState;

/// The project's schedule (earliest/latest dates, slack, critical path, violations).
#[utoipa::path(get, path = "/v1/planning/projects/{id}/schedule", tag = "planning",
    security(("bearer" = []), ("apiKey" = [])),
    params(("id" = String, Path, description = "Project id")),
    responses((status = 200, body = Schedule), (status = 404, body = ErrorEnvelope)))]
pub async fn schedule(
    State(state): State<AppState>,
    WorkspaceScope(tenant): WorkspaceScope,
    IdPath(id): IdPath<String>,
) -> Result<Json<Schedule>, ApiError> {
    Ok(Json(state.planning.schedule(&tenant, &id).await?))
}

/// The project's metrics (the design's `getProjectMetrics`).
#[utoipa::path(get, path = "/v1/planning/projects/{id}/metrics", tag = "planning",
    security(("bearer" = []), ("apiKey" = [])),
    params(("id" = String, Path, description = "Project id")),
    responses((status = 200, body = ProjectMetrics), (status = 404, body = ErrorEnvelope)))]
pub async fn metrics(
    State(state): State<AppState>,
    WorkspaceScope(tenant): WorkspaceScope,
    IdPath(id): IdPath<String>,
) -> Result<Json<ProjectMetrics>, ApiError> {
    Ok(Json(state.planning.metrics(&tenant, &id).await?))
}

/// `?format=` of a report.
#[derive(Debug, Deserialize, IntoParams)]
pub struct ReportQuery {
    /// `json` (default), `markdown` or `csv`; without it the `Accept` header decides.
    format: Option<String>,
}

/// How a report is sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Format {
    Json,
    Markdown,
    Csv,
}

/// The format `?format=` names, else the first of Markdown and CSV that `Accept` asks for.
fn format(query: Option<&str>, headers: &HeaderMap) -> Result<Format, ApiError> {
    match query {
        Some("json") => Ok(Format::Json),
        Some("markdown" | "md") => Ok(Format::Markdown),
        Some("csv") => Ok(Format::Csv),
        Some(other) => Err(ApiError::validation(vec![FieldError {
            field: "format".into(),
            message: format!("`{other}` is not a report format; use json, markdown or csv"),
        }])),
        None => {
            let accept = headers
                .get(header::ACCEPT)
                .and_then(|v| v.to_str().ok())
                .unwrap_or_default();
            Ok(if accept.contains("text/markdown") {
                Format::Markdown
            } else if accept.contains("text/csv") {
                Format::Csv
            } else {
                Format::Json
            })
        }
    }
}

/// A report (the design's `generateProjectReport`): `status`, `burndown`, `overdue` or
/// `hours`, as JSON, Markdown or CSV.
#[utoipa::path(get, path = "/v1/planning/projects/{id}/reports/{type}", tag = "planning",
    security(("bearer" = []), ("apiKey" = [])),
    params(("id" = String, Path, description = "Project id"),
        ("type" = ReportType, Path, description = "status, burndown, overdue or hours"),
        ReportQuery),
    responses((status = 200, description = "The report",
            content((Report = "application/json"), (String = "text/markdown"), (String = "text/csv"))),
        (status = 404, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope)))]
pub async fn report(
    State(state): State<AppState>,
    WorkspaceScope(tenant): WorkspaceScope,
    IdPath((id, kind)): IdPath<(String, String)>,
    ValidQuery(query): ValidQuery<ReportQuery>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let kind = ReportType::parse(&kind).ok_or_else(|| {
        ApiError::validation(vec![FieldError {
            field: "type".into(),
            message: format!(
                "`{kind}` is not a report type; use status, burndown, overdue or hours"
            ),
        }])
    })?;
    let format = format(query.format.as_deref(), &headers)?;
    let report = state.planning.report(&tenant, &id, kind).await?;
    let (body, content_type, extension) = match format {
        Format::Json => return Ok(Json(report).into_response()),
        Format::Markdown => (
            render::markdown(&report),
            "text/markdown; charset=utf-8",
            "md",
        ),
        Format::Csv => (render::csv(&report), "text/csv; charset=utf-8", "csv"),
    };
    let filename = format!(
        "attachment; filename=\"project-{}-{}.{extension}\"",
        report.project_id,
        kind.as_str()
    );
    let disposition =
        HeaderValue::try_from(filename).unwrap_or(HeaderValue::from_static("attachment"));
    Ok((
        [
            (header::CONTENT_TYPE, HeaderValue::from_static(content_type)),
            (header::CONTENT_DISPOSITION, disposition),
        ],
        body,
    )
        .into_response())
}

/// The date range of a utilisation request.
#[derive(Debug, Deserialize, IntoParams)]
pub struct RangeQuery {
    /// First day (`YYYY-MM-DD`).
    from: Option<NaiveDate>,
    /// Last day, inclusive.
    to: Option<NaiveDate>,
}

/// Utilisation of the people booked on the project, counting their bookings on every
/// project (the design's `getResourceUtilization`); the range defaults to the span of the
/// project's allocations.
#[utoipa::path(get, path = "/v1/planning/projects/{id}/utilization", tag = "planning",
    security(("bearer" = []), ("apiKey" = [])),
    params(("id" = String, Path, description = "Project id"), RangeQuery),
    responses((status = 200, body = UtilizationReport), (status = 404, body = ErrorEnvelope),
        (status = 422, body = ErrorEnvelope)))]
pub async fn project_utilization(
    State(state): State<AppState>,
    WorkspaceScope(tenant): WorkspaceScope,
    IdPath(id): IdPath<String>,
    ValidQuery(range): ValidQuery<RangeQuery>,
) -> Result<Json<UtilizationReport>, ApiError> {
    Ok(Json(
        state
            .planning
            .project_utilization(&tenant, &id, range.from, range.to)
            .await?,
    ))
}

/// Every person's utilisation across the workspace's projects, day by day over
/// `[from, to]`; days above a full day are flagged `overAllocated`.
#[utoipa::path(get, path = "/v1/planning/utilization", tag = "planning",
    security(("bearer" = []), ("apiKey" = [])), params(RangeQuery),
    responses((status = 200, body = UtilizationReport), (status = 422, body = ErrorEnvelope)))]
pub async fn workspace_utilization(
    State(state): State<AppState>,
    WorkspaceScope(tenant): WorkspaceScope,
    ValidQuery(range): ValidQuery<RangeQuery>,
) -> Result<Json<UtilizationReport>, ApiError> {
    let (Some(from), Some(to)) = (range.from, range.to) else {
        return Err(ApiError::validation(vec![FieldError {
            field: "from".into(),
            message: "give both from and to, e.g. ?from=2026-03-01&to=2026-03-31".into(),
        }]));
    };
    Ok(Json(
        state
            .planning
            .workspace_utilization(&tenant, from, to)
            .await?,
    ))
}
