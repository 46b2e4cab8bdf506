//! Tasks: insert, read (with dependencies), filtered keyset lists, guarded updates (one, or
//! several in one transaction), and
//! delete that refuses while other tasks depend on it unless cascading.

use kiro_core::events::EventDraft;
use kiro_core::planning::TaskFilter;
use kiro_core::{PageRequest, Paged, SortKey, StoreError};
use kiro_types::WorkspaceId;
use kiro_types::planning::Task;

use super::rows::{date, fill_dependencies, from_json, stale_or_missing, to_json};
use crate::convert::to_ms;
use crate::error::SqlxResultExt;
use crate::events::Mutation;
use crate::page::{Order, start_after};
use crate::sql_store::SqlStore;

/// The quoted JSON form of a tag, as a LIKE pattern with `\` escaping the wildcards.
fn tag_pattern(tag: &str) -> String {
    let quoted = serde_json::to_string(tag).unwrap_or_default();
    let escaped = quoted
        .replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_");
    format!("%{escaped}%")
}

pub(super) async fn insert(
    store: &SqlStore,
    ws: WorkspaceId,
    t: &Task,
    event: &EventDraft,
) -> Result<(), StoreError> {
    let mut m = store.mutation().await?;
    sqlx::query(
        "INSERT INTO planning_tasks (id, workspace_id, project_id, status, assignee, tags,
             start_date, end_date, created_at, version, body)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
    )
    .bind(t.id.clone())
    .bind(ws.to_string())
    .bind(t.project_id.clone())
    .bind(t.status.as_str())
    .bind(t.assignee.clone())
    .bind(to_json(&t.tags)?)
    .bind(date(t.start_date))
    .bind(date(t.end_date))
    .bind(to_ms(t.created_at))
    .bind(t.version)
    .bind(to_json(t)?)
    .execute(m.conn())
    .await
    .store()?;
    m.commit(store, event).await?;
    Ok(())
}

pub(super) async fn get(store: &SqlStore, ws: WorkspaceId, id: &str) -> Result<Task, StoreError> {
    let mut conn = store.pool().acquire().await.store()?;
    let body: String =
        sqlx::query_scalar("SELECT body FROM planning_tasks WHERE id = $1 AND workspace_id = $2")
            .bind(id.to_owned())
            .bind(ws.to_string())
            .fetch_one(&mut *conn)
            .await
            .store()?;
    let mut tasks = [from_json::<Task>(&body)?];
    fill_dependencies(&mut conn, ws, &mut tasks).await?;
    let [task] = tasks;
    Ok(task)
}

pub(super) async fn list(
    store: &SqlStore,
    ws: WorkspaceId,
    f: &TaskFilter,
    page: &PageRequest,
) -> Result<Paged<Task>, StoreError> {
    let (at, id) = start_after(page, Order::Ascending);
    let mut conn = store.pool().acquire().await.store()?;
    let bodies: Vec<String> = sqlx::query_scalar(
        "SELECT body FROM planning_tasks t
         WHERE workspace_id = $1 AND (created_at, id) > ($2, $3)
           AND ($5 = '' OR project_id = $5)
           AND ($6 = '' OR status = $6)
           AND ($7 = '' OR assignee = $7)
           AND ($8 = '' OR tags LIKE $8 ESCAPE '\\')
           AND ($9 = '' OR EXISTS (SELECT 1 FROM planning_milestone_tasks mt
                                   WHERE mt.task_id = t.id AND mt.milestone_id = $9))
           AND ($10 = '' OR COALESCE(end_date, start_date) >= $10)
           AND ($11 = '' OR COALESCE(start_date, end_date) <= $11)
         ORDER BY created_at, id LIMIT $4",
    )
    .bind(ws.to_string())
    .bind(at)
    .bind(id)
    .bind(page.fetch_limit())
    .bind(f.project_id.clone().unwrap_or_default())
    .bind(f.status.map(|s| s.as_str()).unwrap_or_default())
    .bind(f.assignee.clone().unwrap_or_default())
    .bind(f.tag.as_deref().map(tag_pattern).unwrap_or_default())
    .bind(f.milestone_id.clone().unwrap_or_default())
    .bind(date(f.from).unwrap_or_default())
    .bind(date(f.to).unwrap_or_default())
    .fetch_all(&mut *conn)
    .await
    .store()?;
    let mut items = bodies
        .iter()
        .map(|b| from_json(b))
        .collect::<Result<Vec<Task>, _>>()?;
    fill_dependencies(&mut conn, ws, &mut items).await?;
    Ok(Paged::from_rows(items, page, |t| SortKey {
        at_ms: to_ms(t.created_at),
        id: t.id.clone(),
    }))
}

