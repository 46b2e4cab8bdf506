//! The load generator: N workers, each looping `GET` requests over its own
//! keep-alive connection, recording microsecond latencies in an hdrhistogram.
//!
//! Requests that start during the warmup are sent but not recorded; no request
//! starts after the measured window ends. Non-2xx answers and transport errors
//! are counted as errors and kept out of the histogram.

use std::time::Duration;

use anyhow::Context;
use hdrhistogram::Histogram;
use reqwest::header::{AUTHORIZATION, HeaderValue};
use tokio::time::Instant;

/// Per-request timeout; bounds how far a run can overshoot its window.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(5);
/// Highest latency the histogram tracks exactly (larger values saturate).
const MAX_TRACKED_MICROS: u64 = 60_000_000;

/// One endpoint to load.
#[derive(Clone)]
pub struct Target {
    pub url: reqwest::Url,
    pub bearer: Option<HeaderValue>,
}

/// How hard and how long to load.
#[derive(Clone, Copy)]
pub struct Plan {
    pub connections: u16,
    pub warmup: Duration,
    pub duration: Duration,
}

/// What one run measured.
pub struct Measurement {
    pub latencies: Histogram<u64>,
    pub errors: u64,
    pub first_error: Option<String>,
    /// From the end of the warmup to the last recorded response.
    pub elapsed: Duration,
}

impl Measurement {
    pub fn requests(&self) -> u64 {
        self.latencies.len()
    }

    pub fn requests_per_second(&self) -> f64 {
        let secs = self.elapsed.as_secs_f64();
        if secs > 0.0 {
            self.requests() as f64 / secs
        } else {
            0.0
        }
    }
}

/// Runs `plan` against `target` and merges the workers' figures.
pub async fn run(target: &Target, plan: Plan) -> anyhow::Result<Measurement> {
    let start = Instant::now();
    let measure_from = start + plan.warmup;
    let stop_at = measure_from + plan.duration;
    let mut workers = tokio::task::JoinSet::new();
    for _ in 0..plan.connections {
        let client = worker_client()?;
        let target = target.clone();
        workers.spawn(worker(client, target, measure_from, stop_at));
    }
    let mut total = new_histogram()?;
    let mut errors = 0;
    let mut first_error = None;
    let mut last_response = measure_from;
    while let Some(joined) = workers.join_next().await {
        let part = joined.context("a load worker failed")??;
        total.add(&part.latencies).context("merging latencies")?;
        errors += part.errors;
        first_error = first_error.or(part.first_error);
        last_response = last_response.max(part.last_response);
    }
    Ok(Measurement {
        latencies: total,
        errors,
        first_error,
        elapsed: last_response.saturating_duration_since(measure_from),
    })
}

struct WorkerResult {
    latencies: Histogram<u64>,
    errors: u64,
    first_error: Option<String>,
    last_response: Instant,
}

/// One client per worker with a one-connection pool: exactly N connections.
fn worker_client() -> anyhow::Result<reqwest::Client> {
    reqwest::Client::builder()
        .no_proxy()
        .http1_only()
        .tcp_nodelay(true)
        .pool_max_idle_per_host(1)
        .timeout(REQUEST_TIMEOUT)
        .build()
        .context("building a load client")
}

fn new_histogram() -> anyhow::Result<Histogram<u64>> {
    Histogram::new_with_bounds(1, MAX_TRACKED_MICROS, 3).context("creating a histogram")
}

async fn worker(
    client: reqwest::Client,
    target: Target,
    measure_from: Instant,
    stop_at: Instant,
) -> anyhow::Result<WorkerResult> {
    let mut result = WorkerResult {
        latencies: new_histogram()?,
        errors: 0,
        first_error: None,
        last_response: measure_from,
    };
    loop {
        let began = Instant::now();
        if began >= stop_at {
            break;
        }
        let outcome = request(&client, &target).await;
        let ended = Instant::now();
        if began < measure_from {
            continue;
        }
        result.last_response = ended;
        match outcome {
            Ok(()) => {
                let micros = u64::try_from((ended - began).as_micros()).unwrap_or(u64::MAX);
                result.latencies.saturating_record(micros.max(1));
            }
            Err(e) => {
                result.errors += 1;
                result.first_error.get_or_insert(e);
            }
        }
    }
    Ok(result)
}

/// One request, body read to the end so the connection is reused.
async fn request(client: &reqwest::Client, target: &Target) -> Result<(), String> {
    let mut builder = client.get(target.url.clone());
    if let Some(bearer) = &target.bearer {
        builder = builder.header(AUTHORIZATION, bearer.clone());
    }
    let resp = builder.send().await.map_err(|e| error_chain(&e))?;
    let status = resp.status();
    resp.bytes().await.map_err(|e| error_chain(&e))?;
    if status.is_success() {
        Ok(())
    } else {
        Err(format!("status {status}"))
    }
}

fn error_chain(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}
