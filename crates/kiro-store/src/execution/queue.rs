//! The queue: enqueue under the capacity (count and insert in one serialised transaction: a
//! global advisory lock on PostgreSQL, SQLite's single writer taken by the insert itself),
//! claiming the oldest queued job (`FOR UPDATE SKIP LOCKED` on PostgreSQL, an
//! `UPDATE … RETURNING` under SQLite's write lock), lease renewal, and recovery of jobs whose
//! process died.

use chrono::{DateTime, Utc};
use kiro_core::StoreError;
use kiro_core::events::EventDraft;
use kiro_core::execution::EventFor;
use kiro_types::execution::{Job, JobStatus};

use super::rows::{JobRow, job_columns, to_json};
use crate::convert::to_ms;
use crate::error::SqlxResultExt;
use crate::sql_store::{Backend, SqlStore};

/// The advisory lock serialising enqueues on PostgreSQL.
const ENQUEUE_LOCK_KEY: i64 = 0x6b69_726f_0006;

pub(super) async fn enqueue(
    store: &SqlStore,
    job: &Job,
    capacity: u32,
    event: &EventDraft,
) -> Result<bool, StoreError> {
    let mut m = store.mutation().await?;
    if store.backend() == Backend::Postgres {
        sqlx::query("SELECT 1 FROM (SELECT pg_advisory_xact_lock($1)) AS locked")
            .bind(ENQUEUE_LOCK_KEY)
            .execute(m.conn())
            .await
            .store()?;
    }
    // On SQLite this write comes first so the transaction holds the write lock for the count.
    sqlx::query(
        "INSERT INTO execution_jobs (id, workspace_id, status, environment, request, result,
             error, attempts, submitted_by, created_at, started_at, finished_at, claimed_by,
             lease_until, log_truncated, version)
         VALUES ($1, $2, 'queued', $3, $4, NULL, NULL, 0, $5, $6, NULL, NULL, NULL, NULL, 0, $7)",
    )
    .bind(job.id.clone())
    .bind(job.workspace_id.to_string())
    .bind(job.environment.clone())
    .bind(to_json(&job.request)?)
    .bind(job.submitted_by.clone())
    .bind(to_ms(job.created_at))
    .bind(job.version)
    .execute(m.conn())
    .await
    .store()?;
    let queued: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM execution_jobs WHERE status = 'queued'")
            .fetch_one(m.conn())
            .await
            .store()?;
    if queued > i64::from(capacity) {
        // Dropping the mutation rolls the insert back.
        return Ok(false);
    }
    m.commit(store, event).await?;
    Ok(true)
}

const CLAIM_SQLITE: &str = concat!(
    "UPDATE execution_jobs SET status = 'running', attempts = attempts + 1, started_at = $1,
         claimed_by = $2, lease_until = $3, log_truncated = 0, version = version + 1
     WHERE id = (SELECT id FROM execution_jobs WHERE status = 'queued'
                 ORDER BY created_at, id LIMIT 1)
     RETURNING ",
    job_columns!()
);
const CLAIM_POSTGRES: &str = concat!(
    "UPDATE execution_jobs SET status = 'running', attempts = attempts + 1, started_at = $1,
         claimed_by = $2, lease_until = $3, log_truncated = 0, version = version + 1
     WHERE id = (SELECT id FROM execution_jobs WHERE status = 'queued'
                 ORDER BY created_at, id LIMIT 1 FOR UPDATE SKIP LOCKED)
     RETURNING ",
    job_columns!()
);

pub(super) async fn claim(
    store: &SqlStore,
    worker: &str,
    now: DateTime<Utc>,
    lease_until: DateTime<Utc>,
    event: EventFor<'_>,
) -> Result<Option<Job>, StoreError> {
    let sql = match store.backend() {
        Backend::Sqlite => CLAIM_SQLITE,
        Backend::Postgres => CLAIM_POSTGRES,
    };
    let mut m = store.mutation().await?;
    let row: Option<JobRow> = sqlx::query_as(sql)
        .bind(to_ms(now))
        .bind(worker.to_owned())
        .bind(to_ms(lease_until))
        .fetch_optional(m.conn())
        .await
        .store()?;
    let Some(row) = row else {
        return Ok(None);
    };
    let job = Job::try_from(row)?;
    // An earlier attempt's output does not belong to this one.
    sqlx::query("DELETE FROM execution_job_logs WHERE job_id = $1")
        .bind(job.id.clone())
        .execute(m.conn())
        .await
        .store()?;
    m.commit(store, &event(&job)).await?;
    Ok(Some(job))
}

pub(super) async fn renew(
    store: &SqlStore,
    id: &str,
    worker: &str,
    lease_until: DateTime<Utc>,
) -> Result<(), StoreError> {
    let done = sqlx::query(
        "UPDATE execution_jobs SET lease_until = $1
         WHERE id = $2 AND claimed_by = $3 AND status = 'running'",
    )
    .bind(to_ms(lease_until))
    .bind(id.to_owned())
    .bind(worker.to_owned())
    .execute(store.pool())
    .await
    .store()?;
    if done.rows_affected() == 0 {
        return Err(StoreError::Stale);
    }
    Ok(())
}

const REQUEUE: &str = concat!(
    "UPDATE execution_jobs SET status = 'queued', started_at = NULL, claimed_by = NULL,
         lease_until = NULL, version = version + 1
     WHERE id = $1 AND status = 'running' AND lease_until < $2
     RETURNING ",
    job_columns!()
);
const FAIL: &str = concat!(
    "UPDATE execution_jobs SET status = 'failed', error = $3, finished_at = $2,
         claimed_by = NULL, lease_until = NULL, version = version + 1
     WHERE id = $1 AND status = 'running' AND lease_until < $2
     RETURNING ",
    job_columns!()
);

pub(super) async fn recover(
    store: &SqlStore,
    now: DateTime<Utc>,
    requeue: bool,
    reason: &str,
    event: EventFor<'_>,
) -> Result<Vec<Job>, StoreError> {
    let ids: Vec<String> = sqlx::query_scalar(
        "SELECT id FROM execution_jobs WHERE status = 'running' AND lease_until < $1
         ORDER BY created_at, id",
    )
    .bind(to_ms(now))
    .fetch_all(store.pool())
    .await
    .store()?;
    let mut recovered = Vec::new();
    for id in ids {
        let mut m = store.mutation().await?;
        let query = sqlx::query_as::<_, JobRow>(if requeue { REQUEUE } else { FAIL })
            .bind(id)
            .bind(to_ms(now));
        let query = if requeue {
            query
        } else {
            query.bind(reason.to_owned())
        };
        // Another process may have recovered it first.
        let Some(row) = query.fetch_optional(m.conn()).await.store()? else {
            continue;
        };
        let job = Job::try_from(row)?;
        debug_assert!(matches!(job.status, JobStatus::Queued | JobStatus::Failed));
        m.commit(store, &event(&job)).await?;
        recovered.push(job);
    }
    Ok(recovered)
}
