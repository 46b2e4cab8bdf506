//! `/v1/planning/projects/{id}/tasks` and `/v1/planning/tasks/{id}`: create and list (with
//! filters, paged) a project's tasks; read, change (`If-Match`; a move goes through the
//! project's constraint policy), delete (`?cascade=true` drops dependants' links); add and
//! remove dependencies.

use axum::Json;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use chrono::NaiveDate;
use kiro_core::planning::TaskFilter;
use kiro_types::planning::{Dependency, DependencyIn, Task, TaskIn, TaskPatch, TaskStatus};
use kiro_types::{ErrorEnvelope, Page, PageParams};
use serde::Deserialize;
use utoipa::IntoParams;

use crate::concurrency::{Tagged, conditional_get, if_match_version};
use crate::error::ApiError;
use crate::extract::{IdPath, PageQuery, ValidJson, ValidQuery, WorkspaceScope, lists};
use crate::state::AppState;

/// Create a task in a project (the design's `createTask`).
#[utoipa::path(post, path = "/v1/planning/projects/{id}/tasks", tag = "planning",
    security(("bearer" = []), ("apiKey" = [])), request_body = TaskIn,
    params(("id" = String, Path, description = "Project id")),
    responses((status = 201, body = Task), (status = 404, body = ErrorEnvelope),
        (status = 422, body = ErrorEnvelope)))]
pub async fn create_task(
    State(state): State<AppState>,
    WorkspaceScope(tenant): WorkspaceScope,
    IdPath(project_id): IdPath<String>,
    ValidJson(request): ValidJson<TaskIn>,
) -> Result<Tagged<Task>, ApiError> {
    let task = state
        .planning
        .create_task(&tenant, &project_id, request)
        .await?;
    Ok(super::created(task.version, task))
}

/// The task list's filters. Dates keep tasks whose dates overlap `[from, to]`.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(rename_all = "camelCase")]
pub struct TaskQuery {
    status: Option<TaskStatus>,
    /// A user id.
    assignee: Option<String>,
    tag: Option<String>,
    /// Only tasks gating this milestone.
    milestone_id: Option<String>,
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
}

/// A project's tasks, oldest first (the design's `listTasks`).
#[utoipa::path(get, path = "/v1/planning/projects/{id}/tasks", tag = "planning",
    security(("bearer" = []), ("apiKey" = [])),
    params(("id" = String, Path, description = "Project id"), PageParams, TaskQuery),
    responses((status = 200, body = Page<Task>), (status = 404, body = ErrorEnvelope)))]
pub async fn list_tasks(
    State(state): State<AppState>,
    WorkspaceScope(tenant): WorkspaceScope,
    IdPath(project_id): IdPath<String>,
    ValidQuery(query): ValidQuery<TaskQuery>,
    paging: PageQuery<lists::PlanningTasks>,
) -> Result<Json<Page<Task>>, ApiError> {
    let filter = TaskFilter {
        project_id: None,
        status: query.status,
        assignee: query.assignee,
        tag: query.tag,
        milestone_id: query.milestone_id,
        from: query.from,
        to: query.to,
    };
    let found = state
        .planning
        .list_tasks(&tenant, &project_id, filter, &paging.request)
        .await?;
    Ok(Json(paging.page(found, Clone::clone)))
}

/// A task with its predecessors, its version as `ETag`.
#[utoipa::path(get, path = "/v1/planning/tasks/{id}", tag = "planning",
    security(("bearer" = []), ("apiKey" = [])),
    params(("id" = String, Path, description = "Task id")),
    responses((status = 200, body = Task), (status = 304), (status = 404, body = ErrorEnvelope)))]
pub async fn get_task(
    State(state): State<AppState>,
    WorkspaceScope(tenant): WorkspaceScope,
    IdPath(id): IdPath<String>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let task = state.planning.get_task(&tenant, &id).await?;
    Ok(conditional_get(&headers, Tagged::ok(task.version, task)))
}

