//! Milestones (`/v1/planning/projects/{id}/milestones`, `/v1/planning/milestones/{id}`) and
//! resource allocations (`…/projects/{id}/allocations`, `/v1/planning/allocations/{id}`):
//! create under a project, list, read, change (`If-Match`), delete.

use axum::Json;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use kiro_types::ErrorEnvelope;
use kiro_types::planning::{
    AllocationIn, AllocationPatch, Milestone, MilestoneIn, MilestonePatch, ResourceAllocation,
};

use crate::concurrency::{Tagged, conditional_get, if_match_version};
use crate::error::ApiError;
use crate::extract::{IdPath, ValidJson, WorkspaceScope};
use crate::state::AppState;

/// Create a milestone gated by tasks of the project (the design's `createMilestone`).
#[utoipa::path(post, path = "/v1/planning/projects/{id}/milestones", tag = "planning",
    security(("bearer" = []), ("apiKey" = [])), request_body = MilestoneIn,
    params(("id" = String, Path, description = "Project id")),
    responses((status = 201, body = Milestone), (status = 404, body = ErrorEnvelope),
        (status = 422, body = ErrorEnvelope)))]
pub async fn create_milestone(
    State(state): State<AppState>,
    WorkspaceScope(tenant): WorkspaceScope,
    IdPath(project_id): IdPath<String>,
    ValidJson(request): ValidJson<MilestoneIn>,
) -> Result<Tagged<Milestone>, ApiError> {
    let milestone = state
        .planning
        .create_milestone(&tenant, &project_id, request)
        .await?;
    Ok(super::created(milestone.version, milestone))
}

/// A project's milestones, by date.
#[utoipa::path(get, path = "/v1/planning/projects/{id}/milestones", tag = "planning",
    security(("bearer" = []), ("apiKey" = [])),
    params(("id" = String, Path, description = "Project id")),
    responses((status = 200, body = Vec<Milestone>), (status = 404, body = ErrorEnvelope)))]
pub async fn list_milestones(
    State(state): State<AppState>,
    WorkspaceScope(tenant): WorkspaceScope,
    IdPath(project_id): IdPath<String>,
) -> Result<Json<Vec<Milestone>>, ApiError> {
    Ok(Json(
        state.planning.list_milestones(&tenant, &project_id).await?,
    ))
}

/// A milestone, its version as `ETag`.
#[utoipa::path(get, path = "/v1/planning/milestones/{id}", tag = "planning",
    security(("bearer" = []), ("apiKey" = [])),
    params(("id" = String, Path, description = "Milestone id")),
    responses((status = 200, body = Milestone), (status = 304), (status = 404, body = ErrorEnvelope)))]
pub async fn get_milestone(
    State(state): State<AppState>,
    WorkspaceScope(tenant): WorkspaceScope,
    IdPath(id): IdPath<String>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let milestone = state.planning.get_milestone(&tenant, &id).await?;
    Ok(conditional_get(
        &headers,
        Tagged::ok(milestone.version, milestone),
    ))
}

/// Change a milestone (the design's `updateMilestone`).
#[utoipa::path(patch, path = "/v1/planning/milestones/{id}", tag = "planning",
    security(("bearer" = []), ("apiKey" = [])), request_body = MilestonePatch,
    params(("id" = String, Path, description = "Milestone id"),
        ("If-Match" = Option<String>, Header, description = "Expected version, e.g. \"3\"")),
    responses((status = 200, body = Milestone), (status = 404, body = ErrorEnvelope),
        (status = 409, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope)))]
pub async fn update_milestone(
    State(state): State<AppState>,
    WorkspaceScope(tenant): WorkspaceScope,
    IdPath(id): IdPath<String>,
    headers: HeaderMap,
    ValidJson(patch): ValidJson<MilestonePatch>,
) -> Result<Tagged<Milestone>, ApiError> {
    let expected = if_match_version(&headers)?;
    let milestone = state
        .planning
        .update_milestone(&tenant, &id, patch, expected)
        .await?;
    Ok(Tagged::ok(milestone.version, milestone))
}

/// Delete a milestone (its tasks stay).
#[utoipa::path(delete, path = "/v1/planning/milestones/{id}", tag = "planning",
    security(("bearer" = []), ("apiKey" = [])),
    params(("id" = String, Path, description = "Milestone id")),
    responses((status = 204), (status = 404, body = ErrorEnvelope)))]
