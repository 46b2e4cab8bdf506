//! `/v1/planning/projects`: create, list (by status, paged), read, change (`If-Match`),
//! delete with everything planned in the project.

use axum::Json;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use kiro_types::planning::{Project, ProjectIn, ProjectPatch, ProjectStatus};
use kiro_types::{ErrorEnvelope, Page, PageParams};
use serde::Deserialize;
use utoipa::IntoParams;

use crate::concurrency::{Tagged, conditional_get, if_match_version};
use crate::error::ApiError;
use crate::extract::{IdPath, PageQuery, ValidJson, ValidQuery, WorkspaceScope, lists};
use crate::state::AppState;

/// Create a project (the design's `createProject`); the owner defaults to the caller.
#[utoipa::path(post, path = "/v1/planning/projects", tag = "planning",
    security(("bearer" = []), ("apiKey" = [])), request_body = ProjectIn,
    responses((status = 201, body = Project), (status = 422, body = ErrorEnvelope)))]
pub async fn create_project(
    State(state): State<AppState>,
    WorkspaceScope(tenant): WorkspaceScope,
    ValidJson(request): ValidJson<ProjectIn>,
) -> Result<Tagged<Project>, ApiError> {
    let project = state.planning.create_project(&tenant, request).await?;
    Ok(super::created(project.version, project))
}

/// `?status=` of the project list.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(rename_all = "camelCase")]
pub struct ProjectFilter {
    /// Only projects in this status.
    status: Option<ProjectStatus>,
}

/// The workspace's projects, oldest first.
#[utoipa::path(get, path = "/v1/planning/projects", tag = "planning",
    security(("bearer" = []), ("apiKey" = [])), params(PageParams, ProjectFilter),
    responses((status = 200, body = Page<Project>)))]
pub async fn list_projects(
    State(state): State<AppState>,
    WorkspaceScope(tenant): WorkspaceScope,
    ValidQuery(filter): ValidQuery<ProjectFilter>,
    paging: PageQuery<lists::PlanningProjects>,
) -> Result<Json<Page<Project>>, ApiError> {
    let found = state
        .planning
        .list_projects(&tenant, filter.status, &paging.request)
        .await?;
    Ok(Json(paging.page(found, Clone::clone)))
}

/// A project, its version as `ETag`.
#[utoipa::path(get, path = "/v1/planning/projects/{id}", tag = "planning",
    security(("bearer" = []), ("apiKey" = [])),
    params(("id" = String, Path, description = "Project id")),
    responses((status = 200, body = Project), (status = 304), (status = 404, body = ErrorEnvelope)))]
pub async fn get_project(
    State(state): State<AppState>,
    WorkspaceScope(tenant): WorkspaceScope,
    IdPath(id): IdPath<String>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let project = state.planning.get_project(&tenant, &id).await?;
    Ok(conditional_get(
        &headers,
        Tagged::ok(project.version, project),
    ))
}

/// Change a project (the design's `updateProject`); `null` clears a date.
#[utoipa::path(patch, path = "/v1/planning/projects/{id}", tag = "planning",
    security(("bearer" = []), ("apiKey" = [])), request_body = ProjectPatch,
    params(("id" = String, Path, description = "Project id"),
        ("If-Match" = Option<String>, Header, description = "Expected version, e.g. \"3\"")),
    responses((status = 200, body = Project), (status = 404, body = ErrorEnvelope),
        (status = 409, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope)))]
pub async fn update_project(
    State(state): State<AppState>,
    WorkspaceScope(tenant): WorkspaceScope,
    IdPath(id): IdPath<String>,
    headers: HeaderMap,
    ValidJson(patch): ValidJson<ProjectPatch>,
) -> Result<Tagged<Project>, ApiError> {
    let expected = if_match_version(&headers)?;
    let project = state
        .planning
        .update_project(&tenant, &id, patch, expected)
        .await?;
    Ok(Tagged::ok(project.version, project))
}

/// Delete a project with its tasks, dependencies, milestones and allocations.
#[utoipa::path(delete, path = "/v1/planning/projects/{id}", tag = "planning",
    security(("bearer" = []), ("apiKey" = [])),
    params(("id" = String, Path, description = "Project id")),
    responses((status = 204), (status = 404, body = ErrorEnvelope)))]
pub async fn delete_project(
    State(state): State<AppState>,
    WorkspaceScope(tenant): WorkspaceScope,
    IdPath(id): IdPath<String>,
) -> Result<StatusCode, ApiError> {
    state.planning.delete_project(&tenant, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}
