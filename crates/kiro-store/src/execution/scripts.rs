//! Scripts: the `execution_scripts` table of migration 0007 — insert, read, a keyset page
//! oldest first, guarded update and delete. The environment a script names is a column so
//! an environment's delete can tell whether scripts still use it.

use kiro_core::events::EventDraft;
use kiro_core::execution::catalog::SCRIPT_NAME_TAKEN;
use kiro_core::{PageRequest, Paged, SortKey, StoreError};
use kiro_types::WorkspaceId;
use kiro_types::execution::Script;

use super::environments::name_taken;
use super::rows::to_json;
use crate::convert::to_ms;
use crate::error::SqlxResultExt;
use crate::page::{Order, start_after};
use crate::sql_store::SqlStore;

fn from_json(body: &str) -> Result<Script, StoreError> {
    serde_json::from_str(body).map_err(|e| StoreError::Backend(Box::new(e)))
}

pub(super) async fn insert(
    store: &SqlStore,
    ws: WorkspaceId,
    s: &Script,
    event: &EventDraft,
) -> Result<(), StoreError> {
    let mut m = store.mutation().await?;
    sqlx::query(
        "INSERT INTO execution_scripts
           (id, workspace_id, name, environment, created_at, version, body)
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(s.id.clone())
    .bind(ws.to_string())
    .bind(s.name.clone())
    .bind(s.environment.clone())
    .bind(to_ms(s.created_at))
    .bind(s.version)
    .bind(to_json(s)?)
    .execute(m.conn())
    .await
    .store()
    .map_err(name_taken(SCRIPT_NAME_TAKEN))?;
    m.commit(store, event).await?;
    Ok(())
}

pub(super) async fn get(store: &SqlStore, ws: WorkspaceId, id: &str) -> Result<Script, StoreError> {
    let body: String = sqlx::query_scalar(
        "SELECT body FROM execution_scripts WHERE id = $1 AND workspace_id = $2",
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
    page: &PageRequest,
) -> Result<Paged<Script>, StoreError> {
    let (at, id) = start_after(page, Order::Ascending);
    let bodies: Vec<String> = sqlx::query_scalar(
        "SELECT body FROM execution_scripts
         WHERE workspace_id = $1 AND (created_at, id) > ($2, $3)
         ORDER BY created_at, id LIMIT $4",
    )
    .bind(ws.to_string())
    .bind(at)
    .bind(id)
    .bind(page.fetch_limit())
    .fetch_all(store.pool())
    .await
    .store()?;
    let items = bodies
        .iter()
        .map(|b| from_json(b))
        .collect::<Result<Vec<Script>, _>>()?;
    Ok(Paged::from_rows(items, page, |s| SortKey {
        at_ms: to_ms(s.created_at),
        id: s.id.clone(),
    }))
}

pub(super) async fn update(
    store: &SqlStore,
    ws: WorkspaceId,
    s: &Script,
    expected: i64,
    event: &EventDraft,
) -> Result<(), StoreError> {
    let mut m = store.mutation().await?;
    let done = sqlx::query(
        "UPDATE execution_scripts SET name = $1, environment = $2, version = $3, body = $4
         WHERE id = $5 AND workspace_id = $6 AND version = $7",
    )
    .bind(s.name.clone())
    .bind(s.environment.clone())
    .bind(s.version)
    .bind(to_json(s)?)
    .bind(s.id.clone())
    .bind(ws.to_string())
    .bind(expected)
    .execute(m.conn())
    .await
    .store()
    .map_err(name_taken(SCRIPT_NAME_TAKEN))?;
    if done.rows_affected() == 0 {
        let found: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM execution_scripts WHERE id = $1 AND workspace_id = $2",
        )
        .bind(s.id.clone())
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
    let done = sqlx::query("DELETE FROM execution_scripts WHERE id = $1 AND workspace_id = $2")
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
