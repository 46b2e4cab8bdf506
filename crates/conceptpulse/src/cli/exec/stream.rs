//! `conceptpulse exec run` through the job queue: subscribes to the workspace's job events
//! first (so no output can be missed), submits the run as a job, prints its output as the
//! `execution.job.output` events arrive, then the verdict and usage with the job's id.
//! Ctrl-C cancels the job (best effort) and exits `exit::INTERRUPTED`.

use std::time::Duration;

use kiro_sdk::KiroClient;
use kiro_sdk::KiroError;
use kiro_sdk::kiro_types::execution::{Job, JobStatus, RunRequest};

use super::follow::{OnInterrupt, Printer, follow};
use super::run::{exit_code, summary};
use crate::cli::OutputFormat;
use crate::cli::exit;
use crate::cli::output::Output;

/// How long the event subscription may take to be confirmed.
const SUBSCRIBE_WAIT: Duration = Duration::from_secs(30);

/// `conceptpulse exec run` (the default, streamed).
pub async fn run_as_job(client: &KiroClient, out: Output, request: &RunRequest) -> u8 {
    match submit_and_follow(client, out, request).await {
        Ok(code) => code,
        Err(e) => out.fail(&e),
    }
}

async fn submit_and_follow(
    client: &KiroClient,
    out: Output,
    request: &RunRequest,
) -> Result<u8, KiroError> {
    let mut events = client.subscribe(["execution.job.*"])?;
    tokio::time::timeout(SUBSCRIBE_WAIT, events.ready())
        .await
        .map_err(|_| KiroError::Timeout)??;
    let job = client.execution().submit_job(request).await?;
    let mut printer = match out.format {
        OutputFormat::Json => Printer::collecting(),
        OutputFormat::Human => Printer::terminal(),
    };
    let followed = follow(
        client,
        &mut events,
        &job.id,
        &mut printer,
        OnInterrupt::Cancel,
    )
    .await?;
    let job = followed.job;
    if out.format == OutputFormat::Json {
        out.emit(&job, |_| String::new());
    } else {
        eprintln!("{}", closing(&job));
    }
    Ok(match (&job.result, job.status) {
        _ if followed.interrupted => exit::INTERRUPTED,
        (Some(result), JobStatus::Completed) => exit_code(result.verdict()),
        (_, JobStatus::Failed) => exit::FAILURE,
        _ => exit::REJECTED,
    })
}

/// The closing lines of a job for people: the run's summary, or why there is none.
pub fn closing(job: &Job) -> String {
    let reason = job.error.as_deref().unwrap_or("no reason given");
    match (&job.result, job.status) {
        (Some(result), _) => format!("{} · job {}", summary(result), job.id),
        (None, JobStatus::Cancelled) => format!("── cancelled ({reason}) · job {}", job.id),
        (None, JobStatus::Failed) => format!("── failed: {reason} · job {}", job.id),
        (None, status) => format!("── {} · job {}", status.as_str(), job.id),
    }
}
