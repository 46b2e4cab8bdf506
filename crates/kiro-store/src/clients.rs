//! [`ClientStore`] for [`SqlStore`]: the `oauth_clients` table, public apps and
//! confidential service accounts (which carry a secret digest and act with their `role`).

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use kiro_core::events::EventDraft;
use kiro_core::model::OAuthClient;
use kiro_core::store::ClientStore;
use kiro_core::{PageRequest, Paged, StoreError};
use kiro_types::WorkspaceId;

use crate::convert::{from_ms, from_opt_ms, parse_id, parse_role, to_ms, to_opt_ms};
use crate::error::SqlxResultExt;
use crate::page::{Order, start_after};
use crate::sql_store::SqlStore;

/// An `oauth_clients` row.
#[derive(sqlx::FromRow)]
struct ClientRow {
    client_id: String,
    workspace_id: String,
    name: String,
    secret_digest: Option<String>,
    role: String,
    created_by: String,
    created_at: i64,
    revoked_at: Option<i64>,
}

impl TryFrom<ClientRow> for OAuthClient {
    type Error = StoreError;

    fn try_from(row: ClientRow) -> Result<Self, StoreError> {
        Ok(OAuthClient {
            client_id: row.client_id,
            workspace_id: parse_id(&row.workspace_id)?,
            name: row.name,
            secret_digest: row.secret_digest,
            role: parse_role(&row.role)?,
            created_by: parse_id(&row.created_by)?,
            created_at: from_ms(row.created_at)?,
            revoked_at: from_opt_ms(row.revoked_at)?,
        })
    }
}

#[async_trait]
impl ClientStore for SqlStore {
    async fn insert_client(
        &self,
        client: &OAuthClient,
        event: &EventDraft,
    ) -> Result<(), StoreError> {
        let mut m = self.mutation().await?;
        sqlx::query(
            "INSERT INTO oauth_clients (client_id, workspace_id, name, secret_digest, role,
                 created_by, created_at, revoked_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(client.client_id.as_str())
        .bind(client.workspace_id.to_string())
        .bind(client.name.as_str())
        .bind(client.secret_digest.as_deref())
        .bind(client.role.as_str())
        .bind(client.created_by.to_string())
        .bind(to_ms(client.created_at))
        .bind(to_opt_ms(client.revoked_at))
        .execute(m.conn())
        .await
        .store()?;
        m.commit(self, event).await?;
        Ok(())
    }

    async fn get_client(&self, client_id: &str) -> Result<OAuthClient, StoreError> {
        sqlx::query_as::<_, ClientRow>(
            "SELECT client_id, workspace_id, name, secret_digest, role, created_by,
                 created_at, revoked_at
             FROM oauth_clients WHERE client_id = $1",
        )
        .bind(client_id)
        .fetch_one(self.pool())
        .await
        .store()?
        .try_into()
    }

    /// Newest first, like API keys: `(created_at, client_id)`, matching
    /// [`OAuthClient::sort_key`].
    async fn list_clients(
        &self,
        workspace: WorkspaceId,
        page: &PageRequest,
    ) -> Result<Paged<OAuthClient>, StoreError> {
        let (after_ms, after_id) = start_after(page, Order::Descending);
        let rows = sqlx::query_as::<_, ClientRow>(
            "SELECT client_id, workspace_id, name, secret_digest, role, created_by,
                 created_at, revoked_at
             FROM oauth_clients
             WHERE workspace_id = $1 AND (created_at, client_id) < ($2, $3)
             ORDER BY created_at DESC, client_id DESC
             LIMIT $4",
        )
        .bind(workspace.to_string())
        .bind(after_ms)
        .bind(after_id)
        .bind(page.fetch_limit())
        .fetch_all(self.pool())
        .await
        .store()?;
        let clients = rows
            .into_iter()
            .map(OAuthClient::try_from)
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Paged::from_rows(clients, page, OAuthClient::sort_key))
    }

    async fn revoke_client(
        &self,
        client_id: &str,
        now: DateTime<Utc>,
        event: &EventDraft,
    ) -> Result<(), StoreError> {
        // The first revocation's time stands; revoking again is a no-op.
        let mut m = self.mutation().await?;
        let done = sqlx::query(
            "UPDATE oauth_clients SET revoked_at = COALESCE(revoked_at, $1) WHERE client_id = $2",
        )
        .bind(to_ms(now))
        .bind(client_id)
        .execute(m.conn())
        .await
        .store()?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound);
        }
        m.commit(self, event).await?;
        Ok(())
    }
}
