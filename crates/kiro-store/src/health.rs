//! [`StoreHealth`] for [`SqlStore`]: what readiness checks ask of the database, a round trip
//! and whether every migration this build carries is recorded as applied.

use std::collections::HashSet;

use async_trait::async_trait;
use kiro_core::StoreError;
use kiro_core::store::StoreHealth;
use sqlx::AssertSqlSafe;

use crate::error::SqlxResultExt;
use crate::sql_store::SqlStore;

#[async_trait]
impl StoreHealth for SqlStore {
    async fn ping(&self) -> Result<(), StoreError> {
        sqlx::query("SELECT 1").execute(self.pool()).await.store()?;
        Ok(())
    }

    async fn migrations_applied(&self) -> Result<bool, StoreError> {
        let migrator = self.backend().migrator();
        // The table name is the migrator's own constant, never input.
        let sql = format!("SELECT version FROM {} WHERE success", migrator.table_name);
        let applied: HashSet<i64> = sqlx::query_scalar(AssertSqlSafe(sql))
            .fetch_all(self.pool())
            .await
            .store()?
            .into_iter()
            .collect();
        Ok(migrator
            .iter()
            .filter(|m| !m.migration_type.is_down_migration())
            .all(|m| applied.contains(&m.version)))
    }

    fn backend_name(&self) -> &'static str {
        self.backend().name()
    }

    async fn close(&self) {
        self.stop_listening();
        self.pool().close().await;
    }
}
