//! Task dependencies: the cycle check and the insert in one serialised transaction (a
//! per-workspace advisory lock on PostgreSQL; SQLite's single writer, taken up front), so
//! two concurrent insertions can never close a cycle between them.

use kiro_core::StoreError;
use kiro_core::events::EventDraft;
use kiro_core::planning::graph::find_cycle;
use kiro_types::WorkspaceId;
use kiro_types::planning::{Dependency, DependencyKind};

use crate::convert::{from_ms, to_ms};
use crate::error::{SqlxResultExt, bad_value};
use crate::sql_store::{Backend, SqlStore};

/// The advisory-lock namespace of dependency writes (the workspace's hash is added).
const LOCK_BASE: i64 = 0x6b69_726f_5000_0000;

fn lock_key(ws: WorkspaceId) -> i64 {
    let bytes = ws.to_string().into_bytes();
    let hash = bytes.iter().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
        (h ^ u64::from(*b)).wrapping_mul(0x100_0000_01b3)
    });
    LOCK_BASE ^ i64::from_ne_bytes((hash & 0x00ff_ffff_ffff).to_ne_bytes())
}

pub(super) async fn insert(
    store: &SqlStore,
    ws: WorkspaceId,
    d: &Dependency,
    event: &EventDraft,
) -> Result<Option<Vec<String>>, StoreError> {
    let mut m = store.mutation().await?;
    match store.backend() {
        Backend::Postgres => {
            sqlx::query("SELECT pg_advisory_xact_lock($1)")
                .bind(lock_key(ws))
                .execute(m.conn())
                .await
                .store()?;
        }
        Backend::Sqlite => {
            // A write first takes SQLite's one write lock for the whole check.
            sqlx::query("UPDATE planning_tasks SET version = version WHERE id = $1")
                .bind(d.successor_id.clone())
                .execute(m.conn())
                .await
                .store()?;
        }
    }
    let edges: Vec<(String, String)> = sqlx::query_as(
        "SELECT predecessor_id, successor_id FROM planning_task_dependencies
         WHERE workspace_id = $1",
    )
    .bind(ws.to_string())
    .fetch_all(m.conn())
    .await
    .store()?;
    if let Some(cycle) = find_cycle(&edges, &d.predecessor_id, &d.successor_id) {
        return Ok(Some(cycle));
    }
    sqlx::query(
        "INSERT INTO planning_task_dependencies
             (id, workspace_id, predecessor_id, successor_id, kind, lag_days, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(d.id.clone())
    .bind(ws.to_string())
    .bind(d.predecessor_id.clone())
    .bind(d.successor_id.clone())
    .bind(d.kind.as_str())
    .bind(i64::from(d.lag_days))
    .bind(to_ms(d.created_at))
    .execute(m.conn())
    .await
    .store()?;
    m.commit(store, event).await?;
    Ok(None)
}

pub(super) async fn delete(
    store: &SqlStore,
    ws: WorkspaceId,
    predecessor: &str,
    successor: &str,
    event: &EventDraft,
) -> Result<(), StoreError> {
    let mut m = store.mutation().await?;
    let done = sqlx::query(
        "DELETE FROM planning_task_dependencies
         WHERE workspace_id = $1 AND predecessor_id = $2 AND successor_id = $3",
    )
    .bind(ws.to_string())
    .bind(predecessor.to_owned())
    .bind(successor.to_owned())
    .execute(m.conn())
    .await
    .store()?;
    if done.rows_affected() == 0 {
        return Err(StoreError::NotFound);
    }
    m.commit(store, event).await?;
    Ok(())
}

type Row = (String, String, String, String, i64, i64);

pub(super) async fn of_project(
    store: &SqlStore,
    ws: WorkspaceId,
    project: &str,
) -> Result<Vec<Dependency>, StoreError> {
    let rows: Vec<Row> = sqlx::query_as(
        "SELECT id, predecessor_id, successor_id, kind, lag_days, created_at
         FROM planning_task_dependencies
         WHERE workspace_id = $1
           AND (predecessor_id IN (SELECT id FROM planning_tasks WHERE project_id = $2)
             OR successor_id IN (SELECT id FROM planning_tasks WHERE project_id = $2))
         ORDER BY created_at, id",
    )
    .bind(ws.to_string())
    .bind(project.to_owned())
    .fetch_all(store.pool())
    .await
    .store()?;
    rows.into_iter()
        .map(|(id, predecessor_id, successor_id, kind, lag, at)| {
            Ok(Dependency {
                id,
                predecessor_id,
                successor_id,
                kind: DependencyKind::parse(&kind).ok_or_else(|| bad_value(&kind))?,
                lag_days: i32::try_from(lag).map_err(|_| bad_value(lag))?,
                created_at: from_ms(at)?,
            })
        })
        .collect()
}
