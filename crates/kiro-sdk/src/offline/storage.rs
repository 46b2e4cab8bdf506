//! The queue's local SQLite file: the `queued` table holds mutations in submission order
//! (the autoincrement id is the order), each with the idempotency key it was given when it
//! was queued, so a process restart resumes the queue and a replay reuses the key; the
//! `failed` table keeps the mutations the server refused for good. Static SQL only; nothing
//! here talks to the server.

use std::path::Path;
use std::str::FromStr;
use std::time::Duration;

use chrono::{DateTime, TimeZone, Utc};
use reqwest::Method;
use sqlx::SqlitePool;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};

use crate::call::Call;
use crate::error::KiroError;

/// A mutation waiting in the queue.
#[derive(Debug, Clone, PartialEq)]
pub struct Pending {
    /// Its place in the queue: replay goes in increasing id order.
    pub id: i64,
    /// The call as it will be sent, its idempotency key always set.
    pub call: Call,
    pub queued_at: DateTime<Utc>,
}

/// A mutation the server refused for good (a 4xx other than 409), kept for the app to see.
#[derive(Debug, Clone, PartialEq)]
pub struct FailedMutation {
    pub id: i64,
    pub call: Call,
    pub status: Option<u16>,
    pub code: Option<String>,
    pub message: String,
    pub failed_at: DateTime<Utc>,
}

const SCHEMA: [&str; 2] = [
    "CREATE TABLE IF NOT EXISTS queued (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        method TEXT NOT NULL,
        path TEXT NOT NULL,
        body TEXT,
        idempotency_key TEXT NOT NULL,
        if_match TEXT,
        queued_at INTEGER NOT NULL
    )",
    "CREATE TABLE IF NOT EXISTS failed (
        id INTEGER PRIMARY KEY,
        method TEXT NOT NULL,
        path TEXT NOT NULL,
        body TEXT,
        idempotency_key TEXT NOT NULL,
        if_match TEXT,
        status INTEGER,
        code TEXT,
        message TEXT NOT NULL,
        failed_at INTEGER NOT NULL
    )",
];

#[derive(sqlx::FromRow)]
struct QueuedRow {
    id: i64,
    method: String,
    path: String,
    body: Option<String>,
    idempotency_key: String,
    if_match: Option<String>,
    queued_at: i64,
}

#[derive(sqlx::FromRow)]
struct FailedRow {
    id: i64,
    method: String,
    path: String,
    body: Option<String>,
    idempotency_key: String,
    if_match: Option<String>,
    status: Option<i64>,
    code: Option<String>,
    message: String,
    failed_at: i64,
}

/// The queue's SQLite database.
#[derive(Clone)]
pub(crate) struct QueueStore {
    pool: SqlitePool,
}

