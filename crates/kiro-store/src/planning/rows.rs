//! Shared helpers of the planning store: JSON bodies, dates as text, guarded updates, and
//! filling tasks' dependency lists.

use chrono::NaiveDate;
use kiro_core::StoreError;
use kiro_types::WorkspaceId;
use kiro_types::planning::Task;
use serde::Serialize;
use serde::de::DeserializeOwned;
use sqlx::AnyConnection;
use sqlx::AssertSqlSafe;

use crate::error::SqlxResultExt;

pub(super) fn to_json<T: Serialize>(value: &T) -> Result<String, StoreError> {
    serde_json::to_string(value).map_err(|e| StoreError::Backend(Box::new(e)))
}

pub(super) fn from_json<T: DeserializeOwned>(body: &str) -> Result<T, StoreError> {
    serde_json::from_str(body).map_err(|e| StoreError::Backend(Box::new(e)))
}

pub(super) fn date(d: Option<NaiveDate>) -> Option<String> {
    d.map(|d| d.to_string())
}

/// After a guarded write changed no row: `Stale` when the row exists, else `NotFound`.
/// `table` is one of this module's constant table names, never input.
pub(super) async fn stale_or_missing(
    conn: &mut AnyConnection,
    table: &'static str,
    ws: WorkspaceId,
    id: &str,
) -> StoreError {
    let sql = format!("SELECT COUNT(*) FROM {table} WHERE id = $1 AND workspace_id = $2");
    let found: Result<i64, _> = sqlx::query_scalar(AssertSqlSafe(sql))
        .bind(id.to_owned())
        .bind(ws.to_string())
        .fetch_one(conn)
        .await
        .store();
    match found {
        Ok(0) => StoreError::NotFound,
        Ok(_) => StoreError::Stale,
        Err(e) => e,
    }
}

/// Fills each task's `dependencies` (predecessor ids, oldest first) with one query.
pub(super) async fn fill_dependencies(
    conn: &mut AnyConnection,
    ws: WorkspaceId,
    tasks: &mut [Task],
) -> Result<(), StoreError> {
    if tasks.is_empty() {
        return Ok(());
    }
    let placeholders: Vec<String> = (0..tasks.len()).map(|i| format!("${}", i + 2)).collect();
    let sql = format!(
        "SELECT successor_id, predecessor_id FROM planning_task_dependencies
         WHERE workspace_id = $1 AND successor_id IN ({})
         ORDER BY created_at, id",
        placeholders.join(", ")
    );
    let mut query = sqlx::query_as::<_, (String, String)>(AssertSqlSafe(sql)).bind(ws.to_string());
    for t in tasks.iter() {
        query = query.bind(t.id.clone());
    }
    let pairs = query.fetch_all(conn).await.store()?;
    for t in tasks.iter_mut() {
        t.dependencies = pairs
            .iter()
            .filter(|(s, _)| *s == t.id)
            .map(|(_, p)| p.clone())
            .collect();
    }
    Ok(())
}
