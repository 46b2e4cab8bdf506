//! Milestones and the tasks gating them (`planning_milestone_tasks`, the source of each
//! milestone's `taskIds`).

use kiro_core::StoreError;
use kiro_core::events::EventDraft;
use kiro_types::WorkspaceId;
use kiro_types::planning::Milestone;
use sqlx::AnyConnection;

use super::rows::{from_json, stale_or_missing, to_json};
use crate::convert::to_ms;
use crate::error::SqlxResultExt;
use crate::events::Mutation;
use crate::sql_store::SqlStore;

async fn write_links(m: &mut Mutation, ws: WorkspaceId, ms: &Milestone) -> Result<(), StoreError> {
    sqlx::query("DELETE FROM planning_milestone_tasks WHERE milestone_id = $1")
        .bind(ms.id.clone())
        .execute(m.conn())
        .await
        .store()?;
    for task in &ms.task_ids {
        sqlx::query(
            "INSERT INTO planning_milestone_tasks (workspace_id, milestone_id, task_id)
             VALUES ($1, $2, $3)",
        )
        .bind(ws.to_string())
        .bind(ms.id.clone())
        .bind(task.clone())
        .execute(m.conn())
        .await
        .store()?;
    }
    Ok(())
}

async fn with_links(conn: &mut AnyConnection, body: &str) -> Result<Milestone, StoreError> {
    let mut ms: Milestone = from_json(body)?;
    ms.task_ids = sqlx::query_scalar(
        "SELECT task_id FROM planning_milestone_tasks WHERE milestone_id = $1 ORDER BY task_id",
    )
    .bind(ms.id.clone())
    .fetch_all(conn)
    .await
    .store()?;
    Ok(ms)
}

pub(super) async fn insert(
    store: &SqlStore,
    ws: WorkspaceId,
    ms: &Milestone,
    event: &EventDraft,
) -> Result<(), StoreError> {
    let mut m = store.mutation().await?;
    sqlx::query(
        "INSERT INTO planning_milestones (id, workspace_id, project_id, date, created_at,
             version, body) VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(ms.id.clone())
    .bind(ws.to_string())
    .bind(ms.project_id.clone())
    .bind(ms.date.to_string())
    .bind(to_ms(ms.created_at))
    .bind(ms.version)
    .bind(to_json(ms)?)
    .execute(m.conn())
    .await
    .store()?;
    write_links(&mut m, ws, ms).await?;
    m.commit(store, event).await?;
    Ok(())
}

pub(super) async fn get(
    store: &SqlStore,
    ws: WorkspaceId,
    id: &str,
) -> Result<Milestone, StoreError> {
    let mut conn = store.pool().acquire().await.store()?;
    let body: String = sqlx::query_scalar(
        "SELECT body FROM planning_milestones WHERE id = $1 AND workspace_id = $2",
    )
    .bind(id.to_owned())
    .bind(ws.to_string())
    .fetch_one(&mut *conn)
    .await
    .store()?;
    with_links(&mut conn, &body).await
}

pub(super) async fn list(
    store: &SqlStore,
    ws: WorkspaceId,
    project: &str,
) -> Result<Vec<Milestone>, StoreError> {
    let mut conn = store.pool().acquire().await.store()?;
    let bodies: Vec<String> = sqlx::query_scalar(
        "SELECT body FROM planning_milestones WHERE workspace_id = $1 AND project_id = $2
         ORDER BY date, id",
    )
    .bind(ws.to_string())
    .bind(project.to_owned())
    .fetch_all(&mut *conn)
    .await
    .store()?;
    let mut out = Vec::with_capacity(bodies.len());
    for b in &bodies {
        out.push(with_links(&mut conn, b).await?);
    }
    Ok(out)
}

pub(super) async fn update(
    store: &SqlStore,
    ws: WorkspaceId,
    ms: &Milestone,
    expected: i64,
    event: &EventDraft,
) -> Result<(), StoreError> {
    let mut m = store.mutation().await?;
    let done = sqlx::query(
        "UPDATE planning_milestones SET date = $1, version = $2, body = $3
         WHERE id = $4 AND workspace_id = $5 AND version = $6",
    )
    .bind(ms.date.to_string())
    .bind(ms.version)
    .bind(to_json(ms)?)
    .bind(ms.id.clone())
    .bind(ws.to_string())
    .bind(expected)
    .execute(m.conn())
    .await
    .store()?;
    if done.rows_affected() == 0 {
        return Err(stale_or_missing(m.conn(), "planning_milestones", ws, &ms.id).await);
    }
    write_links(&mut m, ws, ms).await?;
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
    sqlx::query(
        "DELETE FROM planning_milestone_tasks WHERE workspace_id = $1 AND milestone_id = $2",
    )
    .bind(ws.to_string())
    .bind(id.to_owned())
    .execute(m.conn())
    .await
    .store()?;
    let done = sqlx::query("DELETE FROM planning_milestones WHERE id = $1 AND workspace_id = $2")
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