impl QueueStore {
    /// Opens (creating if needed) the queue file at `path`.
    pub(crate) async fn open(path: &Path) -> Result<Self, KiroError> {
        let options = SqliteConnectOptions::new()
            .filename(path)
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Normal)
            .busy_timeout(Duration::from_secs(10));
        let pool = SqlitePoolOptions::new()
            .max_connections(1)
            .connect_with(options)
            .await
            .map_err(offline)?;
        for statement in SCHEMA {
            sqlx::query(statement)
                .execute(&pool)
                .await
                .map_err(offline)?;
        }
        Ok(Self { pool })
    }

    /// Appends `call` (whose idempotency key must be set) and returns its id.
    pub(crate) async fn push(&self, call: &Call) -> Result<i64, KiroError> {
        let key = call
            .idempotency_key
            .as_deref()
            .ok_or_else(|| KiroError::Offline("a queued call needs an idempotency key".into()))?;
        let row: (i64,) = sqlx::query_as(
            "INSERT INTO queued (method, path, body, idempotency_key, if_match, queued_at)
             VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
        )
        .bind(call.method.as_str())
        .bind(&call.path)
        .bind(body_text(call)?)
        .bind(key)
        .bind(&call.if_match)
        .bind(Utc::now().timestamp_millis())
        .fetch_one(&self.pool)
        .await
        .map_err(offline)?;
        Ok(row.0)
    }

    /// Every queued mutation, oldest first.
    pub(crate) async fn pending(&self) -> Result<Vec<Pending>, KiroError> {
        let rows: Vec<QueuedRow> = sqlx::query_as(
            "SELECT id, method, path, body, idempotency_key, if_match, queued_at
             FROM queued ORDER BY id",
        )
        .fetch_all(&self.pool)
        .await
        .map_err(offline)?;
        rows.into_iter().map(QueuedRow::into_pending).collect()
    }

    /// The oldest queued mutation.
    pub(crate) async fn first(&self) -> Result<Option<Pending>, KiroError> {
        let row: Option<QueuedRow> = sqlx::query_as(
            "SELECT id, method, path, body, idempotency_key, if_match, queued_at
             FROM queued ORDER BY id LIMIT 1",
        )
        .fetch_optional(&self.pool)
        .await
        .map_err(offline)?;
        row.map(QueuedRow::into_pending).transpose()
    }

    pub(crate) async fn len(&self) -> Result<usize, KiroError> {
        let (count,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM queued")
            .fetch_one(&self.pool)
            .await
            .map_err(offline)?;
        Ok(usize::try_from(count).unwrap_or(0))
    }

    /// Removes a mutation that has been dealt with.
    pub(crate) async fn remove(&self, id: i64) -> Result<(), KiroError> {
        sqlx::query("DELETE FROM queued WHERE id = $1")
            .bind(id)
            .execute(&self.pool)
            .await
            .map_err(offline)?;
        Ok(())
    }

    /// Moves a queued mutation to the `failed` table, in one transaction.
    pub(crate) async fn fail(&self, failed: &FailedMutation) -> Result<(), KiroError> {
        let call = &failed.call;
        let mut tx = self.pool.begin().await.map_err(offline)?;
        sqlx::query(
            "INSERT OR REPLACE INTO failed
             (id, method, path, body, idempotency_key, if_match, status, code, message, failed_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
        )
        .bind(failed.id)
        .bind(call.method.as_str())
        .bind(&call.path)
        .bind(body_text(call)?)
        .bind(call.idempotency_key.as_deref().unwrap_or_default())
        .bind(&call.if_match)
        .bind(failed.status.map(i64::from))
        .bind(&failed.code)
        .bind(&failed.message)
        .bind(failed.failed_at.timestamp_millis())
        .execute(&mut *tx)
        .await
        .map_err(offline)?;
        sqlx::query("DELETE FROM queued WHERE id = $1")
            .bind(failed.id)
            .execute(&mut *tx)
            .await
            .map_err(offline)?;
        tx.commit().await.map_err(offline)
    }

    /// The mutations the server refused, oldest first.
    pub(crate) async fn failed(&self) -> Result<Vec<FailedMutation>, KiroError> {
        let rows: Vec<FailedRow> = sqlx::query_as(
            "SELECT id, method, path, body, idempotency_key, if_match, status, code, message,
                    failed_at
             FROM failed ORDER BY id",
        )
        .fetch_all(&self.pool)
        .await
        .map_err(offline)?;
        rows.into_iter()
            .map(|row| {
                let call = call_from(
                    &row.method,
                    row.path,
                    row.body.as_deref(),
                    row.idempotency_key,
                    row.if_match,
                )?;
                Ok(FailedMutation {
                    id: row.id,
                    call,
                    status: row.status.and_then(|s| u16::try_from(s).ok()),
                    code: row.code,
                    message: row.message,
                    failed_at: millis(row.failed_at),
                })
            })
            .collect()
    }
}

impl QueuedRow {
    fn into_pending(self) -> Result<Pending, KiroError> {
        let call = call_from(
            &self.method,
            self.path,
            self.body.as_deref(),
            self.idempotency_key,
            self.if_match,
        )?;
        Ok(Pending {
            id: self.id,
            call,
            queued_at: millis(self.queued_at),
        })
    }
}

fn call_from(
    method: &str,
    path: String,
    body: Option<&str>,
    key: String,
    if_match: Option<String>,
) -> Result<Call, KiroError> {
    let method = Method::from_str(method)
        .map_err(|e| KiroError::Offline(format!("bad method `{method}` in the queue: {e}")))?;
    let mut call = Call::new(method, path).idempotency_key(key);
    call.if_match = if_match;
    call.body = body
        .map(serde_json::from_str)
        .transpose()
        .map_err(|e| KiroError::Offline(format!("bad body in the queue: {e}")))?;
    Ok(call)
}

fn body_text(call: &Call) -> Result<Option<String>, KiroError> {
    call.body
        .as_ref()
        .map(serde_json::to_string)
        .transpose()
        .map_err(|e| KiroError::Offline(e.to_string()))
}

fn millis(ms: i64) -> DateTime<Utc> {
    Utc.timestamp_millis_opt(ms).single().unwrap_or_default()
}

fn offline(e: sqlx::Error) -> KiroError {
    KiroError::Offline(e.to_string())
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    type Result = anyhow::Result<()>;

    async fn store() -> anyhow::Result<(tempfile::TempDir, QueueStore)> {
        let dir = tempfile::tempdir()?;
        let store = QueueStore::open(&dir.path().join("q.db")).await?;
        Ok((dir, store))
    }

    #[tokio::test]
    async fn calls_come_back_in_order_with_their_keys_and_headers() -> Result {
        let (_dir, store) = store().await?;
        let first = Call::post("/v1/workspaces")
            .json(json!({"name": "a"}))
            .idempotency_key("k1");
        let second = Call::patch("/v1/workspaces/w")
            .json(json!({"name": "b"}))
            .if_match("\"2\"")
            .idempotency_key("k2");
        let third = Call::delete("/v1/workspaces/w").idempotency_key("k3");
        for call in [&first, &second, &third] {
            store.push(call).await?;
        }

        let pending = store.pending().await?;

        let calls: Vec<Call> = pending.iter().map(|p| p.call.clone()).collect();
        assert_eq!(calls, vec![first.clone(), second, third]);
        assert!(pending.windows(2).all(|w| w[0].id < w[1].id));
        assert_eq!(store.first().await?.map(|p| p.call), Some(first));
        assert_eq!(store.len().await?, 3);
        Ok(())
    }

    #[tokio::test]
    async fn a_call_without_a_key_is_refused() -> Result {
        let (_dir, store) = store().await?;
        assert!(store.push(&Call::post("/v1/workspaces")).await.is_err());
        assert_eq!(store.len().await?, 0);
        Ok(())
    }

    #[tokio::test]
    async fn the_queue_survives_reopening_the_file() -> Result {
        let dir = tempfile::tempdir()?;
        let path = dir.path().join("q.db");
        let call = Call::post("/v1/workspaces").idempotency_key("k");
        {
            let store = QueueStore::open(&path).await?;
            store.push(&call).await?;
            store.pool.close().await;
        }

        let reopened = QueueStore::open(&path).await?;

        assert_eq!(reopened.first().await?.map(|p| p.call), Some(call));
        Ok(())
    }

    #[tokio::test]
    async fn failing_moves_a_call_out_of_the_queue() -> Result {
        let (_dir, store) = store().await?;
        let call = Call::post("/v1/workspaces").idempotency_key("k");
        let id = store.push(&call).await?;
        let failed = FailedMutation {
            id,
            call,
            status: Some(422),
            code: Some("validation.failed".into()),
            message: "name too long".into(),
            failed_at: millis(1_700_000_000_000),
        };

        store.fail(&failed).await?;

        assert_eq!(store.len().await?, 0);
        assert_eq!(store.failed().await?, vec![failed]);
        Ok(())
    }
}
