//! Resource allocations: insert, read, list by project or workspace over a date range,
//! guarded update, delete.

use chrono::NaiveDate;
use kiro_core::StoreError;
use kiro_core::events::EventDraft;
use kiro_types::WorkspaceId;
use kiro_types::planning::ResourceAllocation;

use super::rows::{from_json, stale_or_missing, to_json};
use crate::convert::to_ms;
use crate::error::SqlxResultExt;
use crate::sql_store::SqlStore;

pub(super) async fn insert(
    store: &SqlStore,
    ws: WorkspaceId,
    a: &ResourceAllocation,
    event: &EventDraft,
) -> Result<(), StoreError> {
    let mut m = store.mutation().await?;
    sqlx::query(
        "INSERT INTO planning_allocations (id, workspace_id, project_id, task_id, resource,
             start_date, end_date, created_at, version, body)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
    )
    .bind(a.id.clone())
    .bind(ws.to_string())
    .bind(a.project_id.clone())
    .bind(a.task_id.clone())
    .bind(a.resource.clone())
    .bind(a.start_date.to_string())
    .bind(a.end_date.to_string())
    .bind(to_ms(a.created_at))
    .bind(a.version)
    .bind(to_json(a)?)
    .execute(m.conn())
    .await
    .store()?;
    m.commit(store, event).await?;
    Ok(())
}

pub(super) async fn get(
    store: &SqlStore,
    ws: WorkspaceId,
    id: &str,
) -> Result<ResourceAllocation, StoreError> {
    let body: String = sqlx::query_scalar(
        "SELECT body FROM planning_allocations WHERE id = $1 AND workspace_id = $2",
    )
    .bind(id.to_owned())
    .bind(ws.to_string())
    .fetch_one(store.pool())
    .await
    .store()?;
    from_json(&body)
}

pub(super) async fn list(
    store: &SqlStore,
    ws: WorkspaceId,
    project: Option<&str>,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Vec<ResourceAllocation>, StoreError> {
    let bodies: Vec<String> = sqlx::query_scalar(
        "SELECT body FROM planning_allocations
         WHERE workspace_id = $1 AND ($2 = '' OR project_id = $2)
           AND end_date >= $3 AND start_date <= $4
         ORDER BY created_at, id",
    )
    .bind(ws.to_string())
    .bind(project.unwrap_or_default().to_owned())
    .bind(from.to_string())
    .bind(to.to_string())
    .fetch_all(store.pool())
    .await
    .store()?;
    bodies.iter().map(|b| from_json(b)).collect()
}

pub(super) async fn update(
    store: &SqlStore,
    ws: WorkspaceId,
    a: &ResourceAllocation,
    expected: i64,
    event: &EventDraft,
) -> Result<(), StoreError> {
    let mut m = store.mutation().await?;
    let done = sqlx::query(
        "UPDATE planning_allocations SET start_date = $1, end_date = $2, version = $3, body = $4
         WHERE id = $5 AND workspace_id = $6 AND version = $7",
    )
    .bind(a.start_date.to_string())
    .bind(a.end_date.to_string())
    .bind(a.version)
    .bind(to_json(a)?)
    .bind(a.id.clone())
    .bind(ws.to_string())
    .bind(expected)
    .execute(m.conn())
    .await
    .store()?;
    if done.rows_affected() == 0 {
        return Err(stale_or_missing(m.conn(), "planning_allocations", ws, &a.id).await);
    }
    m.commit(store, event).await?;
    Ok(())
}

pub(super) async fn delete(
    store: &SqlStore,
    ws: WorkspaceId,
    id: &str,
    event: &EventDraft,
) -> Result<(), StoreError> {
    let mut m = store.mutation().await?;
    let done = sqlx::query("DELETE FROM planning_allocations WHERE id = $1 AND workspace_id = $2")
        .bind(id.to_owned())
        .bind(ws.to_string())
        .execute(m.conn())
        .await
        .store()?;
    if done.rows_affected() == 0 {
        return Err(StoreError::NotFound);
    }
    m.commit(store, event).await?;
    Ok(())
}