pub(super) async fn of_project(
    store: &SqlStore,
    ws: WorkspaceId,
    project: &str,
) -> Result<Vec<Task>, StoreError> {
    let mut conn = store.pool().acquire().await.store()?;
    let bodies: Vec<String> = sqlx::query_scalar(
        "SELECT body FROM planning_tasks WHERE workspace_id = $1 AND project_id = $2
         ORDER BY created_at, id",
    )
    .bind(ws.to_string())
    .bind(project.to_owned())
    .fetch_all(&mut *conn)
    .await
    .store()?;
    let mut tasks = bodies
        .iter()
        .map(|b| from_json(b))
        .collect::<Result<Vec<Task>, _>>()?;
    for chunk in tasks.chunks_mut(500) {
        fill_dependencies(&mut conn, ws, chunk).await?;
    }
    Ok(tasks)
}

pub(super) async fn update(
    store: &SqlStore,
    ws: WorkspaceId,
    t: &Task,
    expected: i64,
    event: &EventDraft,
) -> Result<(), StoreError> {
    let mut m = store.mutation().await?;
    write(&mut m, ws, t, expected).await?;
    m.commit(store, event).await?;
    Ok(())
}

/// Updates several tasks, each guarded by its expected version, with their events, in one
/// transaction: all or none.
pub(super) async fn update_many(
    store: &SqlStore,
    ws: WorkspaceId,
    changes: &[(Task, i64)],
    events: &[EventDraft],
) -> Result<(), StoreError> {
    let mut m = store.mutation().await?;
    for (t, expected) in changes {
        write(&mut m, ws, t, *expected).await?;
    }
    m.commit_all(store, events).await?;
    Ok(())
}

/// One guarded task update inside `m`.
async fn write(
    m: &mut Mutation,
    ws: WorkspaceId,
    t: &Task,
    expected: i64,
) -> Result<(), StoreError> {
    let mut stored = t.clone();
    stored.dependencies.clear();
    let done = sqlx::query(
        "UPDATE planning_tasks SET status = $1, assignee = $2, tags = $3, start_date = $4,
             end_date = $5, version = $6, body = $7
         WHERE id = $8 AND workspace_id = $9 AND version = $10",
    )
    .bind(t.status.as_str())
    .bind(t.assignee.clone())
    .bind(to_json(&t.tags)?)
    .bind(date(t.start_date))
    .bind(date(t.end_date))
    .bind(t.version)
    .bind(to_json(&stored)?)
    .bind(t.id.clone())
    .bind(ws.to_string())
    .bind(expected)
    .execute(m.conn())
    .await
    .store()?;
    if done.rows_affected() == 0 {
        return Err(stale_or_missing(m.conn(), "planning_tasks", ws, &t.id).await);
    }
    Ok(())
}

pub(super) async fn delete(
    store: &SqlStore,
    ws: WorkspaceId,
    id: &str,
    cascade: bool,
    event: &EventDraft,
) -> Result<(), StoreError> {
    let mut m = store.mutation().await?;
    let dependants: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM planning_task_dependencies
         WHERE workspace_id = $1 AND predecessor_id = $2",
    )
    .bind(ws.to_string())
    .bind(id.to_owned())
    .fetch_one(m.conn())
    .await
    .store()?;
    if dependants > 0 && !cascade {
        return Err(StoreError::Conflict {
            constraint: "planning_task_dependants".into(),
        });
    }
    for sql in [
        "DELETE FROM planning_task_dependencies WHERE workspace_id = $1
           AND (predecessor_id = $2 OR successor_id = $2)",
        "DELETE FROM planning_milestone_tasks WHERE workspace_id = $1 AND task_id = $2",
        "DELETE FROM planning_allocations WHERE workspace_id = $1 AND task_id = $2",
    ] {
        sqlx::query(sql)
            .bind(ws.to_string())
            .bind(id.to_owned())
            .execute(m.conn())
            .await
            .store()?;
    }
    let done = sqlx::query("DELETE FROM planning_tasks WHERE id = $1 AND workspace_id = $2")
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
