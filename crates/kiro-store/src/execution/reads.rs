//! Reading jobs (one, or a filtered keyset page newest first) and their log, and appending
//! a running job's output with its events.

use kiro_core::events::EventDraft;
use kiro_core::execution::JobFilter;
use kiro_core::{PageRequest, Paged, SortKey, StoreError};
use kiro_types::WorkspaceId;
use kiro_types::execution::{Job, JobLogLine};

use super::rows::{JobRow, job_columns, jobs, parse_stream, stream_name};
use crate::convert::{from_flag, from_ms, to_ms};
use crate::error::SqlxResultExt;
use crate::page::{Order, start_after};
use crate::sql_store::SqlStore;

pub(super) async fn get(store: &SqlStore, ws: WorkspaceId, id: &str) -> Result<Job, StoreError> {
    let row: JobRow = sqlx::query_as(concat!(
        "SELECT ",
        job_columns!(),
        " FROM execution_jobs WHERE id = $1 AND workspace_id = $2"
    ))
    .bind(id.to_owned())
    .bind(ws.to_string())
    .fetch_one(store.pool())
    .await
    .store()?;
    Job::try_from(row)
}

pub(super) async fn list(
    store: &SqlStore,
    ws: WorkspaceId,
    f: &JobFilter,
    page: &PageRequest,
) -> Result<Paged<Job>, StoreError> {
    let (at, id) = start_after(page, Order::Descending);
    let rows: Vec<JobRow> = sqlx::query_as(concat!(
        "SELECT ",
        job_columns!(),
        " FROM execution_jobs
         WHERE workspace_id = $1 AND (created_at, id) < ($2, $3)
           AND ($5 = '' OR status = $5)
           AND ($6 = '' OR environment = $6)
         ORDER BY created_at DESC, id DESC LIMIT $4"
    ))
    .bind(ws.to_string())
    .bind(at)
    .bind(id)
    .bind(page.fetch_limit())
    .bind(f.status.map(|s| s.as_str()).unwrap_or_default())
    .bind(f.environment.clone().unwrap_or_default())
    .fetch_all(store.pool())
    .await
    .store()?;
    Ok(Paged::from_rows(jobs(rows)?, page, |j| SortKey {
        at_ms: to_ms(j.created_at),
        id: j.id.clone(),
    }))
}

pub(super) async fn logs(
    store: &SqlStore,
    ws: WorkspaceId,
    id: &str,
    after: u64,
    limit: u32,
) -> Result<(Vec<JobLogLine>, bool), StoreError> {
    let truncated: i64 = sqlx::query_scalar(
        "SELECT log_truncated FROM execution_jobs WHERE id = $1 AND workspace_id = $2",
    )
    .bind(id.to_owned())
    .bind(ws.to_string())
    .fetch_one(store.pool())
    .await
    .store()?;
    let rows: Vec<(i64, i64, String, String)> = sqlx::query_as(
        "SELECT seq, at, stream, message FROM execution_job_logs
         WHERE job_id = $1 AND seq > $2 ORDER BY seq LIMIT $3",
    )
    .bind(id.to_owned())
    .bind(i64::try_from(after).unwrap_or(i64::MAX))
    .bind(i64::from(limit))
    .fetch_all(store.pool())
    .await
    .store()?;
    let lines = rows
        .into_iter()
        .map(|(seq, at, stream, message)| {
            Ok(JobLogLine {
                seq: u64::try_from(seq).unwrap_or(0),
                at: from_ms(at)?,
                stream: parse_stream(&stream)?,
                message,
            })
        })
        .collect::<Result<Vec<_>, StoreError>>()?;
    Ok((lines, from_flag(truncated)?))
}

pub(super) async fn append_output(
    store: &SqlStore,
    id: &str,
    worker: &str,
    lines: &[JobLogLine],
    events: &[EventDraft],
) -> Result<(), StoreError> {
    let mut m = store.mutation().await?;
    // The guard is a write, so on SQLite the transaction holds the write lock from here on.
    let running = sqlx::query(
        "UPDATE execution_jobs SET lease_until = lease_until
         WHERE id = $1 AND claimed_by = $2 AND status = 'running'",
    )
    .bind(id.to_owned())
    .bind(worker.to_owned())
    .execute(m.conn())
    .await
    .store()?;
    if running.rows_affected() == 0 {
        return Err(StoreError::Stale);
    }
    for line in lines {
        sqlx::query(
            "INSERT INTO execution_job_logs (job_id, seq, at, stream, message)
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(id.to_owned())
        .bind(i64::try_from(line.seq).unwrap_or(i64::MAX))
        .bind(to_ms(line.at))
        .bind(stream_name(line.stream))
        .bind(line.message.clone())
        .execute(m.conn())
        .await
        .store()?;
    }
    m.commit_all(store, events).await?;
    Ok(())
}
