//! The writer of `kiro-bench fanout`: renames one workspace to `bench-<seq>`
//! at a steady rate, one `PATCH /v1/workspaces/<id>` at a time on a keep-alive
//! connection, paced by a tokio interval.
//!
//! It writes for `--duration` (no request starts after it) and at most rate ×
//! duration renames. The time each response arrives is the sequence number's commit time for
//! the latency figures (the server answers after its transaction committed).
//! The writer runs on a thread and runtime of its own, so that time is taken
//! when the response arrives, not when a worker busy with a thousand
//! subscriber tasks gets round to it.
//! When the server cannot keep up, the interval waits rather than bursting,
//! so fewer renames are written and the achieved rate is reported next to
//! the requested one. Any answer
//! other than `200 OK` fails the run: a lost write would look like a lost
//! delivery.

use std::time::Duration;

use anyhow::{Context, bail};
use hdrhistogram::Histogram;
use serde_json::json;
use tokio::time::{Instant, MissedTickBehavior};

use crate::servers;
use crate::subscriber::{micros_since, new_histogram};

/// Workspace names are this prefix followed by the sequence number.
pub const NAME_PREFIX: &str = "bench-";

/// What the writer did.
pub struct Writes {
    /// When each rename's response arrived, by `seq - 1`, in microseconds
    /// since the run's time base.
    pub acked: Vec<u64>,
    /// When the first request was sent.
    pub started: Instant,
    /// When the last response arrived.
    pub finished: Instant,
    /// PATCH round trips, µs.
    pub latencies: Histogram<u64>,
}

impl Writes {
    pub fn per_second(&self) -> f64 {
        let secs = (self.finished - self.started).as_secs_f64();
        if secs > 0.0 {
            self.acked.len() as f64 / secs
        } else {
            0.0
        }
    }
}

/// Where and what to write.
pub struct Job {
    pub base: String,
    pub token: String,
    pub workspace: String,
    /// The most renames to write.
    pub max: u32,
    pub rate: u32,
    /// No rename starts later than this after the first.
    pub duration: Duration,
    /// The run's time base for [`Writes::acked`].
    pub time_base: Instant,
}

/// Runs `job` on a blocking-pool thread with a current-thread runtime and a
/// client of its own.
pub async fn run_apart(job: Job) -> anyhow::Result<Writes> {
    tokio::task::spawn_blocking(move || {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .context("building the writer's runtime")?;
        runtime.block_on(async {
            let client = servers::setup_client()?;
            run(&client, &job).await
        })
    })
    .await
    .context("the writer's thread failed")?
}

/// Renames the workspace `job.rate` times per second for `job.duration`.
async fn run(client: &reqwest::Client, job: &Job) -> anyhow::Result<Writes> {
    let url = format!("{}/v1/workspaces/{}", job.base, job.workspace);
    let mut interval = tokio::time::interval(Duration::from_secs_f64(1.0 / f64::from(job.rate)));
    interval.set_missed_tick_behavior(MissedTickBehavior::Delay);
    let mut acked = Vec::with_capacity(usize::try_from(job.max).unwrap_or(0));
    let mut latencies = new_histogram()?;
    let mut started = None;
    for seq in 1..=job.max {
        interval.tick().await;
        let sent = Instant::now();
        if sent >= *started.get_or_insert(sent) + job.duration {
            break;
        }
        let resp = client
            .patch(&url)
            .bearer_auth(&job.token)
            .json(&json!({ "name": format!("{NAME_PREFIX}{seq}") }))
            .send()
            .await
            .with_context(|| format!("PATCH /v1/workspaces/… (rename {seq})"))?;
        let status = resp.status();
        let body = resp
            .bytes()
            .await
            .with_context(|| format!("PATCH /v1/workspaces/… (rename {seq}): reading the body"))?;
        let arrived = Instant::now();
        if status != reqwest::StatusCode::OK {
            let body = String::from_utf8_lossy(&body);
            bail!("PATCH /v1/workspaces/… (rename {seq}): expected 200 OK, got {status}: {body}");
        }
        acked.push(micros_since(job.time_base, arrived));
        latencies.saturating_record(micros_since(sent, arrived).max(1));
    }
    let finished = Instant::now();
    Ok(Writes {
        acked,
        started: started.unwrap_or(finished),
        finished,
        latencies,
    })
}
