//! `/v1/auth/api-keys` and `/v1/auth/clients`: a workspace's API keys and OAuth clients
//! (service accounts). Secrets appear only in the creation response.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use kiro_core::tenancy::Access;
use kiro_types::auth::{
    ApiKeyCreatedOut, ApiKeyIn, ApiKeyListParams, ApiKeyOut, ClientCreatedOut, ClientIn, ClientOut,
};
use kiro_types::workspace::Role;
use kiro_types::{ApiKeyId, ErrorEnvelope, Page, PageParams};

use super::convert::{api_key_out, client_out};
use crate::error::ApiError;
use crate::extract::{IdPath, PageQuery, ValidJson, ValidQuery, WorkspaceScope, lists};
use crate::state::AppState;

/// Create an API key in the current workspace; the secret is shown once.
#[utoipa::path(post, path = "/v1/auth/api-keys", tag = "auth", request_body = ApiKeyIn,
    security(("bearer" = [])),
    params(("X-Kiro-Workspace" = Option<String>, Header, description = "Workspace id")),
    responses(
        (status = 201, body = ApiKeyCreatedOut),
        (status = 403, body = ErrorEnvelope),
        (status = 422, body = ErrorEnvelope),
    ))]
pub async fn create_api_key(
    State(state): State<AppState>,
    WorkspaceScope(tenant): WorkspaceScope,
    ValidJson(input): ValidJson<ApiKeyIn>,
) -> Result<(StatusCode, Json<ApiKeyCreatedOut>), ApiError> {
    tenant.require("auth", Access::Write, Role::Viewer)?;
    let (key, secret) = state.auth.create_api_key(&tenant, input).await?;
    Ok((
        StatusCode::CREATED,
        Json(ApiKeyCreatedOut {
            key: api_key_out(&key),
            secret,
        }),
    ))
}

/// The current workspace's API keys, newest first (all for admins, your own otherwise).
#[utoipa::path(get, path = "/v1/auth/api-keys", tag = "auth",
    security(("bearer" = []), ("apiKey" = [])),
    params(("X-Kiro-Workspace" = Option<String>, Header, description = "Workspace id"),
        ApiKeyListParams, PageParams),
    responses((status = 200, body = Page<ApiKeyOut>), (status = 400, body = ErrorEnvelope)))]
pub async fn list_api_keys(
    State(state): State<AppState>,
    WorkspaceScope(tenant): WorkspaceScope,
    ValidQuery(filter): ValidQuery<ApiKeyListParams>,
    paging: PageQuery<lists::ApiKeys>,
) -> Result<Json<Page<ApiKeyOut>>, ApiError> {
    tenant.require("auth", Access::Read, Role::Viewer)?;
    let keys = state
        .auth
        .list_api_keys(&tenant, filter.revoked, &paging.request)
        .await?;
    Ok(Json(paging.page(keys, api_key_out)))
}

/// Revoke an API key: it stops working at once.
#[utoipa::path(delete, path = "/v1/auth/api-keys/{id}", tag = "auth",
    security(("bearer" = []), ("apiKey" = [])),
    params(("id" = String, Path, description = "API key id"),
        ("X-Kiro-Workspace" = Option<String>, Header, description = "Workspace id")),
    responses((status = 204), (status = 404, body = ErrorEnvelope)))]
pub async fn revoke_api_key(
    State(state): State<AppState>,
    WorkspaceScope(tenant): WorkspaceScope,
    IdPath(id): IdPath<ApiKeyId>,
) -> Result<StatusCode, ApiError> {
    tenant.require("auth", Access::Write, Role::Viewer)?;
    state.auth.revoke_api_key(&tenant, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Register an OAuth client: a public app, or a confidential service account (its secret is
/// shown once).
#[utoipa::path(post, path = "/v1/auth/clients", tag = "auth", request_body = ClientIn,
    security(("bearer" = [])),
    params(("X-Kiro-Workspace" = Option<String>, Header, description = "Workspace id")),
    responses(
        (status = 201, body = ClientCreatedOut),
        (status = 403, body = ErrorEnvelope),
        (status = 422, body = ErrorEnvelope),
    ))]
pub async fn create_client(
    State(state): State<AppState>,
    WorkspaceScope(tenant): WorkspaceScope,
    ValidJson(input): ValidJson<ClientIn>,
) -> Result<(StatusCode, Json<ClientCreatedOut>), ApiError> {
    tenant.require("auth", Access::Write, Role::Admin)?;
    let (client, client_secret) = state.auth.create_client(&tenant, input).await?;
    Ok((
        StatusCode::CREATED,
        Json(ClientCreatedOut {
            client: client_out(&client),
            client_secret,
        }),
    ))
}

/// The current workspace's OAuth clients, newest first (admins only).
#[utoipa::path(get, path = "/v1/auth/clients", tag = "auth",
    security(("bearer" = []), ("apiKey" = [])),
    params(("X-Kiro-Workspace" = Option<String>, Header, description = "Workspace id"),
        PageParams),
    responses((status = 200, body = Page<ClientOut>), (status = 400, body = ErrorEnvelope),
        (status = 403, body = ErrorEnvelope)))]
pub async fn list_clients(
    State(state): State<AppState>,
    WorkspaceScope(tenant): WorkspaceScope,
    paging: PageQuery<lists::Clients>,
) -> Result<Json<Page<ClientOut>>, ApiError> {
    tenant.require("auth", Access::Read, Role::Admin)?;
    let clients = state.auth.list_clients(&tenant, &paging.request).await?;
    Ok(Json(paging.page(clients, client_out)))
}

/// Revoke an OAuth client: its tokens stop working at once.
#[utoipa::path(delete, path = "/v1/auth/clients/{client_id}", tag = "auth",
    security(("bearer" = []), ("apiKey" = [])),
    params(("client_id" = String, Path, description = "Client id"),
        ("X-Kiro-Workspace" = Option<String>, Header, description = "Workspace id")),
    responses((status = 204), (status = 404, body = ErrorEnvelope)))]
pub async fn revoke_client(
    State(state): State<AppState>,
    WorkspaceScope(tenant): WorkspaceScope,
    IdPath(client_id): IdPath<String>,
) -> Result<StatusCode, ApiError> {
    tenant.require("auth", Access::Write, Role::Admin)?;
    state.auth.revoke_client(&tenant, &client_id).await?;
    Ok(StatusCode::NO_CONTENT)
}
