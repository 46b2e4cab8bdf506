//! `/v1/execution/containers`: long-lived sandboxes of the workspace — create, list, read,
//! start, exec a command, stop (processes killed, files kept) and delete. An action the
//! container's state does not allow is 409 `execution.container.state` naming the state it
//! needs. Handlers call [`crate::execution::containers::ContainerService`].

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use kiro_types::ErrorEnvelope;
use kiro_types::execution::{Container, ContainerCreateRequest, ContainerExecRequest, RunDetail};

use crate::error::ApiError;
use crate::extract::{IdPath, ValidJson, WorkspaceScope};
use crate::state::AppState;

/// Create a container for an environment: its `/work` directory exists, nothing runs yet
/// (`state: created`). 409 `execution.container.limit` when the workspace holds the most it
/// may; 422 for an unknown environment or limits above its maxima.
#[utoipa::path(post, path = "/v1/execution/containers", tag = "execution",
    security(("bearer" = []), ("apiKey" = [])), request_body = ContainerCreateRequest,
    responses((status = 201, body = Container), (status = 409, body = ErrorEnvelope),
        (status = 422, body = ErrorEnvelope), (status = 503, body = ErrorEnvelope)))]
pub async fn create_container(
    State(state): State<AppState>,
    WorkspaceScope(tenant): WorkspaceScope,
    ValidJson(request): ValidJson<ContainerCreateRequest>,
) -> Result<(StatusCode, Json<Container>), ApiError> {
    let container = state.containers.create(&tenant, &request).await?;
    Ok((StatusCode::CREATED, Json(container)))
}

/// The workspace's containers.
#[utoipa::path(get, path = "/v1/execution/containers", tag = "execution",
    security(("bearer" = []), ("apiKey" = [])),
    responses((status = 200, body = Vec<Container>), (status = 503, body = ErrorEnvelope)))]
pub async fn list_containers(
    State(state): State<AppState>,
    WorkspaceScope(tenant): WorkspaceScope,
) -> Result<Json<Vec<Container>>, ApiError> {
    Ok(Json(state.containers.list(&tenant)?))
}

/// One container and its state.
#[utoipa::path(get, path = "/v1/execution/containers/{id}", tag = "execution",
    security(("bearer" = []), ("apiKey" = [])),
    params(("id" = String, Path, description = "Container id")),
    responses((status = 200, body = Container), (status = 404, body = ErrorEnvelope)))]
pub async fn get_container(
    State(state): State<AppState>,
    WorkspaceScope(tenant): WorkspaceScope,
    IdPath(id): IdPath<String>,
) -> Result<Json<Container>, ApiError> {
    Ok(Json(state.containers.get(&tenant, &id)?))
}

/// Start a created or stopped container (its files are where they were left).
#[utoipa::path(post, path = "/v1/execution/containers/{id}/start", tag = "execution",
    security(("bearer" = []), ("apiKey" = [])),
    params(("id" = String, Path, description = "Container id")),
    responses((status = 200, body = Container), (status = 404, body = ErrorEnvelope),
        (status = 409, body = ErrorEnvelope)))]
pub async fn start_container(
    State(state): State<AppState>,
    WorkspaceScope(tenant): WorkspaceScope,
    IdPath(id): IdPath<String>,
) -> Result<Json<Container>, ApiError> {
    Ok(Json(state.containers.start_container(&tenant, &id).await?))
}

/// Run a command in a running container, in `/work`, and answer its verdict, exit status,
/// output and usage. Nothing it starts outlives it.
#[utoipa::path(post, path = "/v1/execution/containers/{id}/exec", tag = "execution",
    security(("bearer" = []), ("apiKey" = [])),
    params(("id" = String, Path, description = "Container id")),
    request_body = ContainerExecRequest,
    responses((status = 200, body = RunDetail), (status = 404, body = ErrorEnvelope),
        (status = 409, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope),
        (status = 503, body = ErrorEnvelope)))]
pub async fn exec_in_container(
    State(state): State<AppState>,
    WorkspaceScope(tenant): WorkspaceScope,
    IdPath(id): IdPath<String>,
    ValidJson(request): ValidJson<ContainerExecRequest>,
) -> Result<Json<RunDetail>, ApiError> {
    Ok(Json(state.containers.exec(&tenant, &id, &request).await?))
}

/// Stop a running container: every process is killed, the files are kept.
#[utoipa::path(post, path = "/v1/execution/containers/{id}/stop", tag = "execution",
    security(("bearer" = []), ("apiKey" = [])),
    params(("id" = String, Path, description = "Container id")),
    responses((status = 200, body = Container), (status = 404, body = ErrorEnvelope),
        (status = 409, body = ErrorEnvelope)))]
pub async fn stop_container(
    State(state): State<AppState>,
    WorkspaceScope(tenant): WorkspaceScope,
    IdPath(id): IdPath<String>,
) -> Result<Json<Container>, ApiError> {
    Ok(Json(state.containers.stop(&tenant, &id).await?))
}

/// Delete a created or stopped container and its files (stop a running one first).
#[utoipa::path(delete, path = "/v1/execution/containers/{id}", tag = "execution",
    security(("bearer" = []), ("apiKey" = [])),
    params(("id" = String, Path, description = "Container id")),
    responses((status = 204), (status = 404, body = ErrorEnvelope),
        (status = 409, body = ErrorEnvelope)))]
pub async fn delete_container(
    State(state): State<AppState>,
    WorkspaceScope(tenant): WorkspaceScope,
    IdPath(id): IdPath<String>,
) -> Result<StatusCode, ApiError> {
    state.containers.delete(&tenant, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}
