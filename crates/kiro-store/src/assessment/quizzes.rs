//! Question sets, assessments and results.

use chrono::{DateTime, Utc};
use kiro_core::assessment::{AssessmentRecord, QuestionSetRecord, ResultRecord, RevisionRecord};
use kiro_core::events::EventDraft;
use kiro_core::{PageRequest, Paged, StoreError};
use kiro_types::WorkspaceId;

use super::{from_json, to_json};
use crate::convert::{parse_id, to_ms};
use crate::error::SqlxResultExt;
use crate::events::Mutation;
use crate::page::{Order, start_after};
use crate::sql_store::SqlStore;

/// A row of a table holding one workspace's JSON bodies.
#[derive(sqlx::FromRow)]
struct BodyRow {
    workspace_id: String,
    body: String,
}

#[derive(sqlx::FromRow)]
struct CreatedRow {
    workspace_id: String,
    created_by: String,
    body: String,
}

#[derive(sqlx::FromRow)]
struct ResultRow {
    workspace_id: String,
    document_id: String,
    body: String,
}

fn question_set(row: BodyRow) -> Result<QuestionSetRecord, StoreError> {
    Ok(QuestionSetRecord {
        workspace_id: parse_id(&row.workspace_id)?,
        set: from_json(&row.body)?,
    })
}

fn assessment(row: CreatedRow) -> Result<AssessmentRecord, StoreError> {
    Ok(AssessmentRecord {
        workspace_id: parse_id(&row.workspace_id)?,
        created_by: row.created_by,
        assessment: from_json(&row.body)?,
    })
}

fn result(row: ResultRow) -> Result<ResultRecord, StoreError> {
    Ok(ResultRecord {
        workspace_id: parse_id(&row.workspace_id)?,
        pdf_id: row.document_id,
        result: from_json(&row.body)?,
    })
}

/// Inserts a question set inside a mutation.
pub(super) async fn write_question_set(
    m: &mut Mutation,
    set: &QuestionSetRecord,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO assessment_question_sets (id, workspace_id, document_id, created_at, body)
         VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(set.set.id.as_str())
    .bind(set.workspace_id.to_string())
    .bind(set.set.pdf_id.as_str())
    .bind(to_ms(set.set.generated_at))
    .bind(to_json(&set.set)?)
    .execute(m.conn())
    .await
    .store()?;
    Ok(())
}

pub(super) async fn insert_question_set(
    store: &SqlStore,
    set: &QuestionSetRecord,
    event: &EventDraft,
) -> Result<(), StoreError> {
    let mut m = store.mutation().await?;
    write_question_set(&mut m, set).await?;
    m.commit(store, event).await?;
    Ok(())
}

pub(super) async fn get_question_set(
    store: &SqlStore,
    workspace: WorkspaceId,
    id: &str,
) -> Result<QuestionSetRecord, StoreError> {
    let row = sqlx::query_as::<_, BodyRow>(
        "SELECT workspace_id, body FROM assessment_question_sets
         WHERE id = $1 AND workspace_id = $2",
    )
    .bind(id)
    .bind(workspace.to_string())
    .fetch_one(store.pool())
    .await
    .store()?;
    question_set(row)
}

pub(super) async fn latest_question_set(
    store: &SqlStore,
    workspace: WorkspaceId,
    pdf_id: &str,
) -> Result<QuestionSetRecord, StoreError> {
    let row = sqlx::query_as::<_, BodyRow>(
        "SELECT workspace_id, body FROM assessment_question_sets
         WHERE document_id = $1 AND workspace_id = $2
         ORDER BY created_at DESC, id DESC LIMIT 1",
    )
    .bind(pdf_id)
    .bind(workspace.to_string())
    .fetch_one(store.pool())
    .await
    .store()?;
    question_set(row)
}

