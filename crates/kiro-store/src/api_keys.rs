//! [`ApiKeyStore`] for [`SqlStore`]: the `api_keys` table. Scopes are a JSON array in one
//! TEXT column; `touch_api_key` writes `last_used_at` at most once a minute per key so that
//! a busy key does not turn every request into a write. Listing pages newest first and
//! assembles its filter from fixed SQL fragments.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use kiro_core::events::EventDraft;
use kiro_core::model::ApiKey;
use kiro_core::store::{ApiKeyFilter, ApiKeyStore};
use kiro_core::{PageRequest, Paged, StoreError};
use kiro_types::{ApiKeyId, WorkspaceId};
use sqlx::AssertSqlSafe;

use crate::convert::{
    from_ms, from_opt_ms, parse_id, scopes_from_json, scopes_to_json, to_ms, to_opt_ms,
};
use crate::error::SqlxResultExt;
use crate::page::{Order, start_after};
use crate::sql_store::SqlStore;

/// How long a recorded use stands before `touch_api_key` records another.
const TOUCH_INTERVAL_MS: i64 = 60_000;

/// An `api_keys` row.
#[derive(sqlx::FromRow)]
struct ApiKeyRow {
    id: String,
    workspace_id: String,
    created_by: String,
    name: String,
    prefix: String,
    secret_digest: String,
    scopes: String,
    created_at: i64,
    expires_at: Option<i64>,
    last_used_at: Option<i64>,
    revoked_at: Option<i64>,
}

impl TryFrom<ApiKeyRow> for ApiKey {
    type Error = StoreError;

    fn try_from(row: ApiKeyRow) -> Result<Self, StoreError> {
        Ok(ApiKey {
            id: parse_id(&row.id)?,
            workspace_id: parse_id(&row.workspace_id)?,
            created_by: parse_id(&row.created_by)?,
            name: row.name,
            prefix: row.prefix,
            secret_digest: row.secret_digest,
            scopes: scopes_from_json(&row.scopes)?,
            created_at: from_ms(row.created_at)?,
            expires_at: from_opt_ms(row.expires_at)?,
            last_used_at: from_opt_ms(row.last_used_at)?,
            revoked_at: from_opt_ms(row.revoked_at)?,
        })
    }
}

fn into_keys(rows: Vec<ApiKeyRow>) -> Result<Vec<ApiKey>, StoreError> {
    rows.into_iter().map(ApiKey::try_from).collect()
}

/// The page query for a filter, assembled from fixed fragments only: `$1` workspace,
/// `($2, $3)` the key the page starts after, `$4` the row limit, `$5` the creator when the
/// filter names one. Newest first, matching [`ApiKey::sort_key`].
fn list_sql(filter: &ApiKeyFilter) -> String {
    let mut sql = String::from(
        "SELECT id, workspace_id, created_by, name, prefix, secret_digest, scopes,
             created_at, expires_at, last_used_at, revoked_at
         FROM api_keys
         WHERE workspace_id = $1 AND (created_at, id) < ($2, $3)",
    );
    if filter.created_by.is_some() {
        sql.push_str(" AND created_by = $5");
    }
    match filter.revoked {
        Some(true) => sql.push_str(" AND revoked_at IS NOT NULL"),
        Some(false) => sql.push_str(" AND revoked_at IS NULL"),
        None => {}
    }
    sql.push_str(" ORDER BY created_at DESC, id DESC LIMIT $4");
    sql
}

#[async_trait]
impl ApiKeyStore for SqlStore {
    async fn insert_api_key(&self, key: &ApiKey, event: &EventDraft) -> Result<(), StoreError> {
        let mut m = self.mutation().await?;
        sqlx::query(
            "INSERT INTO api_keys (id, workspace_id, created_by, name, prefix, secret_digest,
                 scopes, created_at, expires_at, last_used_at, revoked_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
        )
        .bind(key.id.to_string())
        .bind(key.workspace_id.to_string())
        .bind(key.created_by.to_string())
        .bind(key.name.as_str())
        .bind(key.prefix.as_str())
        .bind(key.secret_digest.as_str())
        .bind(scopes_to_json(&key.scopes)?)
        .bind(to_ms(key.created_at))
        .bind(to_opt_ms(key.expires_at))
        .bind(to_opt_ms(key.last_used_at))
        .bind(to_opt_ms(key.revoked_at))
        .execute(m.conn())
        .await
        .store()?;
        m.commit(self, event).await?;
        Ok(())
    }

    async fn get_api_key_by_digest(&self, digest: &str) -> Result<ApiKey, StoreError> {
        sqlx::query_as::<_, ApiKeyRow>(
            "SELECT id, workspace_id, created_by, name, prefix, secret_digest, scopes,
                 created_at, expires_at, last_used_at, revoked_at
             FROM api_keys WHERE secret_digest = $1",
        )
        .bind(digest)
        .fetch_one(self.pool())
        .await
        .store()?
        .try_into()
    }

    async fn get_api_key(
        &self,
        workspace: WorkspaceId,
        id: ApiKeyId,
    ) -> Result<ApiKey, StoreError> {
        sqlx::query_as::<_, ApiKeyRow>(
            "SELECT id, workspace_id, created_by, name, prefix, secret_digest, scopes,
                 created_at, expires_at, last_used_at, revoked_at
             FROM api_keys WHERE id = $1 AND workspace_id = $2",
        )
        .bind(id.to_string())
        .bind(workspace.to_string())
        .fetch_one(self.pool())
        .await
        .store()?
        .try_into()
    }

    async fn list_api_keys(
        &self,
        workspace: WorkspaceId,
        filter: &ApiKeyFilter,
        page: &PageRequest,
    ) -> Result<Paged<ApiKey>, StoreError> {
        let (after_ms, after_id) = start_after(page, Order::Descending);
        let sql = list_sql(filter);
        let mut query = sqlx::query_as::<_, ApiKeyRow>(AssertSqlSafe(sql))
            .bind(workspace.to_string())
            .bind(after_ms)
            .bind(after_id)
            .bind(page.fetch_limit());
        if let Some(user) = filter.created_by {
            query = query.bind(user.to_string());
        }
        let rows = query.fetch_all(self.pool()).await.store()?;
        Ok(Paged::from_rows(into_keys(rows)?, page, ApiKey::sort_key))
    }

    async fn revoke_api_key(
        &self,
        id: ApiKeyId,
        now: DateTime<Utc>,
        event: &EventDraft,
    ) -> Result<(), StoreError> {
        // The first revocation's time stands; revoking again is a no-op.
        let mut m = self.mutation().await?;
        let done =
            sqlx::query("UPDATE api_keys SET revoked_at = COALESCE(revoked_at, $1) WHERE id = $2")
                .bind(to_ms(now))
                .bind(id.to_string())
                .execute(m.conn())
                .await
                .store()?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound);
        }
        m.commit(self, event).await?;
        Ok(())
    }

    async fn touch_api_key(&self, id: ApiKeyId, now: DateTime<Utc>) -> Result<(), StoreError> {
        // A key that is missing or was touched within the minute is left alone, silently:
        // this runs on every authenticated request and must stay one cheap statement.
        sqlx::query(
            "UPDATE api_keys SET last_used_at = $1
             WHERE id = $2 AND (last_used_at IS NULL OR last_used_at <= $3)",
        )
        .bind(to_ms(now))
        .bind(id.to_string())
        .bind(to_ms(now) - TOUCH_INTERVAL_MS)
        .execute(self.pool())
        .await
        .store()?;
        Ok(())
    }
}
