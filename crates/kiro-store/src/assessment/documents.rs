//! Documents: upload (with the file and its job), lookup by id and content hash, listing,
//! deletion, and reading the stored text and analysis.

use kiro_core::assessment::DocumentRecord;
use kiro_core::events::EventDraft;
use kiro_core::{PageRequest, Paged, StoreError};
use kiro_types::WorkspaceId;
use kiro_types::assessment::{ExtractedText, TopicAnalysis};

use super::{from_json, to_json};
use crate::convert::{parse_id, to_ms};
use crate::error::SqlxResultExt;
use crate::page::{Order, start_after};
use crate::sql_store::SqlStore;

/// An `assessment_documents` row.
#[derive(sqlx::FromRow)]
pub(super) struct DocumentRow {
    pub workspace_id: String,
    pub owner: String,
    pub body: String,
}

impl TryFrom<DocumentRow> for DocumentRecord {
    type Error = StoreError;

    fn try_from(row: DocumentRow) -> Result<Self, StoreError> {
        Ok(DocumentRecord {
            workspace_id: parse_id(&row.workspace_id)?,
            owner: row.owner,
            document: from_json(&row.body)?,
        })
    }
}

impl SqlStore {
    /// Reads one document row by id, in any workspace.
    pub(super) async fn document_by_id(&self, id: &str) -> Result<DocumentRecord, StoreError> {
        sqlx::query_as::<_, DocumentRow>(
            "SELECT workspace_id, owner, body FROM assessment_documents WHERE id = $1",
        )
        .bind(id)
        .fetch_one(self.pool())
        .await
        .store()?
        .try_into()
    }

    /// Reads a `body` from a per-document table, checking the document's workspace.
    async fn document_part(
        &self,
        sql: &'static str,
        workspace: WorkspaceId,
        id: &str,
    ) -> Result<String, StoreError> {
        sqlx::query_scalar::<_, String>(sql)
            .bind(id)
            .bind(workspace.to_string())
            .fetch_one(self.pool())
            .await
            .store()
    }
}

pub(super) async fn insert_document(
    store: &SqlStore,
    document: &DocumentRecord,
    file: &[u8],
    password: Option<&str>,
    event: &EventDraft,
) -> Result<(), StoreError> {
    let doc = &document.document;
    let mut m = store.mutation().await?;
    sqlx::query(
        "INSERT INTO assessment_documents
             (id, workspace_id, owner, content_hash, status, uploaded_at, version, body)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(doc.id.as_str())
    .bind(document.workspace_id.to_string())
    .bind(document.owner.as_str())
    .bind(doc.content_hash.as_str())
    .bind(doc.status.as_str())
    .bind(to_ms(doc.uploaded_at))
    .bind(doc.version)
    .bind(to_json(doc)?)
    .execute(m.conn())
    .await
    .store()?;
    sqlx::query("INSERT INTO assessment_files (document_id, bytes, password) VALUES ($1, $2, $3)")
        .bind(doc.id.as_str())
        .bind(file.to_vec())
        .bind(password.map(str::to_owned))
        .execute(m.conn())
        .await
        .store()?;
    sqlx::query(
        "INSERT INTO assessment_jobs (document_id, created_at, lease_until, attempts)
         VALUES ($1, $2, 0, 0)",
    )
    .bind(doc.id.as_str())
    .bind(to_ms(doc.uploaded_at))
    .execute(m.conn())
    .await
    .store()?;
    m.commit(store, event).await?;
    Ok(())
}

pub(super) async fn find_document_by_hash(
    store: &SqlStore,
    workspace: WorkspaceId,
    content_hash: &str,
) -> Result<Option<DocumentRecord>, StoreError> {
    sqlx::query_as::<_, DocumentRow>(
        "SELECT workspace_id, owner, body FROM assessment_documents
         WHERE workspace_id = $1 AND content_hash = $2",
    )
    .bind(workspace.to_string())
    .bind(content_hash)
    .fetch_optional(store.pool())
    .await
    .store()?
    .map(DocumentRecord::try_from)
    .transpose()
}

pub(super) async fn get_document(
    store: &SqlStore,
    workspace: WorkspaceId,
    id: &str,
) -> Result<DocumentRecord, StoreError> {
    sqlx::query_as::<_, DocumentRow>(
        "SELECT workspace_id, owner, body FROM assessment_documents
         WHERE id = $1 AND workspace_id = $2",
    )
    .bind(id)
    .bind(workspace.to_string())
    .fetch_one(store.pool())
    .await
    .store()?
    .try_into()
}

pub(super) async fn list_documents(
    store: &SqlStore,
    workspace: WorkspaceId,
    page: &PageRequest,
) -> Result<Paged<DocumentRecord>, StoreError> {
    let (at, id) = start_after(page, Order::Descending);
    let rows = sqlx::query_as::<_, DocumentRow>(
        "SELECT workspace_id, owner, body FROM assessment_documents
         WHERE workspace_id = $1 AND (uploaded_at, id) < ($2, $3)
         ORDER BY uploaded_at DESC, id DESC LIMIT $4",
    )
    .bind(workspace.to_string())
    .bind(at)
    .bind(id)
    .bind(page.fetch_limit())
    .fetch_all(store.pool())
    .await
    .store()?;
    let records = rows
        .into_iter()
        .map(DocumentRecord::try_from)
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Paged::from_rows(records, page, DocumentRecord::sort_key))
}

pub(super) async fn delete_document(
    store: &SqlStore,
    workspace: WorkspaceId,
    id: &str,
    event: &EventDraft,
) -> Result<(), StoreError> {
    let mut m = store.mutation().await?;
    // Results reference assessments, not documents: remove them with their assessments.
    sqlx::query(
        "DELETE FROM assessment_results WHERE assessment_id IN
             (SELECT id FROM assessment_assessments WHERE document_id = $1 AND workspace_id = $2)",
    )
    .bind(id)
    .bind(workspace.to_string())
    .execute(m.conn())
    .await
    .store()?;
    let deleted =
        sqlx::query("DELETE FROM assessment_documents WHERE id = $1 AND workspace_id = $2")
            .bind(id)
            .bind(workspace.to_string())
            .execute(m.conn())
            .await
            .store()?;
    if deleted.rows_affected() == 0 {
        return Err(StoreError::NotFound);
    }
    m.commit(store, event).await?;
    Ok(())
}

pub(super) async fn get_text(
    store: &SqlStore,
    workspace: WorkspaceId,
    id: &str,
) -> Result<ExtractedText, StoreError> {
    let body = store
        .document_part(
            "SELECT t.body FROM assessment_texts t
             JOIN assessment_documents d ON d.id = t.document_id
             WHERE t.document_id = $1 AND d.workspace_id = $2",
            workspace,
            id,
        )
        .await?;
    from_json(&body)
}

pub(super) async fn get_analysis(
    store: &SqlStore,
    workspace: WorkspaceId,
    id: &str,
) -> Result<TopicAnalysis, StoreError> {
    let body = store
        .document_part(
            "SELECT a.body FROM assessment_analyses a
             JOIN assessment_documents d ON d.id = a.document_id
             WHERE a.document_id = $1 AND d.workspace_id = $2",
            workspace,
            id,
        )
        .await?;
    from_json(&body)
}
