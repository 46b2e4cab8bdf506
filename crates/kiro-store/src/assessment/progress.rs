//! Revisions and their review log.

use kiro_core::StoreError;
use kiro_core::assessment::{ReviewRecord, RevisionRecord};
use kiro_core::events::EventDraft;
use kiro_types::WorkspaceId;
use kiro_types::assessment::Recall;

use super::{from_json, to_json};
use crate::convert::{from_ms, parse_id, to_ms};
use crate::error::SqlxResultExt;
use crate::events::Mutation;
use crate::sql_store::SqlStore;

#[derive(sqlx::FromRow)]
struct RevisionRow {
    workspace_id: String,
    student_id: String,
    body: String,
}

fn revision(row: RevisionRow) -> Result<RevisionRecord, StoreError> {
    Ok(RevisionRecord {
        workspace_id: parse_id(&row.workspace_id)?,
        student_id: row.student_id,
        revision: from_json(&row.body)?,
    })
}

/// Inserts a revision unless the learner already has one for its document and topic.
pub(super) async fn insert_revision_if_new(
    m: &mut Mutation,
    record: &RevisionRecord,
) -> Result<(), StoreError> {
    let r = &record.revision;
    sqlx::query(
        "INSERT INTO assessment_revisions
             (id, workspace_id, student_id, document_id, topic, due_at, version, body)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
         ON CONFLICT (workspace_id, student_id, document_id, topic) DO NOTHING",
    )
    .bind(r.id.as_str())
    .bind(record.workspace_id.to_string())
    .bind(record.student_id.as_str())
    .bind(r.pdf_id.as_str())
    .bind(r.topic.as_str())
    .bind(to_ms(r.due_at))
    .bind(r.version)
    .bind(to_json(r)?)
    .execute(m.conn())
    .await
    .store()?;
    Ok(())
}

pub(super) async fn list_revisions(
    store: &SqlStore,
    workspace: WorkspaceId,
    student: &str,
) -> Result<Vec<RevisionRecord>, StoreError> {
    let rows = sqlx::query_as::<_, RevisionRow>(
        "SELECT workspace_id, student_id, body FROM assessment_revisions
         WHERE workspace_id = $1 AND student_id = $2 ORDER BY due_at, id",
    )
    .bind(workspace.to_string())
    .bind(student)
    .fetch_all(store.pool())
    .await
    .store()?;
    rows.into_iter().map(revision).collect()
}

pub(super) async fn get_revision(
    store: &SqlStore,
    workspace: WorkspaceId,
    id: &str,
) -> Result<RevisionRecord, StoreError> {
    let row = sqlx::query_as::<_, RevisionRow>(
        "SELECT workspace_id, student_id, body FROM assessment_revisions
         WHERE id = $1 AND workspace_id = $2",
    )
    .bind(id)
    .bind(workspace.to_string())
    .fetch_one(store.pool())
    .await
    .store()?;
    revision(row)
}

pub(super) async fn review_revision(
    store: &SqlStore,
    record: &RevisionRecord,
    expected_version: i64,
    review: &ReviewRecord,
    event: &EventDraft,
) -> Result<(), StoreError> {
    let r = &record.revision;
    let mut m = store.mutation().await?;
    let updated = sqlx::query(
        "UPDATE assessment_revisions SET due_at = $1, version = $2, body = $3
         WHERE id = $4 AND workspace_id = $5 AND version = $6",
    )
    .bind(to_ms(r.due_at))
    .bind(r.version)
    .bind(to_json(r)?)
    .bind(r.id.as_str())
    .bind(record.workspace_id.to_string())
    .bind(expected_version)
    .execute(m.conn())
    .await
    .store()?;
    if updated.rows_affected() == 0 {
        drop(m);
        get_revision(store, record.workspace_id, &r.id).await?;
        return Err(StoreError::Stale);
    }
    sqlx::query(
        "INSERT INTO assessment_reviews
             (id, workspace_id, revision_id, student_id, recall, retrievability, at)
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(uuid::Uuid::now_v7().to_string())
    .bind(record.workspace_id.to_string())
    .bind(review.revision_id.as_str())
    .bind(record.student_id.as_str())
    .bind(to_json(&review.recall)?)
    .bind(review.retrievability)
    .bind(to_ms(review.at))
    .execute(m.conn())
    .await
    .store()?;
    m.commit(store, event).await?;
    Ok(())
}

#[derive(sqlx::FromRow)]
struct ReviewRow {
    revision_id: String,
    recall: String,
    retrievability: f64,
    at: i64,
}

pub(super) async fn list_reviews(
    store: &SqlStore,
    workspace: WorkspaceId,
    student: &str,
) -> Result<Vec<ReviewRecord>, StoreError> {
    let rows = sqlx::query_as::<_, ReviewRow>(
        "SELECT revision_id, recall, retrievability, at FROM assessment_reviews
         WHERE workspace_id = $1 AND student_id = $2 ORDER BY at, id",
    )
    .bind(workspace.to_string())
    .bind(student)
    .fetch_all(store.pool())
    .await
    .store()?;
    rows.into_iter()
        .map(|row| {
            Ok(ReviewRecord {
                revision_id: row.revision_id,
                recall: from_json::<Recall>(&row.recall)?,
                retrievability: row.retrievability,
                at: from_ms(row.at)?,
            })
        })
        .collect()
}
