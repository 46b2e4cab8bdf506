//! `/v1/workspaces`: the caller's workspaces — list, create, read, rename, delete. A
//! workspace's `version` is its `ETag` (see `crate::concurrency`).

use axum::Json;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use kiro_types::workspace::{WorkspaceIn, WorkspaceOut, WorkspacePatch};
use kiro_types::{ErrorCode, ErrorEnvelope, Page, PageParams, WorkspaceId};

use super::convert::workspace_out;
use crate::concurrency::{Tagged, conditional_get, if_match_version};
use crate::error::ApiError;
use crate::extract::{Authenticated, IdPath, PageQuery, ValidJson, lists};
use crate::state::AppState;

/// Workspaces the caller belongs to, oldest first.
#[utoipa::path(get, path = "/v1/workspaces", tag = "workspaces",
    security(("bearer" = []), ("apiKey" = [])),
    params(PageParams),
    responses((status = 200, body = Page<WorkspaceOut>), (status = 400, body = ErrorEnvelope),
        (status = 401, body = ErrorEnvelope)))]
pub async fn list_workspaces(
    State(state): State<AppState>,
    Authenticated(principal): Authenticated,
    paging: PageQuery<lists::Workspaces>,
) -> Result<Json<Page<WorkspaceOut>>, ApiError> {
    let workspaces = state
        .tenancy
        .list_workspaces(&principal, &paging.request)
        .await?;
    Ok(Json(paging.page(workspaces, |(w, r)| workspace_out(w, *r))))
}

/// Create a workspace; the caller becomes its owner.
#[utoipa::path(post, path = "/v1/workspaces", tag = "workspaces", request_body = WorkspaceIn,
    security(("bearer" = [])),
    responses((status = 201, body = WorkspaceOut), (status = 422, body = ErrorEnvelope)))]
pub async fn create_workspace(
    State(state): State<AppState>,
    Authenticated(principal): Authenticated,
    ValidJson(input): ValidJson<WorkspaceIn>,
) -> Result<(StatusCode, Json<WorkspaceOut>), ApiError> {
    let (workspace, role) = state
        .tenancy
        .create_workspace(&principal, &input.name)
        .await?;
    Ok((StatusCode::CREATED, Json(workspace_out(&workspace, role))))
}

/// One workspace, with its version as `ETag`; `If-None-Match` with that version answers 304.
#[utoipa::path(get, path = "/v1/workspaces/{id}", tag = "workspaces",
    security(("bearer" = []), ("apiKey" = [])),
    params(("id" = String, Path, description = "Workspace id"),
        ("If-None-Match" = Option<String>, Header,
            description = "An ETag already held, e.g. \"3\"; answers 304 while it is current")),
    responses(
        (status = 200, body = WorkspaceOut,
            headers(("ETag" = String, description = "The version, e.g. \"3\""))),
        (status = 304, description = "Not modified: the held ETag is current",
            headers(("ETag" = String, description = "The version, e.g. \"3\""))),
        (status = 404, body = ErrorEnvelope),
    ))]
pub async fn get_workspace(
    State(state): State<AppState>,
    Authenticated(principal): Authenticated,
    IdPath(id): IdPath<WorkspaceId>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let (workspace, role) = state.tenancy.get_workspace(&principal, id).await?;
    Ok(conditional_get(
        &headers,
        Tagged::ok(workspace.version, workspace_out(&workspace, role)),
    ))
}

/// Rename a workspace (admin or owner). `If-Match` guards against lost updates.
#[utoipa::path(patch, path = "/v1/workspaces/{id}", tag = "workspaces", request_body = WorkspacePatch,
    security(("bearer" = [])),
    params(("id" = String, Path, description = "Workspace id"),
        ("If-Match" = Option<String>, Header, description = "Expected version, e.g. \"3\"")),
    responses(
        (status = 200, body = WorkspaceOut,
            headers(("ETag" = String, description = "The new version, e.g. \"4\""))),
        (status = 403, body = ErrorEnvelope),
        (status = 404, body = ErrorEnvelope),
        (status = 409, description = "Stale `If-Match`; `details.current` is the resource now",
            body = ErrorEnvelope),
    ))]
pub async fn update_workspace(
    State(state): State<AppState>,
    Authenticated(principal): Authenticated,
    IdPath(id): IdPath<WorkspaceId>,
    headers: HeaderMap,
    ValidJson(patch): ValidJson<WorkspacePatch>,
) -> Result<Tagged<WorkspaceOut>, ApiError> {
    let expected = if_match_version(&headers)?;
    match state
        .tenancy
        .rename_workspace(&principal, id, patch.name, expected)
        .await
    {
        Ok((workspace, role)) => Ok(Tagged::ok(
            workspace.version,
            workspace_out(&workspace, role),
        )),
        Err(e) => {
            let mut api = ApiError::from(e);
            if api.code == ErrorCode::ResourceConflict {
                let (current, role) = state.tenancy.get_workspace(&principal, id).await?;
                api = api
                    .with_details(serde_json::json!({ "current": workspace_out(&current, role) }));
            }
            Err(api)
        }
    }
}

/// Delete a workspace and everything in it (owner only; not a personal workspace).
#[utoipa::path(delete, path = "/v1/workspaces/{id}", tag = "workspaces",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "Workspace id")),
    responses((status = 204), (status = 403, body = ErrorEnvelope),
        (status = 404, body = ErrorEnvelope), (status = 409, body = ErrorEnvelope)))]
pub async fn delete_workspace(
    State(state): State<AppState>,
    Authenticated(principal): Authenticated,
    IdPath(id): IdPath<WorkspaceId>,
) -> Result<StatusCode, ApiError> {
    state.tenancy.delete_workspace(&principal, id).await?;
    Ok(StatusCode::NO_CONTENT)
}
