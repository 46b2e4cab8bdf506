//! Jobs: a [`RunRequest`] submitted to the queue (`POST /v1/execution/jobs`) and run by the
//! service's workers — the design's `Job` with its [`JobStatus`], the submitted request, the
//! result when it is done, its log ([`JobLogLine`]s of stdout and stderr, numbered in order)
//! and what it used. While it runs, `execution.job.output` events carry the output.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::WorkspaceId;

use super::{LogStream, ResourceUsage, RunRequest, RunResponse, Verdict};

/// Where a job stands. `completed`, `failed` and `cancelled` are final.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum JobStatus {
    Queued,
    Running,
    /// The submission ran to a verdict (accepted or not: see `result.verdict`).
    Completed,
    /// It could not run to a verdict (the engine failed, or its server stopped mid-run).
    Failed,
    Cancelled,
}

impl JobStatus {
    pub const ALL: [JobStatus; 5] = [
        JobStatus::Queued,
        JobStatus::Running,
        JobStatus::Completed,
        JobStatus::Failed,
        JobStatus::Cancelled,
    ];

    /// The lower-case name, as stored and sent.
    pub fn as_str(self) -> &'static str {
        match self {
            JobStatus::Queued => "queued",
            JobStatus::Running => "running",
            JobStatus::Completed => "completed",
            JobStatus::Failed => "failed",
            JobStatus::Cancelled => "cancelled",
        }
    }

    /// The status called `name`.
    pub fn parse(name: &str) -> Option<JobStatus> {
        JobStatus::ALL.into_iter().find(|s| s.as_str() == name)
    }

    /// Whether the job will not change any more.
    pub fn is_final(self) -> bool {
        matches!(
            self,
            JobStatus::Completed | JobStatus::Failed | JobStatus::Cancelled
        )
    }
}

/// A queued run (the design's `Job`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct Job {
    pub id: String,
    pub workspace_id: WorkspaceId,
    pub status: JobStatus,
    pub environment: String,
    /// What was submitted.
    pub request: RunRequest,
    /// The run's result once it completed.
    pub result: Option<RunResponse>,
    /// The verdict of the result, for quick reading.
    pub verdict: Option<Verdict>,
    /// Why it failed or was cancelled.
    pub error: Option<String>,
    /// How many times a worker took it (more than 1 after a requeue).
    pub attempts: u32,
    /// Who submitted it.
    pub submitted_by: String,
    pub created_at: DateTime<Utc>,
    pub started_at: Option<DateTime<Utc>>,
    pub finished_at: Option<DateTime<Utc>>,
    pub version: i64,
}

/// One chunk of a job's output, numbered from 1 in the order it was written.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct JobLogLine {
    pub seq: u64,
    pub at: DateTime<Utc>,
    pub stream: LogStream,
    pub message: String,
}

/// `GET /v1/execution/jobs/{id}/logs`: the lines after `after`, in order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct JobLogs {
    pub items: Vec<JobLogLine>,
    /// Pass as `after` for the next lines; absent when the job is final and none follow.
    pub next_after: Option<u64>,
    /// Output beyond the stored cap was dropped (the events carried it nonetheless).
    pub truncated: bool,
}

/// `GET /v1/execution/jobs/{id}/usage`: what a finished job used (the design's
/// `getResourceUsage`), summed over its runs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct JobUsage {
    pub job_id: String,
    pub status: JobStatus,
    /// Absent until the job completed.
    pub usage: Option<ResourceUsage>,
}

/// The data of an `execution.job.output` event: one chunk of a running job's output.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct JobOutput {
    pub stream: LogStream,
    pub text: String,
    pub seq: u64,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_round_trip_by_name() {
        for status in JobStatus::ALL {
            assert_eq!(JobStatus::parse(status.as_str()), Some(status));
            let json = serde_json::to_value(status).unwrap_or_default();
            assert_eq!(json, serde_json::json!(status.as_str()));
        }
        assert!(JobStatus::Cancelled.is_final() && !JobStatus::Running.is_final());
        assert_eq!(JobStatus::parse("done"), None);
    }
}
