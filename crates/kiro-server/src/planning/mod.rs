//! The planning service: projects, tasks, dependencies, milestones and resource allocations,
//! and what is computed from them (schedule with critical path and slack, utilisation,
//! metrics and reports). The pure rules and the scheduler live in `kiro_core::planning`; this
//! module owns who may do what, which references must exist in the workspace, what one
//! request writes (always with its events, in one transaction) and how refusals are worded.

mod allocations;
mod dependencies;
mod insights;
mod milestones;
mod moves;
mod projects;
mod tasks;

use std::sync::Arc;

use chrono::{DateTime, NaiveDate, Utc};
use kiro_core::events::{EventDraft, EventKind};
use kiro_core::planning::rules::PlanningRule;
use kiro_core::tenancy::{Access, Tenant};
use kiro_core::{Clock, Store, StoreError};
use kiro_types::workspace::Role;
use kiro_types::{ErrorCode, UserId};
use serde_json::{Value, json};

use crate::error::ApiError;

/// The service's name in scopes, events and errors.
pub const SERVICE: &str = "planning";

/// The planning service.
pub struct PlanningService {
    store: Arc<dyn Store>,
    clock: Arc<dyn Clock>,
}

impl PlanningService {
    pub fn new(store: Arc<dyn Store>, clock: Arc<dyn Clock>) -> Self {
        Self { store, clock }
    }

    fn now(&self) -> DateTime<Utc> {
        self.clock.now()
    }

    fn today(&self) -> NaiveDate {
        self.now().date_naive()
    }

    /// An event on a resource of this service, by the tenant.
    fn event(
        &self,
        tenant: &Tenant,
        kind: EventKind,
        id: &str,
        version: i64,
        data: Value,
    ) -> EventDraft {
        EventDraft::new(
            tenant.workspace_id,
            kind,
            id,
            version,
            tenant.principal.key(),
            self.now(),
            data,
        )
    }

    /// Refuses `user` unless it is the id of a member of the tenant's workspace.
    async fn require_member(
        &self,
        tenant: &Tenant,
        field: &str,
        user: &str,
    ) -> Result<(), ApiError> {
        let unknown = || {
            ApiError::new(
                ErrorCode::PlanningUnknownAssignee,
                format!(
                    "{field} `{user}` is not a member of this workspace; give the user id of a \
                     member (GET /v1/workspaces/{{id}}/members lists them)"
                ),
            )
            .with_details(json!({ "field": field, "userId": user }))
        };
        let Ok(id) = user.parse::<UserId>() else {
            return Err(unknown());
        };
        match self.store.get_membership(tenant.workspace_id, id).await? {
            Some(_) => Ok(()),
            None => Err(unknown()),
        }
    }
}

/// Checks the tenant may read (any member) or write (member or above) planning data.
fn require(tenant: &Tenant, access: Access) -> Result<(), ApiError> {
    let min = match access {
        Access::Read => Role::Viewer,
        Access::Write => Role::Member,
    };
    tenant.require(SERVICE, access, min).map_err(ApiError::from)
}

/// A store error with `NotFound` answered as `code`.
fn not_found(code: ErrorCode, what: &str) -> impl Fn(StoreError) -> ApiError {
    let message = format!("no {what} with this id in the workspace");
    move |e| match e {
        StoreError::NotFound => ApiError::new(code, message.clone()),
        other => ApiError::from(other),
    }
}

/// The 409 of a write whose `If-Match` names an older version than the stored one.
fn stale(what: &str, current: i64) -> ApiError {
    ApiError::new(
        ErrorCode::ResourceConflict,
        format!(
            "the {what} changed since you read it (now version {current}); fetch it again and retry"
        ),
    )
    .with_details(json!({ "currentVersion": current }))
}

/// Refuses a write whose `If-Match` version is not `current`.
fn check_version(what: &str, expected: Option<i64>, current: i64) -> Result<(), ApiError> {
    match expected {
        Some(v) if v != current => Err(stale(what, current)),
        _ => Ok(()),
    }
}

/// A refused input rule as an API error.
fn rule(e: PlanningRule) -> ApiError {
    ApiError::new(e.code, e.message)
}

/// A fresh resource id.
fn new_id() -> String {
    uuid::Uuid::now_v7().to_string()
}
