//! `kiro-bench offline-replay`: the kiro-sdk offline queue's replay throughput against a
//! real kiro-server child process.
//!
//! The server is started on a data directory of our own, the bench account signs in, and
//! the server is stopped (SIGTERM). `--count` workspace creations are then submitted to the
//! queue (the first finds the server unreachable, the rest queue behind it), the same server
//! is started again on the same port and data directory, and the queue is replayed: the
//! figure is mutations per second of replay. The count of workspaces on the server afterwards
//! checks that every mutation landed exactly once.

use std::path::Path;
use std::time::{Duration, Instant};

use anyhow::{Context, bail, ensure};
use kiro_sdk::kiro_types::Page;
use kiro_sdk::kiro_types::workspace::WorkspaceOut;
use kiro_sdk::{
    Call, ClientConfig, ConflictPolicy, Credentials, KiroClient, OfflineQueue, RetryPolicy,
    Submitted,
};
use serde_json::json;

use crate::OfflineReplayArgs;
use crate::account;
use crate::process::ServerProcess;
use crate::servers::{KIRO_READY_PREFIX, kiro_bin, setup_client};

pub async fn run(args: OfflineReplayArgs) -> anyhow::Result<()> {
    let bin = kiro_bin(args.kiro_bin)?;
    let count = usize::try_from(args.count)?;
    let data = tempfile::Builder::new()
        .prefix("kiro-bench-offline-")
        .tempdir()
        .context("creating the data directory")?;
    let server = start(&bin, data.path(), "127.0.0.1:0").await?;
    let base = server.base_url().to_owned();
    let listen = base.trim_start_matches("http://").to_owned();
    account::access_token(&setup_client()?, &base).await?;
    let client = KiroClient::connect(config(&base)).await?;
    client.authenticate(credentials()).await?;
    let queue_file = data.path().join("offline-queue.db");
    let queue = OfflineQueue::open(&queue_file, client.clone(), ConflictPolicy::ServerWins).await?;
    server.stop().await?;
    eprintln!(
        "kiro-server stopped; queueing {} workspace creations",
        args.count
    );

    let queueing = Instant::now();
    for i in 0..args.count {
        let call = Call::post("/v1/workspaces").json(json!({ "name": format!("offline {i}") }));
        match queue.submit(call).await? {
            Submitted::Queued { .. } => {}
            Submitted::Sent(_) => bail!("a mutation was sent while the server was stopped"),
        }
    }
    let queued_in = queueing.elapsed();
    ensure!(queue.len().await? == count, "not everything was queued");

    let server = start(&bin, data.path(), &listen).await?;
    eprintln!("kiro-server restarted on {listen}; replaying");
    // Sign in again: the token is not what is measured.
    client.authenticate(credentials()).await?;
    let replaying = Instant::now();
    let report = queue.replay().await?;
    let replayed_in = replaying.elapsed();
    if let Some(error) = &report.interrupted {
        bail!("the replay stopped: {error}");
    }
    let sent = report.sent().count();
    let on_server = count_workspaces(&client).await?;
    server.stop().await?;
    ensure!(
        sent == count && on_server == sent + 1,
        "sent {sent}, server has {on_server} workspaces (1 personal + {} expected)",
        args.count
    );

    let rate =
        |n: usize, d: Duration| f64::from(u32::try_from(n).unwrap_or(u32::MAX)) / d.as_secs_f64();
    println!(
        "offline-replay: {} workspace creations (POST, SQLite server)",
        args.count
    );
    println!(
        "  queue (local SQLite): {:>10.0} mutations/s  ({:.2} s)",
        rate(sent, queued_in),
        queued_in.as_secs_f64()
    );
    println!(
        "  replay:               {:>10.0} mutations/s  ({:.2} s)",
        rate(sent, replayed_in),
        replayed_in.as_secs_f64()
    );
    println!("  landed exactly once:  {on_server} workspaces = 1 personal + {sent}");
    println!(
        "{}",
        json!({
            "bench": "offline-replay",
            "count": args.count,
            "queue_per_sec": rate(sent, queued_in),
            "replay_per_sec": rate(sent, replayed_in),
            "replay_secs": replayed_in.as_secs_f64(),
        })
    );
    Ok(())
}

/// kiro-server on `listen` with the data directory `data` (kept across restarts).
async fn start(bin: &Path, data: &Path, listen: &str) -> anyhow::Result<ServerProcess> {
    ServerProcess::start("kiro-server", bin, KIRO_READY_PREFIX, |_| {
        vec![
            "serve".to_owned(),
            "--listen".to_owned(),
            listen.to_owned(),
            "--data-dir".to_owned(),
            data.display().to_string(),
        ]
    })
    .await
}

/// One attempt per request: a stopped server is found at once, not after backoff.
fn config(base: &str) -> ClientConfig {
    let mut config = ClientConfig::new(base);
    config.timeout = Duration::from_secs(30);
    config.retry = RetryPolicy {
        max_attempts: 1,
        ..RetryPolicy::default()
    };
    config
}

fn credentials() -> Credentials {
    Credentials::Password {
        email: account::EMAIL.to_owned(),
        password: account::PASSWORD.to_owned(),
    }
}

async fn count_workspaces(client: &KiroClient) -> anyhow::Result<usize> {
    let mut count = 0;
    let mut cursor: Option<String> = None;
    loop {
        let path = match &cursor {
            Some(c) => format!("/v1/workspaces?limit=100&cursor={c}"),
            None => "/v1/workspaces?limit=100".to_owned(),
        };
        let page: Page<WorkspaceOut> = client.call(Call::get(path)).await?.json()?;
        count += page.items.len();
        match page.next_cursor {
            Some(next) => cursor = Some(next),
            None => return Ok(count),
        }
    }
}
