//! `/v1/execution/jobs`: submit a run to the queue (202 with the job and its `Location`),
//! list and read jobs, cancel one, and read its log and resource usage. Live output arrives
//! as `execution.job.output` events on `execution.job.{id}`.

use axum::Json;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use kiro_core::execution::JobFilter;
use kiro_types::execution::{Job, JobLogs, JobStatus, JobUsage, RunRequest};
use kiro_types::{ErrorEnvelope, Page, PageParams};
use serde::Deserialize;
use utoipa::IntoParams;

use crate::error::ApiError;
use crate::extract::{IdPath, PageQuery, ValidJson, ValidQuery, WorkspaceScope, lists};
use crate::state::AppState;

/// Filters of `GET /v1/execution/jobs`.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct JobQuery {
    /// Only jobs in this status.
    status: Option<JobStatus>,
    /// Only jobs of this environment.
    environment: Option<String>,
}

/// `?after=&limit=` of a job's log.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct LogQuery {
    /// Lines after this sequence number (0, the default, from the first).
    after: Option<u64>,
    /// At most this many lines (default 200, at most 1000).
    limit: Option<u32>,
}

/// Queue a run (the design's `submitJob`): the same request as `POST /v1/execution/run`,
/// with no cap on its total time. 202 with the queued job; follow `execution.job.{id}`
/// events (queued, started, output…, completed/failed/cancelled) or poll the job. 422 for a
/// bad request; 503 `execution.unavailable` when this host cannot run code;
/// 503 `execution.queue_full` with `Retry-After` when the queue is full.
#[utoipa::path(post, path = "/v1/execution/jobs", tag = "execution",
    security(("bearer" = []), ("apiKey" = [])),
    request_body = RunRequest,
    responses((status = 202, body = Job), (status = 422, body = ErrorEnvelope),
        (status = 503, body = ErrorEnvelope)))]
pub async fn submit_job(
    State(state): State<AppState>,
    WorkspaceScope(tenant): WorkspaceScope,
    ValidJson(request): ValidJson<RunRequest>,
) -> Result<(StatusCode, HeaderMap, Json<Job>), ApiError> {
    let job = state.execution.submit_job(&tenant, request).await?;
    let mut headers = HeaderMap::new();
    if let Ok(location) = HeaderValue::from_str(&format!("/v1/execution/jobs/{}", job.id)) {
        headers.insert(header::LOCATION, location);
    }
    Ok((StatusCode::ACCEPTED, headers, Json(job)))
}

/// The workspace's jobs, newest first (the design's `listJobs`).
#[utoipa::path(get, path = "/v1/execution/jobs", tag = "execution",
    security(("bearer" = []), ("apiKey" = [])), params(PageParams, JobQuery),
    responses((status = 200, body = Page<Job>), (status = 400, body = ErrorEnvelope)))]
pub async fn list_jobs(
    State(state): State<AppState>,
    WorkspaceScope(tenant): WorkspaceScope,
    ValidQuery(query): ValidQuery<JobQuery>,
    paging: PageQuery<lists::ExecutionJobs>,
) -> Result<Json<Page<Job>>, ApiError> {
    let filter = JobFilter {
        status: query.status,
        environment: query.environment.filter(|e| !e.is_empty()),
    };
    let jobs = state
        .execution
        .list_jobs(&tenant, &filter, &paging.request)
        .await?;
    Ok(Json(paging.page(jobs, Job::clone)))
}

/// A job and where it stands (the design's `getJobStatus`), with its result once done.
#[utoipa::path(get, path = "/v1/execution/jobs/{id}", tag = "execution",
    security(("bearer" = []), ("apiKey" = [])),
    params(("id" = String, Path, description = "Job id")),
    responses((status = 200, body = Job), (status = 404, body = ErrorEnvelope)))]
pub async fn get_job(
    State(state): State<AppState>,
    WorkspaceScope(tenant): WorkspaceScope,
    IdPath(id): IdPath<String>,
) -> Result<Json<Job>, ApiError> {
    Ok(Json(state.execution.job(&tenant, &id).await?))
}

/// Cancel a queued or running job (a running one is killed). 409
/// `execution.job.not_cancellable` when it already ended.
#[utoipa::path(post, path = "/v1/execution/jobs/{id}/cancel", tag = "execution",
    security(("bearer" = []), ("apiKey" = [])),
    params(("id" = String, Path, description = "Job id")),
    responses((status = 200, body = Job), (status = 404, body = ErrorEnvelope),
        (status = 409, body = ErrorEnvelope)))]
pub async fn cancel_job(
    State(state): State<AppState>,
    WorkspaceScope(tenant): WorkspaceScope,
    IdPath(id): IdPath<String>,
) -> Result<Json<Job>, ApiError> {
    Ok(Json(state.execution.cancel_job(&tenant, &id).await?))
}

/// A job's output in the order written (the design's `getExecutionLogs`).
#[utoipa::path(get, path = "/v1/execution/jobs/{id}/logs", tag = "execution",
    security(("bearer" = []), ("apiKey" = [])),
    params(("id" = String, Path, description = "Job id"), LogQuery),
    responses((status = 200, body = JobLogs), (status = 404, body = ErrorEnvelope)))]
pub async fn job_logs(
    State(state): State<AppState>,
    WorkspaceScope(tenant): WorkspaceScope,
    IdPath(id): IdPath<String>,
    ValidQuery(query): ValidQuery<LogQuery>,
) -> Result<Json<JobLogs>, ApiError> {
    let logs = state
        .execution
        .job_logs(
            &tenant,
            &id,
            query.after.unwrap_or(0),
            query.limit.unwrap_or(200),
        )
        .await?;
    Ok(Json(logs))
}

/// What a job used (the design's `getResourceUsage`); `usage` is absent until it completed.
#[utoipa::path(get, path = "/v1/execution/jobs/{id}/usage", tag = "execution",
    security(("bearer" = []), ("apiKey" = [])),
    params(("id" = String, Path, description = "Job id")),
    responses((status = 200, body = JobUsage), (status = 404, body = ErrorEnvelope)))]
pub async fn job_usage(
    State(state): State<AppState>,
    WorkspaceScope(tenant): WorkspaceScope,
    IdPath(id): IdPath<String>,
) -> Result<Json<JobUsage>, ApiError> {
    Ok(Json(state.execution.job_usage(&tenant, &id).await?))
}