pub async fn delete_milestone(
    State(state): State<AppState>,
    WorkspaceScope(tenant): WorkspaceScope,
    IdPath(id): IdPath<String>,
) -> Result<StatusCode, ApiError> {
    state.planning.delete_milestone(&tenant, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Book a resource on the project (the design's `allocateResource`): exactly one of
/// `hoursPerDay` and `percent`; negative refused, over a full day allowed (utilisation
/// flags it).
#[utoipa::path(post, path = "/v1/planning/projects/{id}/allocations", tag = "planning",
    security(("bearer" = []), ("apiKey" = [])), request_body = AllocationIn,
    params(("id" = String, Path, description = "Project id")),
    responses((status = 201, body = ResourceAllocation), (status = 404, body = ErrorEnvelope),
        (status = 422, body = ErrorEnvelope)))]
pub async fn allocate_resource(
    State(state): State<AppState>,
    WorkspaceScope(tenant): WorkspaceScope,
    IdPath(project_id): IdPath<String>,
    ValidJson(request): ValidJson<AllocationIn>,
) -> Result<Tagged<ResourceAllocation>, ApiError> {
    let allocation = state
        .planning
        .allocate_resource(&tenant, &project_id, request)
        .await?;
    Ok(super::created(allocation.version, allocation))
}

/// A project's allocations, by start date.
#[utoipa::path(get, path = "/v1/planning/projects/{id}/allocations", tag = "planning",
    security(("bearer" = []), ("apiKey" = [])),
    params(("id" = String, Path, description = "Project id")),
    responses((status = 200, body = Vec<ResourceAllocation>), (status = 404, body = ErrorEnvelope)))]
pub async fn list_allocations(
    State(state): State<AppState>,
    WorkspaceScope(tenant): WorkspaceScope,
    IdPath(project_id): IdPath<String>,
) -> Result<Json<Vec<ResourceAllocation>>, ApiError> {
    Ok(Json(
        state
            .planning
            .list_allocations(&tenant, &project_id)
            .await?,
    ))
}

/// An allocation, its version as `ETag`.
#[utoipa::path(get, path = "/v1/planning/allocations/{id}", tag = "planning",
    security(("bearer" = []), ("apiKey" = [])),
    params(("id" = String, Path, description = "Allocation id")),
    responses((status = 200, body = ResourceAllocation), (status = 304),
        (status = 404, body = ErrorEnvelope)))]
pub async fn get_allocation(
    State(state): State<AppState>,
    WorkspaceScope(tenant): WorkspaceScope,
    IdPath(id): IdPath<String>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let allocation = state.planning.get_allocation(&tenant, &id).await?;
    Ok(conditional_get(
        &headers,
        Tagged::ok(allocation.version, allocation),
    ))
}

/// Change an allocation's dates or amount.
#[utoipa::path(patch, path = "/v1/planning/allocations/{id}", tag = "planning",
    security(("bearer" = []), ("apiKey" = [])), request_body = AllocationPatch,
    params(("id" = String, Path, description = "Allocation id"),
        ("If-Match" = Option<String>, Header, description = "Expected version, e.g. \"3\"")),
    responses((status = 200, body = ResourceAllocation), (status = 404, body = ErrorEnvelope),
        (status = 409, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope)))]
pub async fn update_allocation(
    State(state): State<AppState>,
    WorkspaceScope(tenant): WorkspaceScope,
    IdPath(id): IdPath<String>,
    headers: HeaderMap,
    ValidJson(patch): ValidJson<AllocationPatch>,
) -> Result<Tagged<ResourceAllocation>, ApiError> {
    let expected = if_match_version(&headers)?;
    let allocation = state
        .planning
        .update_allocation(&tenant, &id, patch, expected)
        .await?;
    Ok(Tagged::ok(allocation.version, allocation))
}

/// Delete an allocation.
#[utoipa::path(delete, path = "/v1/planning/allocations/{id}", tag = "planning",
    security(("bearer" = []), ("apiKey" = [])),
    params(("id" = String, Path, description = "Allocation id")),
    responses((status = 204), (status = 404, body = ErrorEnvelope)))]
pub async fn delete_allocation(
    State(state): State<AppState>,
    WorkspaceScope(tenant): WorkspaceScope,
    IdPath(id): IdPath<String>,
) -> Result<StatusCode, ApiError> {
    state.planning.delete_allocation(&tenant, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}
