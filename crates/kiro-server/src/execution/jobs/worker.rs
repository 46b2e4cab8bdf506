//! The job workers: `[execution] workers` tasks that each take a run permit (shared with
//! synchronous runs, so the two together never exceed the worker count), claim the oldest
//! queued job and run it on a blocking thread through the same engine as `/run`. While it
//! runs, its output is batched into the log and `execution.job.output` events and its lease
//! renewed (a lost lease means it was cancelled elsewhere: it is killed). Idle workers wake
//! on enqueue or every [`POLL`] for jobs other replicas queued. A recovery pass hands back
//! or fails jobs whose process died; shutdown stops the workers and the jobs they run.

use std::sync::{Arc, Weak};
use std::time::Duration;

use kiro_core::StoreError;
use kiro_core::execution::{JobFinish, kinds};
use kiro_types::execution::{Job, JobStatus};
use serde_json::json;
use tokio::sync::{OwnedSemaphorePermit, mpsc};

use super::job_event;
use super::output::{Batcher, FLUSH_EVERY, JobSink, Stop, StopFlag};
use crate::execution::{ExecutionService, convert};

/// The actor named in events the workers emit.
const WORKER_ACTOR: &str = "system:execution-worker";
/// How often an idle worker looks for jobs queued by other processes.
const POLL: Duration = Duration::from_secs(1);
/// How long a claim lasts without renewal; a running job is renewed every [`RENEW`].
const LEASE: Duration = Duration::from_secs(30);
const RENEW: Duration = Duration::from_secs(5);

fn lease_until(now: chrono::DateTime<chrono::Utc>) -> chrono::DateTime<chrono::Utc> {
    now + chrono::Duration::from_std(LEASE).unwrap_or(chrono::Duration::seconds(30))
}

impl ExecutionService {
    /// Starts this process's workers and the recovery pass; [`Self::shutdown`] stops them.
    pub fn start_workers(self: &Arc<Self>) {
        if self.engine.is_err() {
            return;
        }
        let mut tasks = self.jobs.tasks.lock().unwrap_or_else(|p| p.into_inner());
        for _ in 0..self.config.workers {
            tasks.push(tokio::spawn(work(Arc::downgrade(self))));
        }
        tasks.push(tokio::spawn(recover(Arc::downgrade(self))));
    }

    /// Stops claiming, stops the jobs running here (requeued or failed, as
    /// `[execution] retry_interrupted` says) and waits for the workers to record them.
    pub async fn shutdown(&self) {
        self.jobs.stopping.send_replace(true);
        for flag in self
            .jobs
            .running
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .values()
        {
            flag.set(Stop::Shutdown);
        }
        let tasks = std::mem::take(&mut *self.jobs.tasks.lock().unwrap_or_else(|p| p.into_inner()));
        for task in tasks {
            let _ = task.await;
        }
    }

    fn interrupted_reason(&self) -> &'static str {
        "the server running the job stopped before it finished"
    }
}

/// Hands back or fails the jobs of processes that died, at start and then every lease.
async fn recover(service: Weak<ExecutionService>) {
    loop {
        let Some(this) = service.upgrade() else {
            return;
        };
        let mut stopping = this.jobs.stopping.subscribe();
        if *stopping.borrow() {
            return;
        }
        let now = this.clock.now();
        let requeue = this.config.retry_interrupted;
        let event = |job: &Job| {
            let kind = match job.status {
                JobStatus::Queued => kinds::JOB_QUEUED,
                _ => kinds::JOB_FAILED,
            };
            job_event(
                job,
                kind,
                WORKER_ACTOR,
                now,
                json!({ "error": job.error, "recovered": true }),
            )
        };
        match this
            .store
            .recover_jobs(now, requeue, this.interrupted_reason(), &event)
            .await
        {
            Ok(jobs) if !jobs.is_empty() => {
                tracing::info!(
                    count = jobs.len(),
                    requeue,
                    "execution: recovered interrupted jobs"
                );
                this.jobs.wake.notify_waiters();
            }
            Ok(_) => {}
            Err(e) => tracing::warn!(error = %e, "execution: cannot recover interrupted jobs"),
        }
        drop(this);
        let _ = tokio::time::timeout(LEASE, stopping.changed()).await;
    }
}

async fn work(service: Weak<ExecutionService>) {
    loop {
        let Some(this) = service.upgrade() else {
            return;
        };
        let mut stopping = this.jobs.stopping.subscribe();
        if *stopping.borrow() {
            return;
        }
        let permit = tokio::select! {
            permit = this.permits.clone().acquire_owned() => match permit {
                Ok(permit) => permit,
                Err(_) => return,
            },
            _ = stopping.changed() => return,
        };
        let now = this.clock.now();
        let event = |job: &Job| {
            job_event(
                job,
                kinds::JOB_STARTED,
                WORKER_ACTOR,
                now,
                json!({ "attempt": job.attempts }),
            )
        };
        let claimed = this
            .store
            .claim_job(&this.jobs.worker_id, now, lease_until(now), &event)
            .await;
        match claimed {
            Ok(Some(job)) => {
                this.run_job(job, permit).await;
                continue;
            }
            Ok(None) => {}
            Err(e) => tracing::warn!(error = %e, "execution: cannot claim a job"),
        }
        drop(permit);
        // Wait for a wake-up, the poll interval or shutdown, without keeping the service alive.
        let wake = async {
            let notified = this.jobs.wake.notified();
            tokio::select! {
                () = notified => {},
                _ = stopping.changed() => {},
                () = tokio::time::sleep(POLL) => {},
            }
        };
        wake.await;
    }
}

