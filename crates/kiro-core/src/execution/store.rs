//! [`ExecutionStore`]: the port kiro-store implements for execution jobs and their log.
//! Reads are scoped by workspace; every state change commits with its event. Changes whose
//! job is only known inside the transaction (a claim, a cancel) take an [`EventFor`] that
//! builds the event from the job as changed.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use kiro_types::WorkspaceId;
use kiro_types::execution::{Job, JobLogLine, JobStatus, RunResponse};

use crate::events::EventDraft;
use crate::page::{PageRequest, Paged};
use crate::store::StoreError;

/// Builds a change's event from the job as the change left it.
pub type EventFor<'a> = &'a (dyn Fn(&Job) -> EventDraft + Send + Sync);

/// Which jobs to list.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct JobFilter {
    pub status: Option<JobStatus>,
    pub environment: Option<String>,
}

/// How a running job ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JobFinish {
    /// `Completed`, `Failed` or `Cancelled`; `Queued` hands the job back to the queue.
    pub status: JobStatus,
    pub result: Option<RunResponse>,
    pub error: Option<String>,
    pub at: DateTime<Utc>,
    /// Output beyond the stored cap was dropped.
    pub log_truncated: bool,
}

/// Execution job storage.
#[async_trait]
pub trait ExecutionStore: Send + Sync {
    /// Inserts a queued job unless `capacity` jobs are already queued (across every
    /// workspace: the workers are shared); the count and the insert are one atomic step.
    /// `Ok(false)` when the queue is full (nothing written).
    async fn enqueue_job(
        &self,
        job: &Job,
        capacity: u32,
        event: &EventDraft,
    ) -> Result<bool, StoreError>;
    async fn get_job(&self, ws: WorkspaceId, id: &str) -> Result<Job, StoreError>;
    /// Newest first.
    async fn list_jobs(
        &self,
        ws: WorkspaceId,
        filter: &JobFilter,
        page: &PageRequest,
    ) -> Result<Paged<Job>, StoreError>;
    /// Takes the oldest queued job for `worker`: running, one more attempt, leased until
    /// `lease_until`, its log of any earlier attempt cleared. Replicas never take the same
    /// job.
    async fn claim_job(
        &self,
        worker: &str,
        now: DateTime<Utc>,
        lease_until: DateTime<Utc>,
        event: EventFor<'_>,
    ) -> Result<Option<Job>, StoreError>;
    /// Extends `worker`'s lease on a running job; `Stale` when the job is no longer running
    /// under it (cancelled, or recovered by another process).
    async fn renew_job_lease(
        &self,
        id: &str,
        worker: &str,
        lease_until: DateTime<Utc>,
    ) -> Result<(), StoreError>;
    /// Appends output lines with their `execution.job.output` events, while the job still
    /// runs under `worker` (`Stale` otherwise).
    async fn append_job_output(
        &self,
        id: &str,
        worker: &str,
        lines: &[JobLogLine],
        events: &[EventDraft],
    ) -> Result<(), StoreError>;
    /// Ends a job running under `worker` (or requeues it, for `Queued`); `Stale` when it no
    /// longer runs under it (it was cancelled or recovered meanwhile).
    async fn finish_job(
        &self,
        id: &str,
        worker: &str,
        finish: &JobFinish,
        event: EventFor<'_>,
    ) -> Result<Job, StoreError>;
    /// Cancels a queued or running job (a running one's worker learns it from its lease).
    /// `NotFound`; `Conflict` when it is already final.
    async fn cancel_job(
        &self,
        ws: WorkspaceId,
        id: &str,
        at: DateTime<Utc>,
        reason: &str,
        event: EventFor<'_>,
    ) -> Result<Job, StoreError>;
    /// Running jobs whose lease ran out before `now` (their process died): back to the
    /// queue when `requeue`, else failed with `reason`. Returns the jobs as changed.
    async fn recover_jobs(
        &self,
        now: DateTime<Utc>,
        requeue: bool,
        reason: &str,
        event: EventFor<'_>,
    ) -> Result<Vec<Job>, StoreError>;
    /// The log lines after `after`, at most `limit`, and whether output was dropped.
    async fn job_logs(
        &self,
        ws: WorkspaceId,
        id: &str,
        after: u64,
        limit: u32,
    ) -> Result<(Vec<JobLogLine>, bool), StoreError>;
}
