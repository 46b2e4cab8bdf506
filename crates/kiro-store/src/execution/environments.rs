//! Custom environments: the `execution_environments` table of migration 0007 — insert,
//! read by id or name, list in name order, guarded update, and a delete refused while a
//! script of the workspace still names the environment.

use kiro_core::StoreError;
use kiro_core::events::EventDraft;
use kiro_core::execution::catalog::{ENVIRONMENT_IN_USE, ENVIRONMENT_NAME_TAKEN};
use kiro_types::WorkspaceId;
use kiro_types::execution::ExecutionEnvironment;

use super::rows::to_json;
use crate::convert::to_ms;
use crate::error::SqlxResultExt;
use crate::sql_store::SqlStore;

fn from_json(body: &str) -> Result<ExecutionEnvironment, StoreError> {
    serde_json::from_str(body).map_err(|e| StoreError::Backend(Box::new(e)))
}

/// A unique violation on insert or update can only be the name (ids are fresh UUIDs).
pub(super) fn name_taken(constraint: &'static str) -> impl Fn(StoreError) -> StoreError {
    move |e| match e {
        StoreError::Conflict { .. } => StoreError::Conflict {
            constraint: constraint.to_owned(),
        },
        other => other,
    }
}

fn version(env: &ExecutionEnvironment) -> i64 {
    env.resource_version.unwrap_or(1)
}

pub(super) async fn insert(
    store: &SqlStore,
    ws: WorkspaceId,
    env: &ExecutionEnvironment,
    event: &EventDraft,
) -> Result<(), StoreError> {
    let mut m = store.mutation().await?;
    sqlx::query(
        "INSERT INTO execution_environments (id, workspace_id, name, created_at, version, body)
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(env.id.clone().unwrap_or_default())
    .bind(ws.to_string())
    .bind(env.name.clone())
    .bind(env.created_at.map(to_ms).unwrap_or_default())
    .bind(version(env))
    .bind(to_json(env)?)
    .execute(m.conn())
    .await
    .store()
    .map_err(name_taken(ENVIRONMENT_NAME_TAKEN))?;
    m.commit(store, event).await?;
    Ok(())
}

pub(super) async fn get(
    store: &SqlStore,
    ws: WorkspaceId,
    id: &str,
) -> Result<ExecutionEnvironment, StoreError> {
    let body: String = sqlx::query_scalar(
        "SELECT body FROM execution_environments WHERE id = $1 AND workspace_id = $2",
    )
    .bind(id.to_owned())
    .bind(ws.to_string())
    .fetch_one(store.pool())
    .await
    .store()?;
    from_json(&body)
}

pub(super) async fn get_by_name(
    store: &SqlStore,
    ws: WorkspaceId,
    name: &str,
) -> Result<ExecutionEnvironment, StoreError> {
    let body: String = sqlx::query_scalar(
        "SELECT body FROM execution_environments WHERE name = $1 AND workspace_id = $2",
    )
    .bind(name.to_owned())
    .bind(ws.to_string())
    .fetch_one(store.pool())
    .await
    .store()?;
    from_json(&body)
}

pub(super) async fn list(
    store: &SqlStore,
    ws: WorkspaceId,
) -> Result<Vec<ExecutionEnvironment>, StoreError> {
    let bodies: Vec<String> = sqlx::query_scalar(
        "SELECT body FROM execution_environments WHERE workspace_id = $1 ORDER BY name",
    )
    .bind(ws.to_string())
    .fetch_all(store.pool())
    .await
    .store()?;
    bodies.iter().map(|b| from_json(b)).collect()
}

pub(super) async fn update(
    store: &SqlStore,
    ws: WorkspaceId,
    env: &ExecutionEnvironment,
    expected: i64,
    event: &EventDraft,
) -> Result<(), StoreError> {
    let id = env.id.clone().unwrap_or_default();
    let mut m = store.mutation().await?;
    let done = sqlx::query(
        "UPDATE execution_environments SET version = $1, body = $2
         WHERE id = $3 AND workspace_id = $4 AND version = $5",
    )
    .bind(version(env))
    .bind(to_json(env)?)
    .bind(id.clone())
    .bind(ws.to_string())
    .bind(expected)
    .execute(m.conn())
    .await
    .store()?;
    if done.rows_affected() == 0 {
        let found: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM execution_environments WHERE id = $1 AND workspace_id = $2",
        )
        .bind(id)
        .bind(ws.to_string())
        .fetch_one(m.conn())
        .await
        .store()?;
        return Err(if found == 0 {
            StoreError::NotFound
        } else {
            StoreError::Stale
        });
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
    let name: String = sqlx::query_scalar(
        "SELECT name FROM execution_environments WHERE id = $1 AND workspace_id = $2",
    )
    .bind(id.to_owned())
    .bind(ws.to_string())
    .fetch_one(m.conn())
    .await
    .store()?;
    let users: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM execution_scripts WHERE workspace_id = $1 AND environment = $2",
    )
    .bind(ws.to_string())
    .bind(name)
    .fetch_one(m.conn())
    .await
    .store()?;
    if users > 0 {
        return Err(StoreError::Conflict {
            constraint: ENVIRONMENT_IN_USE.to_owned(),
        });
    }
    sqlx::query("DELETE FROM execution_environments WHERE id = $1 AND workspace_id = $2")
        .bind(id.to_owned())
        .bind(ws.to_string())
        .execute(m.conn())
        .await
        .store()?;
    m.commit(store, event).await?;
    Ok(())
}

pub(super) async fn scripts_using(
    store: &SqlStore,
    ws: WorkspaceId,
    name: &str,
) -> Result<Vec<String>, StoreError> {
    sqlx::query_scalar(
        "SELECT name FROM execution_scripts WHERE workspace_id = $1 AND environment = $2
         ORDER BY name",
    )
    .bind(ws.to_string())
    .bind(name.to_owned())
    .fetch_all(store.pool())
    .await
    .store()
}
