//! The store ports: one trait per aggregate, gathered under [`Store`]. kiro-store implements
//! them with sqlx on SQLite and PostgreSQL; services only ever see `Arc<dyn Store>`. Ports that
//! belong with their rules live beside them ([`IdempotencyStore`] in [`crate::idempotency`]).
//!
//! Every method that changes workspace data takes the [`EventDraft`] describing the change:
//! the store appends it in the same transaction, so a mutation without its event cannot be
//! written (DESIGN.md §5).

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use kiro_types::events::Event;
use kiro_types::workspace::Role;
use kiro_types::{ApiKeyId, SessionId, UserId, WorkspaceId};

pub use crate::assessment::AssessmentStore;
use crate::events::EventDraft;
pub use crate::execution::{ExecutionCatalogStore, ExecutionStore};
pub use crate::idempotency::IdempotencyStore;
use crate::model::{
    ApiKey, Member, Membership, OAuthClient, RefreshToken, Session, User, Workspace,
};
use crate::page::{PageRequest, Paged};
pub use crate::planning::PlanningStore;

/// What can go wrong in storage, as services see it.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("record not found")]
    NotFound,
    /// A uniqueness or foreign-key constraint refused the write.
    #[error("constraint `{constraint}` refused the write")]
    Conflict { constraint: String },
    /// A guarded write found the record changed since it was read.
    #[error("the record changed since it was read")]
    Stale,
    #[error("database error: {0}")]
    Backend(#[source] Box<dyn std::error::Error + Send + Sync>),
}

/// Users.
#[async_trait]
pub trait UserStore: Send + Sync {
    /// Inserts a user, their personal workspace and their owner membership, atomically.
    async fn insert_user_with_workspace(
        &self,
        user: &User,
        workspace: &Workspace,
        event: &EventDraft,
    ) -> Result<(), StoreError>;
    async fn get_user(&self, id: UserId) -> Result<User, StoreError>;
    /// `email` must already be lower-cased.
    async fn get_user_by_email(&self, email: &str) -> Result<User, StoreError>;
}

/// Workspaces and memberships.
#[async_trait]
pub trait WorkspaceStore: Send + Sync {
    /// Inserts a workspace with `owner` as its owner, atomically.
    async fn insert_workspace(
        &self,
        workspace: &Workspace,
        owner: UserId,
        event: &EventDraft,
    ) -> Result<(), StoreError>;
    async fn get_workspace(&self, id: WorkspaceId) -> Result<Workspace, StoreError>;
    /// A page of the workspaces the user belongs to, with their role, oldest first (by
    /// creation time, then id).
    async fn list_workspaces_for_user(
        &self,
        user: UserId,
        page: &PageRequest,
    ) -> Result<Paged<(Workspace, Role)>, StoreError>;
    /// Writes `workspace` if its stored version is still `expected_version`, bumping the
    /// version; `Stale` otherwise.
    async fn update_workspace(
        &self,
        workspace: &Workspace,
        expected_version: i64,
        event: &EventDraft,
    ) -> Result<Workspace, StoreError>;
    async fn delete_workspace(&self, id: WorkspaceId, event: &EventDraft)
    -> Result<(), StoreError>;
    async fn get_membership(
        &self,
        workspace: WorkspaceId,
        user: UserId,
    ) -> Result<Option<Membership>, StoreError>;
    /// A page of a workspace's members, by join time then user id.
    async fn list_members(
        &self,
        workspace: WorkspaceId,
        page: &PageRequest,
    ) -> Result<Paged<Member>, StoreError>;
    /// `Conflict` when the user is already a member.
    async fn insert_membership(
        &self,
        membership: &Membership,
        event: &EventDraft,
    ) -> Result<(), StoreError>;
    /// Changes a member's role, or removes them when `role` is `None`. Refused with `Stale`
    /// when it would leave the workspace without an owner; the check and the write are one
    /// atomic step.
    async fn set_membership_role(
        &self,
        workspace: WorkspaceId,
        user: UserId,
        role: Option<Role>,
        event: &EventDraft,
    ) -> Result<(), StoreError>;
}

/// Login sessions and their refresh tokens.
#[async_trait]
pub trait SessionStore: Send + Sync {
    async fn insert_session(
        &self,
        session: &Session,
        first: &RefreshToken,
    ) -> Result<(), StoreError>;
    async fn get_session(&self, id: SessionId) -> Result<Session, StoreError>;
    async fn get_refresh_token_by_digest(&self, digest: &str) -> Result<RefreshToken, StoreError>;
    /// Marks `old` rotated and inserts `new`, atomically. `Stale` when `old` was already
    /// rotated (a concurrent or repeated use).
    async fn rotate_refresh_token(
        &self,
        old: uuid::Uuid,
        new: &RefreshToken,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError>;
    async fn revoke_session(&self, id: SessionId, now: DateTime<Utc>) -> Result<(), StoreError>;
}

/// Which of a workspace's API keys to list.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ApiKeyFilter {
    /// Only this user's keys.
    pub created_by: Option<UserId>,
    /// Only revoked keys (`true`) or only unrevoked ones (`false`).
    pub revoked: Option<bool>,
}