impl ExecutionService {
    /// Runs one claimed job to its end and records it.
    async fn run_job(&self, job: Job, permit: OwnedSemaphorePermit) {
        let stop = Arc::new(StopFlag::default());
        self.jobs
            .running
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .insert(job.id.clone(), stop.clone());
        if *self.jobs.stopping.borrow() {
            stop.set(Stop::Shutdown);
        }
        let (outcome, truncated) = self.execute_job(&job, permit, &stop).await;
        self.jobs
            .running
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .remove(&job.id);
        let now = self.clock.now();
        let (status, result, error) = match (stop.get(), outcome) {
            // The store already says cancelled (or another process took the job over).
            (Some(Stop::Cancelled), _) => return,
            (Some(Stop::Shutdown), _) if self.config.retry_interrupted => {
                (JobStatus::Queued, None, None)
            }
            (Some(Stop::Shutdown), _) => (
                JobStatus::Failed,
                None,
                Some(self.interrupted_reason().to_owned()),
            ),
            (None, Ok(result)) => (JobStatus::Completed, Some(result), None),
            (None, Err(message)) => (JobStatus::Failed, None, Some(message)),
        };
        let finish = JobFinish {
            status,
            result,
            error,
            at: now,
            log_truncated: truncated,
        };
        let event = |job: &Job| {
            let kind = match job.status {
                JobStatus::Completed => kinds::JOB_COMPLETED,
                JobStatus::Queued => kinds::JOB_QUEUED,
                _ => kinds::JOB_FAILED,
            };
            let data = json!({
                "status": job.status,
                "verdict": job.verdict,
                "error": job.error,
                "attempt": job.attempts,
            });
            job_event(job, kind, WORKER_ACTOR, now, data)
        };
        match self
            .store
            .finish_job(&job.id, &self.jobs.worker_id, &finish, &event)
            .await
        {
            Ok(_) | Err(StoreError::Stale) => {}
            Err(e) => {
                tracing::error!(error = %e, job = %job.id, "execution: cannot record a job's end")
            }
        }
    }

    /// Runs the job's request with its output streamed; the result, or why there is none,
    /// and whether output was dropped.
    async fn execute_job(
        &self,
        job: &Job,
        permit: OwnedSemaphorePermit,
        stop: &Arc<StopFlag>,
    ) -> (Result<kiro_types::execution::RunResponse, String>, bool) {
        let sandbox = match self.engine() {
            Ok(sandbox) => sandbox.clone(),
            Err(e) => return (Err(e.public_message().to_owned()), false),
        };
        let resolved = match self.resolve_run(job.workspace_id, &job.request).await {
            Ok(resolved) => resolved,
            Err(e) => return (Err(e.public_message().to_owned()), false),
        };
        let (env, checker) = resolved;
        let execute = match self.prepare(&job.request, &env, false) {
            Ok(execute) => execute,
            Err(e) => return (Err(e.public_message().to_owned()), false),
        };
        let (chunks, mut received) = mpsc::unbounded_channel();
        let sink = JobSink {
            chunks,
            stop: stop.clone(),
        };
        let started = self.clock.now();
        let run = tokio::task::spawn_blocking(move || {
            let _permit = permit;
            sandbox.execute_in(&execute, &env, checker.as_deref(), &sink)
        });
        let mut batcher = Batcher::new(self.config.max_log_bytes);
        let mut flush = tokio::time::interval(FLUSH_EVERY);
        let mut renew = tokio::time::interval(RENEW);
        renew.tick().await;
        loop {
            tokio::select! {
                chunk = received.recv() => match chunk {
                    Some((stream, bytes)) => {
                        if batcher.push(stream, bytes) {
                            self.flush(job, &mut batcher, stop, false).await;
                        }
                    }
                    None => break,
                },
                _ = flush.tick() => self.flush(job, &mut batcher, stop, false).await,
                _ = renew.tick() => {
                    let until = lease_until(self.clock.now());
                    if let Err(StoreError::Stale) =
                        self.store.renew_job_lease(&job.id, &self.jobs.worker_id, until).await
                    {
                        stop.set(Stop::Cancelled);
                    }
                }
            }
        }
        self.flush(job, &mut batcher, stop, true).await;
        let outcome = match run.await {
            Ok(Ok(outcome)) => {
                convert::response(job.id.clone(), &outcome, started, self.clock.now())
                    .map_err(|e| e.public_message().to_owned())
            }
            Ok(Err(e)) => Err(crate::execution::from_sandbox(e)
                .public_message()
                .to_owned()),
            Err(e) => Err(format!("the run's thread failed: {e}")),
        };
        (outcome, batcher.truncated)
    }

    /// Writes the pending output with one event per line.
    async fn flush(&self, job: &Job, batcher: &mut Batcher, stop: &StopFlag, last: bool) {
        let now = self.clock.now();
        let lines = batcher.take(now, last);
        if lines.is_empty() || stop.get() == Some(Stop::Cancelled) {
            return;
        }
        let events: Vec<_> = lines
            .iter()
            .map(|line| {
                let data = json!({ "stream": line.stream, "text": line.message, "seq": line.seq });
                job_event(job, kinds::JOB_OUTPUT, WORKER_ACTOR, now, data)
            })
            .collect();
        match self
            .store
            .append_job_output(&job.id, &self.jobs.worker_id, &lines, &events)
            .await
        {
            Ok(()) => {}
            Err(StoreError::Stale) => stop.set(Stop::Cancelled),
            Err(e) => tracing::warn!(error = %e, job = %job.id, "execution: cannot write output"),
        }
    }
}
