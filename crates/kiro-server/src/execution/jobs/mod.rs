//! Execution jobs: submitting a run to the queue (refused with 503 when the sandbox is
//! unavailable or the queue is full), reading jobs, their log and usage, and cancelling one —
//! a queued job at once, a running one by killing it (here, or on the replica running it,
//! which learns it when renewing its lease). The workers are in [`worker`].

pub mod output;
mod worker;

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use chrono::{DateTime, Utc};
use kiro_core::events::{EventDraft, EventKind};
use kiro_core::execution::{JobFilter, kinds};
use kiro_core::tenancy::{Access, Tenant};
use kiro_core::{PageRequest, Paged, StoreError};
use kiro_types::ErrorCode;
use kiro_types::MAX_PAGE_LIMIT;
use kiro_types::execution::{Job, JobLogs, JobStatus, JobUsage, RunRequest};
use kiro_types::workspace::Role;
use serde_json::{Value, json};
use tokio::sync::{Notify, watch};
use tokio::task::JoinHandle;

use self::output::{Stop, StopFlag};
use super::ExecutionService;
use crate::error::ApiError;

/// The service's name in scopes, events and errors.
pub const SERVICE: &str = "execution";
/// How long a full queue asks callers to wait, seconds.
const QUEUE_FULL_RETRY_SECS: u64 = 5;

/// The queue's state in this process.
pub struct Jobs {
    /// This process's name in claims (`claimed_by`).
    pub(crate) worker_id: String,
    /// Woken on enqueue, so an idle worker starts at once.
    pub(crate) wake: Notify,
    /// Jobs this process runs, by id, with the flag that stops them.
    pub(crate) running: Mutex<HashMap<String, Arc<StopFlag>>>,
    /// `true` once the service shuts down.
    pub(crate) stopping: watch::Sender<bool>,
    pub(crate) tasks: Mutex<Vec<JoinHandle<()>>>,
}

impl Jobs {
    pub fn new() -> Jobs {
        Jobs {
            worker_id: format!("worker-{}", uuid::Uuid::now_v7().simple()),
            wake: Notify::new(),
            running: Mutex::new(HashMap::new()),
            stopping: watch::channel(false).0,
            tasks: Mutex::new(Vec::new()),
        }
    }

    /// Stops the running job `id` if this process runs it.
    fn stop(&self, id: &str, why: Stop) {
        if let Some(flag) = self
            .running
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .get(id)
        {
            flag.set(why);
        }
    }
}

impl Default for Jobs {
    fn default() -> Self {
        Jobs::new()
    }
}

fn require(tenant: &Tenant, access: Access) -> Result<(), ApiError> {
    let min = match access {
        Access::Read => Role::Viewer,
        Access::Write => Role::Member,
    };
    tenant.require(SERVICE, access, min).map_err(ApiError::from)
}

fn not_found(e: StoreError) -> ApiError {
    match e {
        StoreError::NotFound => ApiError::new(
            ErrorCode::ExecutionJobNotFound,
            "no job with this id in the workspace; GET /v1/execution/jobs lists them",
        ),
        other => ApiError::from(other),
    }
}

/// An event about `job` by `actor`.
pub(crate) fn job_event(
    job: &Job,
    kind: EventKind,
    actor: &str,
    at: DateTime<Utc>,
    data: Value,
) -> EventDraft {
    EventDraft::new(
        job.workspace_id,
        kind,
        job.id.as_str(),
        job.version,
        actor,
        at,
        data,
    )
}

impl ExecutionService {
    /// Queues a run; 503 when the sandbox is unavailable or the queue is full.
    pub async fn submit_job(&self, tenant: &Tenant, request: RunRequest) -> Result<Job, ApiError> {
        require(tenant, Access::Write)?;
        let (env, _) = self.resolve_run(tenant.workspace_id, &request).await?;
        self.prepare(&request, &env, false)?;
        let job = Job {
            id: uuid::Uuid::now_v7().to_string(),
            workspace_id: tenant.workspace_id,
            status: JobStatus::Queued,
            environment: request.environment.clone(),
            request,
            result: None,
            verdict: None,
            error: None,
            attempts: 0,
            submitted_by: tenant.principal.key(),
            created_at: self.clock.now(),
            started_at: None,
            finished_at: None,
            version: 1,
        };
        let event = job_event(
            &job,
            kinds::JOB_QUEUED,
            &job.submitted_by,
            job.created_at,
            json!({ "environment": job.environment }),
        );
        let capacity = self.config.queue_capacity;
        if !self.store.enqueue_job(&job, capacity, &event).await? {
            return Err(ApiError::new(
                ErrorCode::ExecutionQueueFull,
                format!(
                    "the job queue is full ({capacity} jobs wait for a worker); retry after \
                     {QUEUE_FULL_RETRY_SECS} s"
                ),
            )
            .with_retry_after(QUEUE_FULL_RETRY_SECS));
        }
        self.jobs.wake.notify_one();
        Ok(job)
    }

    pub async fn job(&self, tenant: &Tenant, id: &str) -> Result<Job, ApiError> {
        require(tenant, Access::Read)?;
        self.store
            .get_job(tenant.workspace_id, id)
            .await
            .map_err(not_found)
    }

    pub async fn list_jobs(
        &self,
        tenant: &Tenant,
        filter: &JobFilter,
        page: &PageRequest,
    ) -> Result<Paged<Job>, ApiError> {
        require(tenant, Access::Read)?;
        Ok(self
            .store
            .list_jobs(tenant.workspace_id, filter, page)
            .await?)
    }

    /// Cancels a queued or running job; 409 when it already ended.
    pub async fn cancel_job(&self, tenant: &Tenant, id: &str) -> Result<Job, ApiError> {
        require(tenant, Access::Write)?;
        let actor = tenant.principal.key();
        let reason = format!("cancelled by {actor}");
        let now = self.clock.now();
        let event = |job: &Job| {
            job_event(
                job,
                kinds::JOB_CANCELLED,
                &actor,
                now,
                json!({ "reason": job.error }),
            )
        };
        let job = self
            .store
            .cancel_job(tenant.workspace_id, id, now, &reason, &event)
            .await
            .map_err(|e| match e {
                StoreError::Conflict { .. } => ApiError::new(
                    ErrorCode::ExecutionJobNotCancellable,
                    "the job has already ended; only queued or running jobs can be cancelled",
                ),
                other => not_found(other),
            })?;
        self.jobs.stop(id, Stop::Cancelled);
        Ok(job)
    }

    /// The log lines after `after`, at most `limit`.
    pub async fn job_logs(
        &self,
        tenant: &Tenant,
        id: &str,
        after: u64,
        limit: u32,
    ) -> Result<JobLogs, ApiError> {
        let job = self.job(tenant, id).await?;
        let limit = limit.clamp(1, MAX_PAGE_LIMIT * 5);
        let (items, truncated) = self
            .store
            .job_logs(tenant.workspace_id, id, after, limit)
            .await
            .map_err(not_found)?;
        let full = items.len() == limit as usize;
        let last = items.last().map(|l| l.seq).unwrap_or(after);
        Ok(JobLogs {
            next_after: (full || !job.status.is_final()).then_some(last),
            items,
            truncated,
        })
    }

    /// What a job used (once completed).
    pub async fn job_usage(&self, tenant: &Tenant, id: &str) -> Result<JobUsage, ApiError> {
        let job = self.job(tenant, id).await?;
        Ok(JobUsage {
            usage: job.result.as_ref().map(|r| r.usage),
            job_id: job.id,
            status: job.status,
        })
    }
}