/// API keys.
#[async_trait]
pub trait ApiKeyStore: Send + Sync {
    async fn insert_api_key(&self, key: &ApiKey, event: &EventDraft) -> Result<(), StoreError>;
    async fn get_api_key_by_digest(&self, digest: &str) -> Result<ApiKey, StoreError>;
    async fn get_api_key(&self, workspace: WorkspaceId, id: ApiKeyId)
    -> Result<ApiKey, StoreError>;
    /// A page of a workspace's keys matching `filter`, newest first (by creation time, then
    /// id).
    async fn list_api_keys(
        &self,
        workspace: WorkspaceId,
        filter: &ApiKeyFilter,
        page: &PageRequest,
    ) -> Result<Paged<ApiKey>, StoreError>;
    async fn revoke_api_key(
        &self,
        id: ApiKeyId,
        now: DateTime<Utc>,
        event: &EventDraft,
    ) -> Result<(), StoreError>;
    /// Records use, at most once a minute per key.
    async fn touch_api_key(&self, id: ApiKeyId, now: DateTime<Utc>) -> Result<(), StoreError>;
}

/// OAuth clients.
#[async_trait]
pub trait ClientStore: Send + Sync {
    async fn insert_client(
        &self,
        client: &OAuthClient,
        event: &EventDraft,
    ) -> Result<(), StoreError>;
    async fn get_client(&self, client_id: &str) -> Result<OAuthClient, StoreError>;
    /// A page of a workspace's clients, newest first (by creation time, then client id).
    async fn list_clients(
        &self,
        workspace: WorkspaceId,
        page: &PageRequest,
    ) -> Result<Paged<OAuthClient>, StoreError>;
    async fn revoke_client(
        &self,
        client_id: &str,
        now: DateTime<Utc>,
        event: &EventDraft,
    ) -> Result<(), StoreError>;
}

/// Server-wide secrets shared by every replica (the JWT signing key).
#[async_trait]
pub trait SecretStore: Send + Sync {
    /// The secret stored under `name`, storing `candidate` first when there is none yet.
    /// Every replica gets the same value, whichever one stored it.
    async fn get_or_insert_secret(&self, name: &str, candidate: &str)
    -> Result<String, StoreError>;
}

/// The event log: appended by every mutation (see [`EventDraft`]), read for replay and
/// fan-out, trimmed by retention.
#[async_trait]
pub trait EventStore: Send + Sync {
    /// Events with id > `after`, oldest first, at most `limit`; only those of `workspaces`
    /// when given.
    async fn list_events(
        &self,
        workspaces: Option<&[WorkspaceId]>,
        after: i64,
        limit: u32,
    ) -> Result<Vec<Event>, StoreError>;
    /// The latest committed event id (0 when there is none).
    async fn events_head(&self) -> Result<i64, StoreError>;
    /// The highest id removed by retention (0 when nothing was removed): resuming from an
    /// older id would miss events.
    async fn events_swept_through(&self) -> Result<i64, StoreError>;
    /// Removes events older than `before`; returns how many.
    async fn sweep_events(&self, before: DateTime<Utc>) -> Result<u64, StoreError>;
    /// Changes whenever events may have been committed: by this process, and on PostgreSQL
    /// by any process (LISTEN/NOTIFY). Carries the highest id heard of.
    fn watch_head(&self) -> tokio::sync::watch::Receiver<i64>;
}

/// What readiness checks ask of the database.
#[async_trait]
pub trait StoreHealth: Send + Sync {
    /// A round trip to the database.
    async fn ping(&self) -> Result<(), StoreError>;
    /// Whether every migration this build knows has been applied.
    async fn migrations_applied(&self) -> Result<bool, StoreError>;
    /// `sqlite` or `postgres`.
    fn backend_name(&self) -> &'static str;
    /// Closes every connection (the pool's and the event listener's) once in-flight queries
    /// finish; later calls fail. For a server that stops while its process goes on.
    async fn close(&self);
}

/// Every aggregate's store.
pub trait Store:
    UserStore
    + WorkspaceStore
    + SessionStore
    + ApiKeyStore
    + ClientStore
    + SecretStore
    + EventStore
    + IdempotencyStore
    + AssessmentStore
    + PlanningStore
    + ExecutionStore
    + ExecutionCatalogStore
    + StoreHealth
{
}

impl<T> Store for T where
    T: UserStore
        + WorkspaceStore
        + SessionStore
        + ApiKeyStore
        + ClientStore
        + SecretStore
        + EventStore
        + IdempotencyStore
        + AssessmentStore
        + PlanningStore
        + ExecutionStore
        + ExecutionCatalogStore
        + StoreHealth
{
}
