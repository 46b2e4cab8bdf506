//! A job's end: finishing a running job under its worker's claim (or handing it back to the
//! queue), and cancelling a queued or running one — each a guarded update returning the job, committed with its event.

use chrono::{DateTime, Utc};
use kiro_core::StoreError;
use kiro_core::execution::{EventFor, JobFinish};
use kiro_types::WorkspaceId;
use kiro_types::execution::Job;

use super::rows::{JobRow, job_columns, to_json};
use crate::convert::{to_flag, to_ms};
use crate::error::SqlxResultExt;
use crate::sql_store::SqlStore;

const FINISH: &str = concat!(
    "UPDATE execution_jobs SET status = $1, result = $2, error = $3,
         finished_at = CASE WHEN $1 = 'queued' THEN NULL ELSE CAST($4 AS BIGINT) END,
         started_at = CASE WHEN $1 = 'queued' THEN NULL ELSE started_at END,
         log_truncated = $5, claimed_by = NULL, lease_until = NULL, version = version + 1
     WHERE id = $6 AND status = 'running' AND claimed_by = $7
     RETURNING ",
    job_columns!()
);

pub(super) async fn finish(
    store: &SqlStore,
    id: &str,
    worker: &str,
    f: &JobFinish,
    event: EventFor<'_>,
) -> Result<Job, StoreError> {
    let result = f.result.as_ref().map(to_json).transpose()?;
    let mut m = store.mutation().await?;
    let row: Option<JobRow> = sqlx::query_as(FINISH)
        .bind(f.status.as_str())
        .bind(result)
        .bind(f.error.clone())
        .bind(to_ms(f.at))
        .bind(to_flag(f.log_truncated))
        .bind(id.to_owned())
        .bind(worker.to_owned())
        .fetch_optional(m.conn())
        .await
        .store()?;
    let job = Job::try_from(row.ok_or(StoreError::Stale)?)?;
    m.commit(store, &event(&job)).await?;
    Ok(job)
}

const CANCEL: &str = concat!(
    "UPDATE execution_jobs SET status = 'cancelled', error = $1, finished_at = $2,
         lease_until = NULL, version = version + 1
     WHERE id = $3 AND workspace_id = $4 AND status IN ('queued', 'running')
     RETURNING ",
    job_columns!()
);

pub(super) async fn cancel(
    store: &SqlStore,
    ws: WorkspaceId,
    id: &str,
    at: DateTime<Utc>,
    reason: &str,
    event: EventFor<'_>,
) -> Result<Job, StoreError> {
    let mut m = store.mutation().await?;
    let row: Option<JobRow> = sqlx::query_as(CANCEL)
        .bind(reason.to_owned())
        .bind(to_ms(at))
        .bind(id.to_owned())
        .bind(ws.to_string())
        .fetch_optional(m.conn())
        .await
        .store()?;
    let Some(row) = row else {
        let exists: Option<i64> =
            sqlx::query_scalar("SELECT 1 FROM execution_jobs WHERE id = $1 AND workspace_id = $2")
                .bind(id.to_owned())
                .bind(ws.to_string())
                .fetch_optional(m.conn())
                .await
                .store()?;
        return Err(match exists {
            Some(_) => StoreError::Conflict {
                constraint: "execution_jobs_final".into(),
            },
            None => StoreError::NotFound,
        });
    };
    let job = Job::try_from(row)?;
    m.commit(store, &event(&job)).await?;
    Ok(job)
}
