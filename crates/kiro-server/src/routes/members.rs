//! `/v1/workspaces/{id}/members`: who belongs to a workspace and with which role.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use kiro_core::tenancy::MemberRef;
use kiro_types::workspace::{MemberIn, MemberOut, MemberPatch};
use kiro_types::{ErrorEnvelope, FieldError, Page, PageParams, UserId, WorkspaceId};

use super::convert::member_out;
use crate::error::ApiError;
use crate::extract::{Authenticated, IdPath, PageQuery, ValidJson, lists};
use crate::state::AppState;

/// The members of a workspace, by join time.
#[utoipa::path(get, path = "/v1/workspaces/{id}/members", tag = "workspaces",
    security(("bearer" = []), ("apiKey" = [])),
    params(("id" = String, Path, description = "Workspace id"), PageParams),
    responses((status = 200, body = Page<MemberOut>), (status = 400, body = ErrorEnvelope),
        (status = 404, body = ErrorEnvelope)))]
pub async fn list_members(
    State(state): State<AppState>,
    Authenticated(principal): Authenticated,
    IdPath(id): IdPath<WorkspaceId>,
    paging: PageQuery<lists::Members>,
) -> Result<Json<Page<MemberOut>>, ApiError> {
    let members = state
        .tenancy
        .list_members(&principal, id, &paging.request)
        .await?;
    Ok(Json(paging.page(members, member_out)))
}

/// Add an existing user (by email or id) with a role.
#[utoipa::path(post, path = "/v1/workspaces/{id}/members", tag = "workspaces", request_body = MemberIn,
    security(("bearer" = [])),
    params(("id" = String, Path, description = "Workspace id")),
    responses((status = 201, body = MemberOut), (status = 403, body = ErrorEnvelope),
        (status = 404, body = ErrorEnvelope), (status = 409, body = ErrorEnvelope)))]
pub async fn add_member(
    State(state): State<AppState>,
    Authenticated(principal): Authenticated,
    IdPath(id): IdPath<WorkspaceId>,
    ValidJson(input): ValidJson<MemberIn>,
) -> Result<(StatusCode, Json<MemberOut>), ApiError> {
    let who = match (input.email, input.user_id) {
        (Some(email), None) => MemberRef::Email(email),
        (None, Some(user)) => MemberRef::Id(user),
        _ => {
            return Err(ApiError::validation(vec![FieldError {
                field: "email".into(),
                message: "give exactly one of email and userId".into(),
            }]));
        }
    };
    let member = state
        .tenancy
        .add_member(&principal, id, who, input.role)
        .await?;
    Ok((StatusCode::CREATED, Json(member_out(&member))))
}

/// Change a member's role.
#[utoipa::path(patch, path = "/v1/workspaces/{id}/members/{user_id}", tag = "workspaces",
    request_body = MemberPatch, security(("bearer" = [])),
    params(("id" = String, Path, description = "Workspace id"),
        ("user_id" = String, Path, description = "User id")),
    responses((status = 200, body = MemberOut), (status = 403, body = ErrorEnvelope),
        (status = 404, body = ErrorEnvelope), (status = 409, body = ErrorEnvelope)))]
pub async fn update_member(
    State(state): State<AppState>,
    Authenticated(principal): Authenticated,
    IdPath((id, user)): IdPath<(WorkspaceId, UserId)>,
    ValidJson(patch): ValidJson<MemberPatch>,
) -> Result<Json<MemberOut>, ApiError> {
    let member = state
        .tenancy
        .update_member(&principal, id, user, patch.role)
        .await?;
    Ok(Json(member_out(&member)))
}

/// Remove a member (or leave, for yourself).
#[utoipa::path(delete, path = "/v1/workspaces/{id}/members/{user_id}", tag = "workspaces",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "Workspace id"),
        ("user_id" = String, Path, description = "User id")),
    responses((status = 204), (status = 403, body = ErrorEnvelope),
        (status = 404, body = ErrorEnvelope), (status = 409, body = ErrorEnvelope)))]
pub async fn remove_member(
    State(state): State<AppState>,
    Authenticated(principal): Authenticated,
    IdPath((id, user)): IdPath<(WorkspaceId, UserId)>,
) -> Result<StatusCode, ApiError> {
    state.tenancy.remove_member(&principal, id, user).await?;
    Ok(StatusCode::NO_CONTENT)
}
