//! [`ExecutionStore`] for [`SqlStore`]: the `execution_jobs` and `execution_job_logs` tables
//! of migration 0006 — the queue ([`queue`]), a job's end ([`lifecycle`]), and reads and
//! output ([`reads`]); the catalog of migration 0007 ([`catalog`]: custom [`environments`]
//! and [`scripts`]).

mod catalog;
mod environments;
mod lifecycle;
mod queue;
mod reads;
mod rows;
mod scripts;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use kiro_core::events::EventDraft;
use kiro_core::execution::{EventFor, ExecutionStore, JobFilter, JobFinish};
use kiro_core::{PageRequest, Paged, StoreError};
use kiro_types::WorkspaceId;
use kiro_types::execution::{Job, JobLogLine};

use crate::sql_store::SqlStore;

#[async_trait]
impl ExecutionStore for SqlStore {
    async fn enqueue_job(
        &self,
        job: &Job,
        capacity: u32,
        event: &EventDraft,
    ) -> Result<bool, StoreError> {
        queue::enqueue(self, job, capacity, event).await
    }

    async fn get_job(&self, ws: WorkspaceId, id: &str) -> Result<Job, StoreError> {
        reads::get(self, ws, id).await
    }

    async fn list_jobs(
        &self,
        ws: WorkspaceId,
        filter: &JobFilter,
        page: &PageRequest,
    ) -> Result<Paged<Job>, StoreError> {
        reads::list(self, ws, filter, page).await
    }

    async fn claim_job(
        &self,
        worker: &str,
        now: DateTime<Utc>,
        lease_until: DateTime<Utc>,
        event: EventFor<'_>,
    ) -> Result<Option<Job>, StoreError> {
        queue::claim(self, worker, now, lease_until, event).await
    }

    async fn renew_job_lease(
        &self,
        id: &str,
        worker: &str,
        lease_until: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        queue::renew(self, id, worker, lease_until).await
    }

    async fn append_job_output(
        &self,
        id: &str,
        worker: &str,
        lines: &[JobLogLine],
        events: &[EventDraft],
    ) -> Result<(), StoreError> {
        reads::append_output(self, id, worker, lines, events).await
    }

    async fn finish_job(
        &self,
        id: &str,
        worker: &str,
        finish: &JobFinish,
        event: EventFor<'_>,
    ) -> Result<Job, StoreError> {
        lifecycle::finish(self, id, worker, finish, event).await
    }

    async fn cancel_job(
        &self,
        ws: WorkspaceId,
        id: &str,
        at: DateTime<Utc>,
        reason: &str,
        event: EventFor<'_>,
    ) -> Result<Job, StoreError> {
        lifecycle::cancel(self, ws, id, at, reason, event).await
    }

    async fn recover_jobs(
        &self,
        now: DateTime<Utc>,
        requeue: bool,
        reason: &str,
        event: EventFor<'_>,
    ) -> Result<Vec<Job>, StoreError> {
        queue::recover(self, now, requeue, reason, event).await
    }

    async fn job_logs(
        &self,
        ws: WorkspaceId,
        id: &str,
        after: u64,
        limit: u32,
    ) -> Result<(Vec<JobLogLine>, bool), StoreError> {
        reads::logs(self, ws, id, after, limit).await
    }
}
