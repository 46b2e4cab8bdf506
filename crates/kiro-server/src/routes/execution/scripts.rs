//! `/v1/execution/scripts`: the workspace's stored scripts — create, list (paged), read
//! (`ETag`), change (`If-Match`), delete — and `POST /v1/execution/scripts/{id}/execute`,
//! which runs one with parameter values and answers like `POST /v1/execution/run`.

use axum::Json;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use kiro_types::execution::{RunResponse, Script, ScriptExecuteRequest, ScriptIn, ScriptPatch};
use kiro_types::{ErrorEnvelope, Page, PageParams};

use crate::concurrency::{Tagged, conditional_get, if_match_version};
use crate::error::ApiError;
use crate::extract::{IdPath, PageQuery, ValidJson, WorkspaceScope, lists};
use crate::state::AppState;

/// Store a script: code for an environment (built-in or the workspace's) with declared
/// parameters (`string`, `integer`, `number`, `boolean`). 422 for a bad declaration or an
/// unknown environment; 409 `execution.script.conflict` when the name is taken.
#[utoipa::path(post, path = "/v1/execution/scripts", tag = "execution",
    security(("bearer" = []), ("apiKey" = [])), request_body = ScriptIn,
    responses((status = 201, body = Script), (status = 409, body = ErrorEnvelope),
        (status = 422, body = ErrorEnvelope)))]
pub async fn create_script(
    State(state): State<AppState>,
    WorkspaceScope(tenant): WorkspaceScope,
    ValidJson(request): ValidJson<ScriptIn>,
) -> Result<Tagged<Script>, ApiError> {
    let script = state.execution.create_script(&tenant, request).await?;
    Ok(Tagged {
        status: StatusCode::CREATED,
        version: script.version,
        body: script,
    })
}

/// The workspace's scripts, oldest first.
#[utoipa::path(get, path = "/v1/execution/scripts", tag = "execution",
    security(("bearer" = []), ("apiKey" = [])), params(PageParams),
    responses((status = 200, body = Page<Script>), (status = 400, body = ErrorEnvelope)))]
pub async fn list_scripts(
    State(state): State<AppState>,
    WorkspaceScope(tenant): WorkspaceScope,
    paging: PageQuery<lists::ExecutionScripts>,
) -> Result<Json<Page<Script>>, ApiError> {
    let found = state.execution.scripts(&tenant, &paging.request).await?;
    Ok(Json(paging.page(found, Clone::clone)))
}

/// A script, its version as `ETag`.
#[utoipa::path(get, path = "/v1/execution/scripts/{id}", tag = "execution",
    security(("bearer" = []), ("apiKey" = [])),
    params(("id" = String, Path, description = "Script id")),
    responses((status = 200, body = Script), (status = 304), (status = 404, body = ErrorEnvelope)))]
pub async fn get_script(
    State(state): State<AppState>,
    WorkspaceScope(tenant): WorkspaceScope,
    IdPath(id): IdPath<String>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let script = state.execution.script(&tenant, &id).await?;
    Ok(conditional_get(
        &headers,
        Tagged::ok(script.version, script),
    ))
}

/// Change a script; `description: null` clears it. A stale `If-Match` is 409 with the
/// current script in `details.current`.
#[utoipa::path(patch, path = "/v1/execution/scripts/{id}", tag = "execution",
    security(("bearer" = []), ("apiKey" = [])), request_body = ScriptPatch,
    params(("id" = String, Path, description = "Script id"),
        ("If-Match" = Option<String>, Header, description = "Expected version, e.g. \"3\"")),
    responses((status = 200, body = Script), (status = 404, body = ErrorEnvelope),
        (status = 409, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope)))]
pub async fn update_script(
    State(state): State<AppState>,
    WorkspaceScope(tenant): WorkspaceScope,
    IdPath(id): IdPath<String>,
    headers: HeaderMap,
    ValidJson(patch): ValidJson<ScriptPatch>,
) -> Result<Tagged<Script>, ApiError> {
    let expected = if_match_version(&headers)?;
    let script = state
        .execution
        .update_script(&tenant, &id, patch, expected)
        .await?;
    Ok(Tagged::ok(script.version, script))
}

/// Delete a script.
#[utoipa::path(delete, path = "/v1/execution/scripts/{id}", tag = "execution",
    security(("bearer" = []), ("apiKey" = [])),
    params(("id" = String, Path, description = "Script id")),
    responses((status = 204), (status = 404, body = ErrorEnvelope)))]
pub async fn delete_script(
    State(state): State<AppState>,
    WorkspaceScope(tenant): WorkspaceScope,
    IdPath(id): IdPath<String>,
) -> Result<StatusCode, ApiError> {
    state.execution.delete_script(&tenant, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Run a script (the design's `executeScript`) with parameter values, optional stdin and
/// limits (the script's defaults otherwise). Each value reaches the program as the argument
/// `--<name>=<value>` (in declaration order) and as the variable `KIRO_PARAM_<NAME>`.
/// 422 `execution.script.parameters` naming each unknown, missing or mistyped parameter.
#[utoipa::path(post, path = "/v1/execution/scripts/{id}/execute", tag = "execution",
    security(("bearer" = []), ("apiKey" = [])), request_body = ScriptExecuteRequest,
    params(("id" = String, Path, description = "Script id")),
    responses((status = 200, body = RunResponse), (status = 404, body = ErrorEnvelope),
        (status = 422, body = ErrorEnvelope), (status = 503, body = ErrorEnvelope)))]
pub async fn execute_script(
    State(state): State<AppState>,
    WorkspaceScope(tenant): WorkspaceScope,
    IdPath(id): IdPath<String>,
    ValidJson(request): ValidJson<ScriptExecuteRequest>,
) -> Result<Json<RunResponse>, ApiError> {
    Ok(Json(
        state
            .execution
            .execute_script(&tenant, &id, request)
            .await?,
    ))
}
