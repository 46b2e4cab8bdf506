//! The two servers under test and how to reach them: kiro-server (the
//! contract: `serve --listen 127.0.0.1:0 --data-dir DIR`, a
//! `kiro-server listening on URL` line, `/v1/health/ready`) and the
//! hello-world baseline (this binary re-executed as `hello`).

use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::{Context, bail};
use tokio::time::Instant;

use crate::hello;
use crate::process::ServerProcess;

/// Start of the line kiro-server prints once it accepts connections.
pub const KIRO_READY_PREFIX: &str = "kiro-server listening on ";
/// Deadline for `/v1/health/ready` to answer 200.
pub const READY_DEADLINE: Duration = Duration::from_secs(30);
/// Pause between readiness polls.
const POLL_INTERVAL: Duration = Duration::from_millis(5);

/// `--kiro-bin`, or `kiro-server` next to this executable.
pub fn kiro_bin(explicit: Option<PathBuf>) -> anyhow::Result<PathBuf> {
    let path = match explicit {
        Some(path) => path,
        None => std::env::current_exe()
            .context("locating the kiro-bench executable")?
            .with_file_name("kiro-server"),
    };
    if !path.is_file() {
        bail!(
            "kiro-server binary not found at {}: build it with \
             `cargo build --release -p kiro-server -p kiro-bench` or pass --kiro-bin",
            path.display()
        );
    }
    Ok(path)
}

/// Spawns kiro-server on a free loopback port with a fresh data directory
/// (and so a fresh SQLite database).
pub async fn start_kiro(bin: &Path) -> anyhow::Result<ServerProcess> {
    start_kiro_on(bin, None).await
}

/// Spawns kiro-server on a free loopback port with a fresh data directory and,
/// when given, `--database-url` (e.g. a PostgreSQL database shared by several
/// processes) instead of the SQLite database inside the data directory.
pub async fn start_kiro_on(
    bin: &Path,
    database_url: Option<&str>,
) -> anyhow::Result<ServerProcess> {
    ServerProcess::start("kiro-server", bin, KIRO_READY_PREFIX, |data_dir| {
        let mut args = vec![
            "serve".to_owned(),
            "--listen".to_owned(),
            "127.0.0.1:0".to_owned(),
            "--data-dir".to_owned(),
            data_dir.display().to_string(),
        ];
        if let Some(url) = database_url {
            args.extend(["--database-url".to_owned(), url.to_owned()]);
        }
        args
    })
    .await
}

/// Spawns the hello-world baseline: this executable with `hello`.
pub async fn start_hello() -> anyhow::Result<ServerProcess> {
    let me = std::env::current_exe().context("locating the kiro-bench executable")?;
    ServerProcess::start("hello-world", &me, hello::READY_PREFIX, |_| {
        vec![
            "hello".to_owned(),
            "--listen".to_owned(),
            "127.0.0.1:0".to_owned(),
        ]
    })
    .await
}

/// A client for setup and polling: loopback only, no proxies.
pub fn setup_client() -> anyhow::Result<reqwest::Client> {
    reqwest::Client::builder()
        .no_proxy()
        .timeout(Duration::from_secs(10))
        .build()
        .context("building the HTTP client")
}

/// Polls `url` until it answers 200; returns when it did.
pub async fn wait_until_ok(
    client: &reqwest::Client,
    url: &str,
    deadline: Instant,
) -> anyhow::Result<Instant> {
    loop {
        let attempt = client.get(url).timeout(Duration::from_secs(1)).send().await;
        let now = Instant::now();
        let last = match attempt {
            Ok(resp) if resp.status() == reqwest::StatusCode::OK => return Ok(now),
            Ok(resp) => format!("status {}", resp.status()),
            Err(e) => e.to_string(),
        };
        if now >= deadline {
            bail!("{url} did not answer 200 before the deadline (last: {last})");
        }
        tokio::time::sleep(POLL_INTERVAL).await;
    }
}
