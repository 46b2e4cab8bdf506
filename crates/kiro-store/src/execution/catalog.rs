//! [`ExecutionCatalogStore`] for [`SqlStore`]: custom environments ([`super::environments`])
//! and scripts ([`super::scripts`]), the tables of migration 0007.

use async_trait::async_trait;
use kiro_core::events::EventDraft;
use kiro_core::execution::ExecutionCatalogStore;
use kiro_core::{PageRequest, Paged, StoreError};
use kiro_types::WorkspaceId;
use kiro_types::execution::{ExecutionEnvironment, Script};

use super::{environments, scripts};
use crate::sql_store::SqlStore;

#[async_trait]
impl ExecutionCatalogStore for SqlStore {
    async fn insert_environment(
        &self,
        ws: WorkspaceId,
        env: &ExecutionEnvironment,
        event: &EventDraft,
    ) -> Result<(), StoreError> {
        environments::insert(self, ws, env, event).await
    }

    async fn get_environment(
        &self,
        ws: WorkspaceId,
        id: &str,
    ) -> Result<ExecutionEnvironment, StoreError> {
        environments::get(self, ws, id).await
    }

    async fn get_environment_by_name(
        &self,
        ws: WorkspaceId,
        name: &str,
    ) -> Result<ExecutionEnvironment, StoreError> {
        environments::get_by_name(self, ws, name).await
    }

    async fn list_environments(
        &self,
        ws: WorkspaceId,
    ) -> Result<Vec<ExecutionEnvironment>, StoreError> {
        environments::list(self, ws).await
    }

    async fn update_environment(
        &self,
        ws: WorkspaceId,
        env: &ExecutionEnvironment,
        expected: i64,
        event: &EventDraft,
    ) -> Result<(), StoreError> {
        environments::update(self, ws, env, expected, event).await
    }

    async fn delete_environment(
        &self,
        ws: WorkspaceId,
        id: &str,
        event: &EventDraft,
    ) -> Result<(), StoreError> {
        environments::delete(self, ws, id, event).await
    }

    async fn scripts_using(&self, ws: WorkspaceId, name: &str) -> Result<Vec<String>, StoreError> {
        environments::scripts_using(self, ws, name).await
    }

    async fn insert_script(
        &self,
        ws: WorkspaceId,
        script: &Script,
        event: &EventDraft,
    ) -> Result<(), StoreError> {
        scripts::insert(self, ws, script, event).await
    }

    async fn get_script(&self, ws: WorkspaceId, id: &str) -> Result<Script, StoreError> {
        scripts::get(self, ws, id).await
    }

    async fn list_scripts(
        &self,
        ws: WorkspaceId,
        page: &PageRequest,
    ) -> Result<Paged<Script>, StoreError> {
        scripts::list(self, ws, page).await
    }

    async fn update_script(
        &self,
        ws: WorkspaceId,
        script: &Script,
        expected: i64,
        event: &EventDraft,
    ) -> Result<(), StoreError> {
        scripts::update(self, ws, script, expected, event).await
    }

    async fn delete_script(
        &self,
        ws: WorkspaceId,
        id: &str,
        event: &EventDraft,
    ) -> Result<(), StoreError> {
        scripts::delete(self, ws, id, event).await
    }
}
