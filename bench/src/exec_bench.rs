//! `kiro-bench exec-run`: the execution service end to end against a real kiro-server child
//! process with its default `[execution]` settings (2 workers): the latency of
//! `POST /v1/execution/run` for a trivial Python program through kiro-sdk (median, p95), then
//! sustained runs per second with several clients submitting at once.

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use anyhow::{Context, ensure};
use kiro_sdk::kiro_types::execution::Verdict;
use kiro_sdk::{ClientConfig, Credentials, KiroClient};

use crate::account;
use crate::servers::{kiro_bin, setup_client, start_kiro};

/// Options of `kiro-bench exec-run`.
#[derive(Debug, clap::Args)]
pub struct ExecRunArgs {
    /// The kiro-server binary [default: `kiro-server` next to this executable].
    #[arg(long)]
    pub kiro_bin: Option<PathBuf>,
    /// Sequential runs timed for the latency figures.
    #[arg(long, default_value_t = 50, value_parser = clap::value_parser!(u32).range(1..))]
    pub runs: u32,
    /// Clients submitting at once for the throughput figure.
    #[arg(long, default_value_t = 8, value_parser = clap::value_parser!(u32).range(1..))]
    pub clients: u32,
    /// How long the throughput is measured, seconds.
    #[arg(long, default_value_t = 10, value_parser = clap::value_parser!(u64).range(1..))]
    pub seconds: u64,
}

const PROGRAM: &str = "pass";

pub async fn run(args: ExecRunArgs) -> anyhow::Result<()> {
    let bin = kiro_bin(args.kiro_bin.clone())?;
    let server = start_kiro(&bin).await?;
    let result = measure(server.base_url(), &args).await;
    server.stop().await?;
    result
}

async fn client(base: &str) -> anyhow::Result<KiroClient> {
    let mut config = ClientConfig::new(base);
    config.timeout = Duration::from_secs(60);
    let client = KiroClient::connect(config).await?;
    client
        .authenticate(Credentials::Password {
            email: account::EMAIL.to_owned(),
            password: account::PASSWORD.to_owned(),
        })
        .await?;
    Ok(client)
}

async fn one(client: &KiroClient) -> anyhow::Result<()> {
    let answer = client
        .execution()
        .execute_code("python3", PROGRAM, None)
        .await?;
    ensure!(
        answer.verdict() == &Verdict::Accepted,
        "a trivial run failed: {answer:?}"
    );
    Ok(())
}

async fn measure(base: &str, args: &ExecRunArgs) -> anyhow::Result<()> {
    account::access_token(&setup_client()?, base).await?;
    let first = client(base).await?;
    let caps = first.execution().capabilities().await?;
    ensure!(
        caps.available,
        "the server cannot run code: {:?}",
        caps.reason
    );
    one(&first).await.context("warm-up run")?;
    let mut latencies = Vec::with_capacity(args.runs as usize);
    for _ in 0..args.runs {
        let started = Instant::now();
        one(&first).await?;
        latencies.push(started.elapsed());
    }
    latencies.sort();
    let at = |q: f64| latencies[((latencies.len() - 1) as f64 * q).round() as usize];
    let (median, p95) = (at(0.5), at(0.95));

    let done = Arc::new(AtomicU64::new(0));
    let deadline = Instant::now() + Duration::from_secs(args.seconds);
    let mut tasks = Vec::new();
    for _ in 0..args.clients {
        let client = client(base).await?;
        let done = done.clone();
        tasks.push(tokio::spawn(async move {
            while Instant::now() < deadline {
                one(&client).await?;
                done.fetch_add(1, Ordering::Relaxed);
            }
            anyhow::Ok(())
        }));
    }
    let started = Instant::now();
    for task in tasks {
        task.await??;
    }
    let elapsed = started.elapsed().as_secs_f64();
    let total = done.load(Ordering::Relaxed);
    let rate = total as f64 / elapsed;
    let isolation = caps.isolation.map(|i| format!("{i:?}")).unwrap_or_default();
    println!(
        "exec-run: python3 `{PROGRAM}` through POST /v1/execution/run, isolation {isolation}, {} workers",
        caps.workers
    );
    println!(
        "  latency over {} sequential runs: median {:.1} ms, p95 {:.1} ms",
        args.runs,
        median.as_secs_f64() * 1000.0,
        p95.as_secs_f64() * 1000.0
    );
    println!(
        "  sustained: {total} runs in {elapsed:.1} s with {} clients = {rate:.1} runs/s",
        args.clients
    );
    println!(
        "{}",
        serde_json::json!({
            "bench": "exec-run",
            "isolation": isolation,
            "workers": caps.workers,
            "medianMs": median.as_secs_f64() * 1000.0,
            "p95Ms": p95.as_secs_f64() * 1000.0,
            "clients": args.clients,
            "runsPerSecond": rate,
        })
    );
    Ok(())
}
