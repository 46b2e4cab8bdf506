//! [`ExecutionCatalogStore`]: the port kiro-store implements for a workspace's custom
//! environments and scripts. Reads are scoped by workspace; every write commits with its
//! event or not at all; names are unique per workspace (`Conflict` otherwise).

use async_trait::async_trait;
use kiro_types::WorkspaceId;
use kiro_types::execution::{ExecutionEnvironment, Script};

use crate::events::EventDraft;
use crate::page::{PageRequest, Paged};
use crate::store::StoreError;

/// The constraint named when an environment's name is taken in the workspace.
pub const ENVIRONMENT_NAME_TAKEN: &str = "execution_environments_name";
/// The constraint named when a script's name is taken in the workspace.
pub const SCRIPT_NAME_TAKEN: &str = "execution_scripts_name";
/// The constraint named when an environment to delete is used by scripts.
pub const ENVIRONMENT_IN_USE: &str = "execution_environment_in_use";

/// Custom environment and script storage. Environments are stored with `builtin: false`,
/// their `id`, `resource_version` and times set.
#[async_trait]
pub trait ExecutionCatalogStore: Send + Sync {
    /// `Conflict { ENVIRONMENT_NAME_TAKEN }` when the name is taken.
    async fn insert_environment(
        &self,
        ws: WorkspaceId,
        env: &ExecutionEnvironment,
        event: &EventDraft,
    ) -> Result<(), StoreError>;
    async fn get_environment(
        &self,
        ws: WorkspaceId,
        id: &str,
    ) -> Result<ExecutionEnvironment, StoreError>;
    async fn get_environment_by_name(
        &self,
        ws: WorkspaceId,
        name: &str,
    ) -> Result<ExecutionEnvironment, StoreError>;
    /// Every custom environment of the workspace, in name order.
    async fn list_environments(
        &self,
        ws: WorkspaceId,
    ) -> Result<Vec<ExecutionEnvironment>, StoreError>;
    /// `Stale` when the stored version is not `expected`.
    async fn update_environment(
        &self,
        ws: WorkspaceId,
        env: &ExecutionEnvironment,
        expected: i64,
        event: &EventDraft,
    ) -> Result<(), StoreError>;
    /// `Conflict { ENVIRONMENT_IN_USE }` while a script of the workspace names it (checked
    /// and deleted in one transaction); returns nothing else on success.
    async fn delete_environment(
        &self,
        ws: WorkspaceId,
        id: &str,
        event: &EventDraft,
    ) -> Result<(), StoreError>;
    /// The names of the workspace's scripts that run in environment `name`.
    async fn scripts_using(&self, ws: WorkspaceId, name: &str) -> Result<Vec<String>, StoreError>;

    /// `Conflict { SCRIPT_NAME_TAKEN }` when the name is taken.
    async fn insert_script(
        &self,
        ws: WorkspaceId,
        script: &Script,
        event: &EventDraft,
    ) -> Result<(), StoreError>;
    async fn get_script(&self, ws: WorkspaceId, id: &str) -> Result<Script, StoreError>;
    /// Oldest first.
    async fn list_scripts(
        &self,
        ws: WorkspaceId,
        page: &PageRequest,
    ) -> Result<Paged<Script>, StoreError>;
    /// `Stale` when the stored version is not `expected`; `Conflict` on a taken name.
    async fn update_script(
        &self,
        ws: WorkspaceId,
        script: &Script,
        expected: i64,
        event: &EventDraft,
    ) -> Result<(), StoreError>;
    async fn delete_script(
        &self,
        ws: WorkspaceId,
        id: &str,
        event: &EventDraft,
    ) -> Result<(), StoreError>;
}
