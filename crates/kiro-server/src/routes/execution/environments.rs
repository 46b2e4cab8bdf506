//! `/v1/execution/environments`: the built-ins found on the host and the workspace's custom
//! environments — list, read (a built-in by name, a custom one by id or name), and for
//! owners and admins create, change (`If-Match`) and delete. Handlers call the catalog of
//! [`crate::execution::ExecutionService`].

use axum::Json;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use kiro_types::ErrorEnvelope;
use kiro_types::execution::{EnvironmentIn, EnvironmentPatch, ExecutionEnvironment};

use crate::concurrency::{Tagged, conditional_get, if_match_version};
use crate::error::ApiError;
use crate::extract::{ValidJson, WorkspaceScope};
use crate::state::AppState;

/// A custom environment with its `ETag`; a built-in (unversioned) as plain JSON.
fn answer(headers: Option<&HeaderMap>, env: ExecutionEnvironment, status: StatusCode) -> Response {
    match env.resource_version {
        Some(version) => {
            let tagged = Tagged {
                status,
                version,
                body: env,
            };
            match headers {
                Some(headers) => conditional_get(headers, tagged),
                None => tagged.into_response(),
            }
        }
        None => (status, Json(env)).into_response(),
    }
}

/// The environments code can run in (the design's `listEnvironments`): the built-ins found
/// on the host, then the workspace's custom ones; `builtin` tells them apart.
#[utoipa::path(get, path = "/v1/execution/environments", tag = "execution",
    security(("bearer" = []), ("apiKey" = [])),
    responses((status = 200, body = Vec<ExecutionEnvironment>), (status = 503, body = ErrorEnvelope)))]
pub async fn list_environments(
    State(state): State<AppState>,
    WorkspaceScope(tenant): WorkspaceScope,
) -> Result<Json<Vec<ExecutionEnvironment>>, ApiError> {
    Ok(Json(state.execution.environments(&tenant).await?))
}

/// Create a custom environment (the design's `createEnvironment`): owner or admin only, as
/// it binds host paths into sandboxes. The engine's validator checks it first (runtime
/// paths exist and are not forbidden, commands can run, limits fit the server's ceiling):
/// 422 with `details.fields` otherwise. 409 `execution.environment.conflict` when the name
/// is a built-in's or already the workspace's.
#[utoipa::path(post, path = "/v1/execution/environments", tag = "execution",
    security(("bearer" = []), ("apiKey" = [])), request_body = EnvironmentIn,
    responses((status = 201, body = ExecutionEnvironment), (status = 403, body = ErrorEnvelope),
        (status = 409, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope),
        (status = 503, body = ErrorEnvelope)))]
pub async fn create_environment(
    State(state): State<AppState>,
    WorkspaceScope(tenant): WorkspaceScope,
    ValidJson(request): ValidJson<EnvironmentIn>,
) -> Result<Response, ApiError> {
    let env = state.execution.create_environment(&tenant, request).await?;
    Ok(answer(None, env, StatusCode::CREATED))
}

/// One environment: a built-in by name, a custom one by id or name (with its `ETag`).
#[utoipa::path(get, path = "/v1/execution/environments/{id}", tag = "execution",
    security(("bearer" = []), ("apiKey" = [])),
    params(("id" = String, Path, description = "A custom environment's id, or any environment's name, e.g. `python3`")),
    responses((status = 200, body = ExecutionEnvironment), (status = 304),
        (status = 404, body = ErrorEnvelope)))]
pub async fn get_environment(
    State(state): State<AppState>,
    WorkspaceScope(tenant): WorkspaceScope,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let env = state.execution.environment(&tenant, &id).await?;
    Ok(answer(Some(&headers), env, StatusCode::OK))
}

/// Change a custom environment (the design's `updateEnvironment`; owner or admin), checked
/// again by the engine. A stale `If-Match` is 409 with the current one in `details.current`.
#[utoipa::path(patch, path = "/v1/execution/environments/{id}", tag = "execution",
    security(("bearer" = []), ("apiKey" = [])), request_body = EnvironmentPatch,
    params(("id" = String, Path, description = "Custom environment id or name"),
        ("If-Match" = Option<String>, Header, description = "Expected version, e.g. \"3\"")),
    responses((status = 200, body = ExecutionEnvironment), (status = 403, body = ErrorEnvelope),
        (status = 404, body = ErrorEnvelope), (status = 409, body = ErrorEnvelope),
        (status = 422, body = ErrorEnvelope)))]
pub async fn update_environment(
    State(state): State<AppState>,
    WorkspaceScope(tenant): WorkspaceScope,
    Path(id): Path<String>,
    headers: HeaderMap,
    ValidJson(patch): ValidJson<EnvironmentPatch>,
) -> Result<Response, ApiError> {
    let expected = if_match_version(&headers)?;
    let env = state
        .execution
        .update_environment(&tenant, &id, patch, expected)
        .await?;
    Ok(answer(None, env, StatusCode::OK))
}

/// Delete a custom environment (the design's `deleteEnvironment`; owner or admin). 409
/// `execution.environment.in_use` while scripts of the workspace run in it.
#[utoipa::path(delete, path = "/v1/execution/environments/{id}", tag = "execution",
    security(("bearer" = []), ("apiKey" = [])),
    params(("id" = String, Path, description = "Custom environment id or name")),
    responses((status = 204), (status = 403, body = ErrorEnvelope),
        (status = 404, body = ErrorEnvelope), (status = 409, body = ErrorEnvelope)))]
pub async fn delete_environment(
    State(state): State<AppState>,
    WorkspaceScope(tenant): WorkspaceScope,
    Path(id): Path<String>,
) -> Result<StatusCode, ApiError> {
    state.execution.delete_environment(&tenant, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}
