//! The job half of [`ExecutionClient`]: the design's `submitJob`, `getJobStatus`,
//! `cancelJob`, `listJobs`, `getExecutionLogs` and `getResourceUsage`, and
//! [`ExecutionClient::wait_for_job`], which follows the job's events to its end.

use std::time::Duration;

use futures::StreamExt;
use kiro_types::Page;
use kiro_types::execution::{Job, JobLogs, JobStatus, JobUsage, RunRequest};

use crate::call::Call;
use crate::error::KiroError;
use crate::execution::ExecutionClient;

/// Which jobs [`ExecutionClient::jobs`] lists.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct JobFilters {
    pub status: Option<JobStatus>,
    pub environment: Option<String>,
    /// Page size (1 to 200; the server's default when `None`).
    pub limit: Option<u32>,
}

fn encode(value: &str) -> String {
    url::form_urlencoded::byte_serialize(value.as_bytes()).collect()
}

impl ExecutionClient {
    /// Queues a run; the answer is the queued job (`status: queued`).
    pub async fn submit_job(&self, request: &RunRequest) -> Result<Job, KiroError> {
        let body = serde_json::to_value(request).map_err(|e| KiroError::Decode(e.to_string()))?;
        self.call(Call::post("/jobs").json(body)).await?.json()
    }

    /// A job and where it stands.
    pub async fn job(&self, id: &str) -> Result<Job, KiroError> {
        self.call(Call::get(format!("/jobs/{}", encode(id))))
            .await?
            .json()
    }

    /// One page of the workspace's jobs, newest first; pass the page's `next_cursor` back
    /// for the next one.
    pub async fn jobs(
        &self,
        filters: &JobFilters,
        cursor: Option<&str>,
    ) -> Result<Page<Job>, KiroError> {
        let mut query = Vec::new();
        if let Some(status) = filters.status {
            query.push(format!("status={}", status.as_str()));
        }
        if let Some(environment) = &filters.environment {
            query.push(format!("environment={}", encode(environment)));
        }
        if let Some(limit) = filters.limit {
            query.push(format!("limit={limit}"));
        }
        if let Some(cursor) = cursor {
            query.push(format!("cursor={}", encode(cursor)));
        }
        let path = if query.is_empty() {
            "/jobs".to_owned()
        } else {
            format!("/jobs?{}", query.join("&"))
        };
        self.call(Call::get(path)).await?.json()
    }

    /// Cancels a queued or running job; answers it as cancelled.
    pub async fn cancel_job(&self, id: &str) -> Result<Job, KiroError> {
        self.call(Call::post(format!("/jobs/{}/cancel", encode(id))))
            .await?
            .json()
    }

    /// The job's log lines after sequence number `after` (0 for all), at most `limit`.
    pub async fn job_logs(&self, id: &str, after: u64, limit: u32) -> Result<JobLogs, KiroError> {
        let path = format!("/jobs/{}/logs?after={after}&limit={limit}", encode(id));
        self.call(Call::get(path)).await?.json()
    }

    /// What the job used, once it completed.
    pub async fn job_usage(&self, id: &str) -> Result<JobUsage, KiroError> {
        self.call(Call::get(format!("/jobs/{}/usage", encode(id))))
            .await?
            .json()
    }

    /// Waits until the job is completed, failed or cancelled: subscribes to its events,
    /// reads it once the subscription is live (so an end that came before is seen), then
    /// reads it again on each of its state events. `timeout` bounds the wait.
    pub async fn wait_for_job(&self, id: &str, timeout: Duration) -> Result<Job, KiroError> {
        let mut events = self.client().subscribe([format!("execution.job.{id}")])?;
        let wait = async {
            events.ready().await?;
            let mut job = self.job(id).await?;
            while !job.status.is_final() {
                let Some(event) = events.next().await else {
                    return Err(KiroError::Connection("the event stream ended".into()));
                };
                if event.event_type != "execution.job.output" {
                    job = self.job(id).await?;
                }
            }
            Ok(job)
        };
        tokio::time::timeout(timeout, wait)
            .await
            .map_err(|_| KiroError::Timeout)?
    }
}
