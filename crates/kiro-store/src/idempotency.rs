//! [`IdempotencyStore`] for [`SqlStore`]: the `idempotency_keys` table. A claim is one plain
//! INSERT, so the primary key `(principal_key, idempotency_key)` lets exactly one of two
//! racers through on both backends; an expired row for the key is deleted just before, so a
//! dead claim's lease or a day-old response never blocks a key. Completing and releasing are
//! guarded by the claim's token, so a request whose lease was taken over cannot touch the new
//! holder's row. Response headers are a JSON array of `[name, value]` pairs, the body bytes.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use kiro_core::StoreError;
use kiro_core::idempotency::{
    IdempotencyClaim, IdempotencyRecord, IdempotencyStore, StoredResponse,
};

use crate::convert::{from_ms, parse_id, to_ms};
use crate::error::{SqlxResultExt, bad_value};
use crate::sql_store::SqlStore;

/// An `idempotency_keys` row.
#[derive(sqlx::FromRow)]
struct IdempotencyRow {
    principal_key: String,
    idempotency_key: String,
    request_hash: String,
    claim_token: String,
    status: Option<i64>,
    headers: Option<String>,
    body: Option<Vec<u8>>,
    created_at: i64,
    expires_at: i64,
}

impl TryFrom<IdempotencyRow> for IdempotencyRecord {
    type Error = StoreError;

    fn try_from(row: IdempotencyRow) -> Result<Self, StoreError> {
        let response = match row.status {
            None => None,
            Some(status) => Some(StoredResponse {
                status: u16::try_from(status).map_err(|_| bad_value(format!("status {status}")))?,
                headers: match row.headers.as_deref() {
                    None => Vec::new(),
                    Some(json) => serde_json::from_str(json)
                        .map_err(|e| bad_value(format!("headers `{json}`: {e}")))?,
                },
                body: row.body.unwrap_or_default(),
            }),
        };
        Ok(IdempotencyRecord {
            claim: IdempotencyClaim {
                principal: row.principal_key,
                key: row.idempotency_key,
                request_hash: row.request_hash,
                token: parse_id(&row.claim_token)?,
                created_at: from_ms(row.created_at)?,
                expires_at: from_ms(row.expires_at)?,
            },
            response,
        })
    }
}

#[async_trait]
impl IdempotencyStore for SqlStore {
    async fn claim_idempotency_key(
        &self,
        claim: &IdempotencyClaim,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        // Two racers may both delete (one of them finds nothing); only one INSERT succeeds.
        sqlx::query(
            "DELETE FROM idempotency_keys
             WHERE principal_key = $1 AND idempotency_key = $2 AND expires_at <= $3",
        )
        .bind(claim.principal.as_str())
        .bind(claim.key.as_str())
        .bind(to_ms(now))
        .execute(self.pool())
        .await
        .store()?;
        sqlx::query(
            "INSERT INTO idempotency_keys (principal_key, idempotency_key, request_hash,
                 claim_token, created_at, expires_at)
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(claim.principal.as_str())
        .bind(claim.key.as_str())
        .bind(claim.request_hash.as_str())
        .bind(claim.token.to_string())
        .bind(to_ms(claim.created_at))
        .bind(to_ms(claim.expires_at))
        .execute(self.pool())
        .await
        .store()?;
        Ok(())
    }

    async fn get_idempotency_key(
        &self,
        principal: &str,
        key: &str,
        now: DateTime<Utc>,
    ) -> Result<IdempotencyRecord, StoreError> {
        sqlx::query_as::<_, IdempotencyRow>(
            "SELECT principal_key, idempotency_key, request_hash, claim_token, status, headers,
                 body, created_at, expires_at
             FROM idempotency_keys
             WHERE principal_key = $1 AND idempotency_key = $2 AND expires_at > $3",
        )
        .bind(principal)
        .bind(key)
        .bind(to_ms(now))
        .fetch_one(self.pool())
        .await
        .store()?
        .try_into()
    }

    async fn complete_idempotency_key(
        &self,
        claim: &IdempotencyClaim,
        response: &StoredResponse,
        expires_at: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let headers =
            serde_json::to_string(&response.headers).map_err(|e| StoreError::Backend(e.into()))?;
        let done = sqlx::query(
            "UPDATE idempotency_keys SET status = $1, headers = $2, body = $3, expires_at = $4
             WHERE principal_key = $5 AND idempotency_key = $6 AND claim_token = $7
                 AND status IS NULL",
        )
        .bind(i64::from(response.status))
        .bind(headers)
        .bind(response.body.as_slice())
        .bind(to_ms(expires_at))
        .bind(claim.principal.as_str())
        .bind(claim.key.as_str())
        .bind(claim.token.to_string())
        .execute(self.pool())
        .await
        .store()?;
        match done.rows_affected() {
            0 => Err(StoreError::NotFound),
            _ => Ok(()),
        }
    }

    async fn release_idempotency_key(&self, claim: &IdempotencyClaim) -> Result<(), StoreError> {
        sqlx::query(
            "DELETE FROM idempotency_keys
             WHERE principal_key = $1 AND idempotency_key = $2 AND claim_token = $3
                 AND status IS NULL",
        )
        .bind(claim.principal.as_str())
        .bind(claim.key.as_str())
        .bind(claim.token.to_string())
        .execute(self.pool())
        .await
        .store()?;
        Ok(())
    }

    async fn delete_expired_idempotency_keys(&self, now: DateTime<Utc>) -> Result<u64, StoreError> {
        let done = sqlx::query("DELETE FROM idempotency_keys WHERE expires_at <= $1")
            .bind(to_ms(now))
            .execute(self.pool())
            .await
            .store()?;
        Ok(done.rows_affected())
    }
}
