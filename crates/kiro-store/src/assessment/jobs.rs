//! Document processing jobs: claiming the next job whose lease has run out (with
//! `FOR UPDATE SKIP LOCKED` on PostgreSQL, so replicas never claim the same job), writing
//! progress, and finishing a document either way — which drops its job and file.

use chrono::{DateTime, Utc};
use kiro_core::StoreError;
use kiro_core::assessment::{DocumentJob, DocumentRecord, QuestionSetRecord};
use kiro_core::events::EventDraft;
use kiro_types::assessment::{ExtractedText, TopicAnalysis};

use super::to_json;
use crate::convert::to_ms;
use crate::error::SqlxResultExt;
use crate::events::Mutation;
use crate::sql_store::{Backend, SqlStore};

const CLAIM_SQLITE: &str = "UPDATE assessment_jobs SET lease_until = $1, attempts = attempts + 1
     WHERE document_id = (SELECT document_id FROM assessment_jobs WHERE lease_until <= $2
                          ORDER BY created_at LIMIT 1)
     RETURNING document_id, attempts";
const CLAIM_POSTGRES: &str = "UPDATE assessment_jobs SET lease_until = $1, attempts = attempts + 1
     WHERE document_id = (SELECT document_id FROM assessment_jobs WHERE lease_until <= $2
                          ORDER BY created_at LIMIT 1 FOR UPDATE SKIP LOCKED)
     RETURNING document_id, attempts";

pub(super) async fn claim_document_job(
    store: &SqlStore,
    now: DateTime<Utc>,
    lease_until: DateTime<Utc>,
) -> Result<Option<DocumentJob>, StoreError> {
    let claim = match store.backend() {
        Backend::Sqlite => CLAIM_SQLITE,
        Backend::Postgres => CLAIM_POSTGRES,
    };
    let claimed: Option<(String, i64)> = sqlx::query_as(claim)
        .bind(to_ms(lease_until))
        .bind(to_ms(now))
        .fetch_optional(store.pool())
        .await
        .store()?;
    let Some((id, attempts)) = claimed else {
        return Ok(None);
    };
    let document = store.document_by_id(&id).await?;
    let (file, password): (Vec<u8>, Option<String>) =
        sqlx::query_as("SELECT bytes, password FROM assessment_files WHERE document_id = $1")
            .bind(id.as_str())
            .fetch_one(store.pool())
            .await
            .store()?;
    Ok(Some(DocumentJob {
        document,
        file,
        password,
        attempts: u32::try_from(attempts).unwrap_or(u32::MAX),
    }))
}

/// Writes a document's row from its DTO inside a mutation.
async fn write_document(m: &mut Mutation, document: &DocumentRecord) -> Result<(), StoreError> {
    let doc = &document.document;
    let updated = sqlx::query(
        "UPDATE assessment_documents SET status = $1, version = $2, body = $3 WHERE id = $4",
    )
    .bind(doc.status.as_str())
    .bind(doc.version)
    .bind(to_json(doc)?)
    .bind(doc.id.as_str())
    .execute(m.conn())
    .await
    .store()?;
    if updated.rows_affected() == 0 {
        return Err(StoreError::NotFound);
    }
    Ok(())
}

/// Drops a finished document's job and file inside a mutation.
async fn finish_job(m: &mut Mutation, id: &str) -> Result<(), StoreError> {
    for sql in [
        "DELETE FROM assessment_jobs WHERE document_id = $1",
        "DELETE FROM assessment_files WHERE document_id = $1",
    ] {
        sqlx::query(sql).bind(id).execute(m.conn()).await.store()?;
    }
    Ok(())
}

pub(super) async fn update_document(
    store: &SqlStore,
    document: &DocumentRecord,
    event: &EventDraft,
) -> Result<(), StoreError> {
    let mut m = store.mutation().await?;
    write_document(&mut m, document).await?;
    m.commit(store, event).await?;
    Ok(())
}

pub(super) async fn complete_document(
    store: &SqlStore,
    document: &DocumentRecord,
    text: &ExtractedText,
    analysis: &TopicAnalysis,
    questions: &QuestionSetRecord,
    event: &EventDraft,
) -> Result<(), StoreError> {
    let id = document.document.id.as_str();
    let mut m = store.mutation().await?;
    write_document(&mut m, document).await?;
    sqlx::query("INSERT INTO assessment_texts (document_id, body) VALUES ($1, $2)")
        .bind(id)
        .bind(to_json(text)?)
        .execute(m.conn())
        .await
        .store()?;
    sqlx::query("INSERT INTO assessment_analyses (document_id, body) VALUES ($1, $2)")
        .bind(id)
        .bind(to_json(analysis)?)
        .execute(m.conn())
        .await
        .store()?;
    super::quizzes::write_question_set(&mut m, questions).await?;
    finish_job(&mut m, id).await?;
    m.commit(store, event).await?;
    Ok(())
}

pub(super) async fn fail_document(
    store: &SqlStore,
    document: &DocumentRecord,
    event: &EventDraft,
) -> Result<(), StoreError> {
    let mut m = store.mutation().await?;
    write_document(&mut m, document).await?;
    finish_job(&mut m, &document.document.id).await?;
    m.commit(store, event).await?;
    Ok(())
}
