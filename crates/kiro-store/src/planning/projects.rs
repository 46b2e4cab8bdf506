//! Projects: insert, read, list by creation, guarded update, delete with everything in it.

use kiro_core::events::EventDraft;
use kiro_core::{PageRequest, Paged, SortKey, StoreError};
use kiro_types::WorkspaceId;
use kiro_types::planning::{Project, ProjectStatus};

use super::rows::{from_json, stale_or_missing, to_json};
use crate::convert::to_ms;
use crate::error::SqlxResultExt;
use crate::page::{Order, start_after};
use crate::sql_store::SqlStore;

pub(super) async fn insert(
    store: &SqlStore,
    ws: WorkspaceId,
    p: &Project,
    event: &EventDraft,
) -> Result<(), StoreError> {
    let mut m = store.mutation().await?;
    sqlx::query(
        "INSERT INTO planning_projects (id, workspace_id, status, created_at, version, body)
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(p.id.clone())
    .bind(ws.to_string())
    .bind(p.status.as_str())
    .bind(to_ms(p.created_at))
    .bind(p.version)
    .bind(to_json(p)?)
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
) -> Result<Project, StoreError> {
    let body: String = sqlx::query_scalar(
        "SELECT body FROM planning_projects WHERE id = $1 AND workspace_id = $2",
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
    status: Option<ProjectStatus>,
    page: &PageRequest,
) -> Result<Paged<Project>, StoreError> {
    let (at, id) = start_after(page, Order::Ascending);
    let bodies: Vec<String> = sqlx::query_scalar(
        "SELECT body FROM planning_projects
         WHERE workspace_id = $1 AND (created_at, id) > ($2, $3) AND ($5 = '' OR status = $5)
         ORDER BY created_at, id LIMIT $4",
    )
    .bind(ws.to_string())
    .bind(at)
    .bind(id)
    .bind(page.fetch_limit())
    .bind(status.map(|s| s.as_str()).unwrap_or_default())
    .fetch_all(store.pool())
    .await
    .store()?;
    let items = bodies
        .iter()
        .map(|b| from_json(b))
        .collect::<Result<Vec<Project>, _>>()?;
    Ok(Paged::from_rows(items, page, |p| SortKey {
        at_ms: to_ms(p.created_at),
        id: p.id.clone(),
    }))
}

pub(super) async fn update(
    store: &SqlStore,
    ws: WorkspaceId,
    p: &Project,
    expected: i64,
    event: &EventDraft,
) -> Result<(), StoreError> {
    let mut m = store.mutation().await?;
    let done = sqlx::query(
        "UPDATE planning_projects SET status = $1, version = $2, body = $3
         WHERE id = $4 AND workspace_id = $5 AND version = $6",
    )
    .bind(p.status.as_str())
    .bind(p.version)
    .bind(to_json(p)?)
    .bind(p.id.clone())
    .bind(ws.to_string())
    .bind(expected)
    .execute(m.conn())
    .await
    .store()?;
    if done.rows_affected() == 0 {
        return Err(stale_or_missing(m.conn(), "planning_projects", ws, &p.id).await);
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
    // Dependencies reaching into the project from other projects go with its tasks.
    sqlx::query(
        "DELETE FROM planning_task_dependencies WHERE workspace_id = $1
           AND (predecessor_id IN (SELECT id FROM planning_tasks WHERE project_id = $2)
             OR successor_id IN (SELECT id FROM planning_tasks WHERE project_id = $2))",
    )
    .bind(ws.to_string())
    .bind(id.to_owned())
    .execute(m.conn())
    .await
    .store()?;
    for sql in [
        "DELETE FROM planning_milestone_tasks WHERE workspace_id = $1 AND milestone_id IN
           (SELECT id FROM planning_milestones WHERE project_id = $2)",
        "DELETE FROM planning_allocations WHERE workspace_id = $1 AND project_id = $2",
        "DELETE FROM planning_milestones WHERE workspace_id = $1 AND project_id = $2",
        "DELETE FROM planning_tasks WHERE workspace_id = $1 AND project_id = $2",
    ] {
        sqlx::query(sql)
            .bind(ws.to_string())
            .bind(id.to_owned())
            .execute(m.conn())
            .await
            .store()?;
    }
    let done = sqlx::query("DELETE FROM planning_projects WHERE id = $1 AND workspace_id = $2")
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
