//! [`SessionStore`] for [`SqlStore`]: the `sessions` and `refresh_tokens` tables.
//!
//! Rotation is the one guarded write: the old token is marked rotated only while
//! `rotated_at IS NULL`, in the same transaction that inserts its successor, so of two
//! concurrent uses of one token exactly one wins and the other sees `Stale`.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use kiro_core::StoreError;
use kiro_core::model::{RefreshToken, Session};
use kiro_core::store::SessionStore;
use kiro_types::SessionId;
use sqlx::AnyConnection;
use uuid::Uuid;

use crate::convert::{from_ms, from_opt_ms, parse_id, to_ms, to_opt_ms};
use crate::error::SqlxResultExt;
use crate::sql_store::SqlStore;

/// A `sessions` row.
#[derive(sqlx::FromRow)]
struct SessionRow {
    id: String,
    user_id: String,
    client_id: String,
    created_at: i64,
    revoked_at: Option<i64>,
}

impl TryFrom<SessionRow> for Session {
    type Error = StoreError;

    fn try_from(row: SessionRow) -> Result<Self, StoreError> {
        Ok(Session {
            id: parse_id(&row.id)?,
            user_id: parse_id(&row.user_id)?,
            client_id: row.client_id,
            created_at: from_ms(row.created_at)?,
            revoked_at: from_opt_ms(row.revoked_at)?,
        })
    }
}

/// A `refresh_tokens` row.
#[derive(sqlx::FromRow)]
struct RefreshTokenRow {
    id: String,
    session_id: String,
    token_digest: String,
    created_at: i64,
    expires_at: i64,
    rotated_at: Option<i64>,
}

impl TryFrom<RefreshTokenRow> for RefreshToken {
    type Error = StoreError;

    fn try_from(row: RefreshTokenRow) -> Result<Self, StoreError> {
        Ok(RefreshToken {
            id: parse_id(&row.id)?,
            session_id: parse_id(&row.session_id)?,
            token_digest: row.token_digest,
            created_at: from_ms(row.created_at)?,
            expires_at: from_ms(row.expires_at)?,
            rotated_at: from_opt_ms(row.rotated_at)?,
        })
    }
}

/// Inserts one refresh token on `conn`.
async fn insert_refresh_token(
    conn: &mut AnyConnection,
    token: &RefreshToken,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO refresh_tokens
             (id, session_id, token_digest, created_at, expires_at, rotated_at)
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(token.id.to_string())
    .bind(token.session_id.to_string())
    .bind(token.token_digest.as_str())
    .bind(to_ms(token.created_at))
    .bind(to_ms(token.expires_at))
    .bind(to_opt_ms(token.rotated_at))
    .execute(conn)
    .await
    .store()?;
    Ok(())
}

#[async_trait]
impl SessionStore for SqlStore {
    async fn insert_session(
        &self,
        session: &Session,
        first: &RefreshToken,
    ) -> Result<(), StoreError> {
        let mut tx = self.pool().begin().await.store()?;
        sqlx::query(
            "INSERT INTO sessions (id, user_id, client_id, created_at, revoked_at)
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(session.id.to_string())
        .bind(session.user_id.to_string())
        .bind(session.client_id.as_str())
        .bind(to_ms(session.created_at))
        .bind(to_opt_ms(session.revoked_at))
        .execute(&mut *tx)
        .await
        .store()?;
        insert_refresh_token(&mut tx, first).await?;
        tx.commit().await.store()
    }

    async fn get_session(&self, id: SessionId) -> Result<Session, StoreError> {
        sqlx::query_as::<_, SessionRow>(
            "SELECT id, user_id, client_id, created_at, revoked_at FROM sessions WHERE id = $1",
        )
        .bind(id.to_string())
        .fetch_one(self.pool())
        .await
        .store()?
        .try_into()
    }

    async fn get_refresh_token_by_digest(&self, digest: &str) -> Result<RefreshToken, StoreError> {
        sqlx::query_as::<_, RefreshTokenRow>(
            "SELECT id, session_id, token_digest, created_at, expires_at, rotated_at
             FROM refresh_tokens WHERE token_digest = $1",
        )
        .bind(digest)
        .fetch_one(self.pool())
        .await
        .store()?
        .try_into()
    }

    async fn rotate_refresh_token(
        &self,
        old: Uuid,
        new: &RefreshToken,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let mut tx = self.pool().begin().await.store()?;
        let marked = sqlx::query(
            "UPDATE refresh_tokens SET rotated_at = $1 WHERE id = $2 AND rotated_at IS NULL",
        )
        .bind(to_ms(now))
        .bind(old.to_string())
        .execute(&mut *tx)
        .await
        .store()?;
        if marked.rows_affected() == 0 {
            let exists: Option<String> =
                sqlx::query_scalar("SELECT id FROM refresh_tokens WHERE id = $1")
                    .bind(old.to_string())
                    .fetch_optional(&mut *tx)
                    .await
                    .store()?;
            return Err(match exists {
                Some(_) => StoreError::Stale,
                None => StoreError::NotFound,
            });
        }
        insert_refresh_token(&mut tx, new).await?;
        tx.commit().await.store()
    }

    async fn revoke_session(&self, id: SessionId, now: DateTime<Utc>) -> Result<(), StoreError> {
        // The first revocation's time stands; revoking again is a no-op.
        sqlx::query("UPDATE sessions SET revoked_at = COALESCE(revoked_at, $1) WHERE id = $2")
            .bind(to_ms(now))
            .bind(id.to_string())
            .execute(self.pool())
            .await
            .store()
            .and_then(|done| match done.rows_affected() {
                0 => Err(StoreError::NotFound),
                _ => Ok(()),
            })
    }
}