/// Change a task (the design's `updateTask`); `null` clears an optional field. New dates
/// that break a dependency are refused (409 `planning.task.violates_dependency`) or push the
/// successors later, as the project's `constraintPolicy` says.
#[utoipa::path(patch, path = "/v1/planning/tasks/{id}", tag = "planning",
    security(("bearer" = []), ("apiKey" = [])), request_body = TaskPatch,
    params(("id" = String, Path, description = "Task id"),
        ("If-Match" = Option<String>, Header, description = "Expected version, e.g. \"3\"")),
    responses((status = 200, body = Task), (status = 404, body = ErrorEnvelope),
        (status = 409, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope)))]
pub async fn update_task(
    State(state): State<AppState>,
    WorkspaceScope(tenant): WorkspaceScope,
    IdPath(id): IdPath<String>,
    headers: HeaderMap,
    ValidJson(patch): ValidJson<TaskPatch>,
) -> Result<Tagged<Task>, ApiError> {
    let expected = if_match_version(&headers)?;
    let mut changed = state
        .planning
        .update_task(&tenant, &id, patch, expected)
        .await?;
    if changed.is_empty() {
        return Err(ApiError::internal("a task update returned no task"));
    }
    let task = changed.swap_remove(0);
    Ok(Tagged::ok(task.version, task))
}

/// `?cascade=` of a task delete.
#[derive(Debug, Deserialize, IntoParams)]
pub struct CascadeQuery {
    /// Also remove the dependencies of other tasks on this one.
    #[serde(default)]
    cascade: bool,
}

/// Delete a task; 409 `planning.task.has_dependants` while others depend on it, unless
/// `?cascade=true`.
#[utoipa::path(delete, path = "/v1/planning/tasks/{id}", tag = "planning",
    security(("bearer" = []), ("apiKey" = [])),
    params(("id" = String, Path, description = "Task id"), CascadeQuery),
    responses((status = 204), (status = 404, body = ErrorEnvelope),
        (status = 409, body = ErrorEnvelope)))]
pub async fn delete_task(
    State(state): State<AppState>,
    WorkspaceScope(tenant): WorkspaceScope,
    IdPath(id): IdPath<String>,
    ValidQuery(query): ValidQuery<CascadeQuery>,
) -> Result<StatusCode, ApiError> {
    state
        .planning
        .delete_task(&tenant, &id, query.cascade)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Make the task depend on `predecessorId` (any project of the workspace). A cycle is
/// refused naming it (409 `planning.dependency.cycle`, `details.cycle`).
#[utoipa::path(post, path = "/v1/planning/tasks/{id}/dependencies", tag = "planning",
    security(("bearer" = []), ("apiKey" = [])), request_body = DependencyIn,
    params(("id" = String, Path, description = "Successor task id")),
    responses((status = 201, body = Dependency), (status = 404, body = ErrorEnvelope),
        (status = 409, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope)))]
pub async fn add_dependency(
    State(state): State<AppState>,
    WorkspaceScope(tenant): WorkspaceScope,
    IdPath(id): IdPath<String>,
    ValidJson(request): ValidJson<DependencyIn>,
) -> Result<(StatusCode, Json<Dependency>), ApiError> {
    let dependency = state.planning.add_dependency(&tenant, &id, request).await?;
    Ok((StatusCode::CREATED, Json(dependency)))
}

/// Remove the task's dependency on a predecessor.
#[utoipa::path(delete, path = "/v1/planning/tasks/{id}/dependencies/{predecessorId}",
    tag = "planning", security(("bearer" = []), ("apiKey" = [])),
    params(("id" = String, Path, description = "Successor task id"),
        ("predecessorId" = String, Path, description = "Predecessor task id")),
    responses((status = 204), (status = 404, body = ErrorEnvelope)))]
pub async fn remove_dependency(
    State(state): State<AppState>,
    WorkspaceScope(tenant): WorkspaceScope,
    IdPath((id, predecessor_id)): IdPath<(String, String)>,
) -> Result<StatusCode, ApiError> {
    state
        .planning
        .remove_dependency(&tenant, &id, &predecessor_id)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}