pub(super) async fn insert_assessment(
    store: &SqlStore,
    record: &AssessmentRecord,
    event: &EventDraft,
) -> Result<(), StoreError> {
    let a = &record.assessment;
    let mut m = store.mutation().await?;
    sqlx::query(
        "INSERT INTO assessment_assessments
             (id, workspace_id, document_id, created_by, status, created_at, version, body)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(a.id.as_str())
    .bind(record.workspace_id.to_string())
    .bind(a.pdf_id.as_str())
    .bind(record.created_by.as_str())
    .bind(a.status.as_str())
    .bind(to_ms(a.created_at))
    .bind(a.version)
    .bind(to_json(a)?)
    .execute(m.conn())
    .await
    .store()?;
    m.commit(store, event).await?;
    Ok(())
}

pub(super) async fn get_assessment(
    store: &SqlStore,
    workspace: WorkspaceId,
    id: &str,
) -> Result<AssessmentRecord, StoreError> {
    let row = sqlx::query_as::<_, CreatedRow>(
        "SELECT workspace_id, created_by, body FROM assessment_assessments
         WHERE id = $1 AND workspace_id = $2",
    )
    .bind(id)
    .bind(workspace.to_string())
    .fetch_one(store.pool())
    .await
    .store()?;
    assessment(row)
}

pub(super) async fn list_assessments(
    store: &SqlStore,
    workspace: WorkspaceId,
    pdf_id: Option<&str>,
    page: &PageRequest,
) -> Result<Paged<AssessmentRecord>, StoreError> {
    let (at, id) = start_after(page, Order::Descending);
    let rows = sqlx::query_as::<_, CreatedRow>(
        "SELECT workspace_id, created_by, body FROM assessment_assessments
         WHERE workspace_id = $1 AND (created_at, id) < ($2, $3)
           AND ($5 = '' OR document_id = $5)
         ORDER BY created_at DESC, id DESC LIMIT $4",
    )
    .bind(workspace.to_string())
    .bind(at)
    .bind(id)
    .bind(page.fetch_limit())
    .bind(pdf_id.unwrap_or_default().to_owned())
    .fetch_all(store.pool())
    .await
    .store()?;
    let records = rows
        .into_iter()
        .map(assessment)
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Paged::from_rows(records, page, AssessmentRecord::sort_key))
}

pub(super) async fn update_assessment(
    store: &SqlStore,
    record: &AssessmentRecord,
    expected_version: i64,
    event: &EventDraft,
) -> Result<(), StoreError> {
    let a = &record.assessment;
    let mut m = store.mutation().await?;
    let updated = sqlx::query(
        "UPDATE assessment_assessments SET status = $1, version = $2, body = $3
         WHERE id = $4 AND workspace_id = $5 AND version = $6",
    )
    .bind(a.status.as_str())
    .bind(a.version)
    .bind(to_json(a)?)
    .bind(a.id.as_str())
    .bind(record.workspace_id.to_string())
    .bind(expected_version)
    .execute(m.conn())
    .await
    .store()?;
    if updated.rows_affected() == 0 {
        drop(m);
        get_assessment(store, record.workspace_id, &a.id).await?;
        return Err(StoreError::Stale);
    }
    m.commit(store, event).await?;
    Ok(())
}

pub(super) async fn insert_result(
    store: &SqlStore,
    record: &ResultRecord,
    revisions: &[RevisionRecord],
    event: &EventDraft,
) -> Result<(), StoreError> {
    let r = &record.result;
    let mut m = store.mutation().await?;
    sqlx::query(
        "INSERT INTO assessment_results
             (id, workspace_id, assessment_id, document_id, student_id, completed_at, body)
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(r.id.as_str())
    .bind(record.workspace_id.to_string())
    .bind(r.assessment_id.as_str())
    .bind(record.pdf_id.as_str())
    .bind(r.student_id.as_str())
    .bind(to_ms(r.completed_at))
    .bind(to_json(r)?)
    .execute(m.conn())
    .await
    .store()?;
    for revision in revisions {
        super::progress::insert_revision_if_new(&mut m, revision).await?;
    }
    m.commit(store, event).await?;
    Ok(())
}

pub(super) async fn list_results(
    store: &SqlStore,
    workspace: WorkspaceId,
    student: Option<&str>,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> Result<Vec<ResultRecord>, StoreError> {
    let rows = sqlx::query_as::<_, ResultRow>(
        "SELECT workspace_id, document_id, body FROM assessment_results
         WHERE workspace_id = $1 AND ($2 = '' OR student_id = $2)
           AND completed_at >= $3 AND completed_at <= $4
         ORDER BY completed_at, id",
    )
    .bind(workspace.to_string())
    .bind(student.unwrap_or_default().to_owned())
    .bind(to_ms(from))
    .bind(to_ms(to))
    .fetch_all(store.pool())
    .await
    .store()?;
    rows.into_iter().map(result).collect()
}

pub(super) async fn list_assessment_results(
    store: &SqlStore,
    workspace: WorkspaceId,
    assessment_id: &str,
) -> Result<Vec<ResultRecord>, StoreError> {
    let rows = sqlx::query_as::<_, ResultRow>(
        "SELECT workspace_id, document_id, body FROM assessment_results
         WHERE workspace_id = $1 AND assessment_id = $2 ORDER BY completed_at, id",
    )
    .bind(workspace.to_string())
    .bind(assessment_id)
    .fetch_all(store.pool())
    .await
    .store()?;
    rows.into_iter().map(result).collect()
}
