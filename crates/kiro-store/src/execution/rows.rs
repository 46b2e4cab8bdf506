//! The `execution_jobs` row and its conversion to the wire [`Job`], and the log streams'
//! stored names.

use kiro_core::StoreError;
use kiro_types::execution::{Job, JobStatus, LogStream, RunResponse};

use crate::convert::{from_ms, from_opt_ms, parse_id};
use crate::error::bad_value;

/// The columns of a job, in [`JobRow`]'s order.
macro_rules! job_columns {
    () => {
        "id, workspace_id, status, environment, request, result, error, attempts, \
         submitted_by, created_at, started_at, finished_at, version"
    };
}
pub(super) use job_columns;

/// An `execution_jobs` row as read.
#[derive(sqlx::FromRow)]
pub(super) struct JobRow {
    id: String,
    workspace_id: String,
    status: String,
    environment: String,
    request: String,
    result: Option<String>,
    error: Option<String>,
    attempts: i64,
    submitted_by: String,
    created_at: i64,
    started_at: Option<i64>,
    finished_at: Option<i64>,
    version: i64,
}

fn json<T: serde::de::DeserializeOwned>(text: &str) -> Result<T, StoreError> {
    serde_json::from_str(text).map_err(|e| StoreError::Backend(Box::new(e)))
}

impl TryFrom<JobRow> for Job {
    type Error = StoreError;

    fn try_from(row: JobRow) -> Result<Job, StoreError> {
        let result: Option<RunResponse> = row.result.as_deref().map(json).transpose()?;
        Ok(Job {
            status: JobStatus::parse(&row.status)
                .ok_or_else(|| bad_value(format!("job status `{}`", row.status)))?,
            verdict: result.as_ref().map(|r| r.verdict().clone()),
            id: row.id,
            workspace_id: parse_id(&row.workspace_id)?,
            environment: row.environment,
            request: json(&row.request)?,
            result,
            error: row.error,
            attempts: u32::try_from(row.attempts).unwrap_or(0),
            submitted_by: row.submitted_by,
            created_at: from_ms(row.created_at)?,
            started_at: from_opt_ms(row.started_at)?,
            finished_at: from_opt_ms(row.finished_at)?,
            version: row.version,
        })
    }
}

/// Rows to jobs.
pub(super) fn jobs(rows: Vec<JobRow>) -> Result<Vec<Job>, StoreError> {
    rows.into_iter().map(Job::try_from).collect()
}

/// A value as stored JSON text.
pub(super) fn to_json<T: serde::Serialize>(value: &T) -> Result<String, StoreError> {
    serde_json::to_string(value).map_err(|e| StoreError::Backend(Box::new(e)))
}

pub(super) fn stream_name(stream: LogStream) -> &'static str {
    match stream {
        LogStream::Stdout => "stdout",
        LogStream::Stderr => "stderr",
        LogStream::System => "system",
    }
}

pub(super) fn parse_stream(name: &str) -> Result<LogStream, StoreError> {
    match name {
        "stdout" => Ok(LogStream::Stdout),
        "stderr" => Ok(LogStream::Stderr),
        "system" => Ok(LogStream::System),
        other => Err(bad_value(format!("log stream `{other}`"))),
    }
}
