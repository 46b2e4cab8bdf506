//! [`SecretStore`] for [`SqlStore`]: the `server_secrets` table. The first replica to insert
//! a name wins (`ON CONFLICT DO NOTHING`, valid on both backends); every caller then reads
//! the stored value back, so all replicas agree whoever won.

use async_trait::async_trait;
use chrono::Utc;
use kiro_core::StoreError;
use kiro_core::store::SecretStore;

use crate::convert::to_ms;
use crate::error::SqlxResultExt;
use crate::sql_store::SqlStore;

#[async_trait]
impl SecretStore for SqlStore {
    async fn get_or_insert_secret(
        &self,
        name: &str,
        candidate: &str,
    ) -> Result<String, StoreError> {
        sqlx::query(
            "INSERT INTO server_secrets (name, value, created_at) VALUES ($1, $2, $3)
             ON CONFLICT (name) DO NOTHING",
        )
        .bind(name)
        .bind(candidate)
        .bind(to_ms(Utc::now()))
        .execute(self.pool())
        .await
        .store()?;
        sqlx::query_scalar("SELECT value FROM server_secrets WHERE name = $1")
            .bind(name)
            .fetch_one(self.pool())
            .await
            .store()
    }
}
