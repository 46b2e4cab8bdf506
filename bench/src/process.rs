//! A server running as a child process: spawn, wait for its "listening" line,
//! read its memory, stop it.
//!
//! The child gets a fresh temporary directory as its data directory. Its
//! output is drained into an [`OutputTail`] so logging never blocks it and a
//! failure can quote it. The child is killed on drop, so no process outlives
//! the benchmark, also on error paths; [`ServerProcess::stop`] is the graceful
//! way (SIGTERM, then SIGKILL after a grace period).

use std::path::Path;
use std::process::Stdio;
use std::time::Duration;

use anyhow::{Context, bail};
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::{Child, ChildStdout, Command};
use tokio::task::JoinHandle;
use tokio::time::{Instant, timeout, timeout_at};

use crate::output::OutputTail;

/// How long a child may take to print its ready line.
const START_DEADLINE: Duration = Duration::from_secs(30);
/// How long a child may take to exit after SIGTERM before it is killed.
const STOP_GRACE: Duration = Duration::from_secs(5);

/// A running server child process.
pub struct ServerProcess {
    name: String,
    child: Child,
    pid: u32,
    base_url: String,
    output: OutputTail,
    /// The data directory; removed after the child has exited.
    _data_dir: tempfile::TempDir,
}

impl ServerProcess {
    /// Creates a fresh data directory, spawns `program` with
    /// `args_for(data_dir)` and waits until it prints `ready_prefix` + URL.
    pub async fn start(
        name: &str,
        program: &Path,
        ready_prefix: &str,
        args_for: impl FnOnce(&Path) -> Vec<String>,
    ) -> anyhow::Result<Self> {
        let data_dir = tempfile::Builder::new()
            .prefix("kiro-bench-")
            .tempdir()
            .context("creating a temporary data directory")?;
        let mut child = Command::new(program)
            .args(args_for(data_dir.path()))
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .kill_on_drop(true)
            .spawn()
            .with_context(|| format!("starting {name} ({})", program.display()))?;
        let output = OutputTail::default();
        let stderr = child.stderr.take().context("stderr was not captured")?;
        let stderr_drain = output.drain(stderr);
        let stdout = child.stdout.take().context("stdout was not captured")?;
        let pid = child
            .id()
            .with_context(|| format!("{name} exited at once"))?;
        match read_ready_line(stdout, ready_prefix, &output).await {
            Ok(base_url) => Ok(Self {
                name: name.to_owned(),
                child,
                pid,
                base_url,
                output,
                _data_dir: data_dir,
            }),
            Err(reason) => {
                let status = exit_status(&mut child).await;
                let _ = timeout(Duration::from_secs(1), stderr_drain).await;
                let quoted = output
                    .last_lines()
                    .map(|t| format!("; its last output:\n{t}"))
                    .unwrap_or_default();
                bail!("{name} ({status}) {reason}{quoted}")
            }
        }
    }

    /// The name given at start, e.g. `kiro-server`.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// `http://127.0.0.1:PORT`, without a trailing slash.
    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// The last lines the child wrote to stdout or stderr, if any.
    pub fn last_output(&self) -> Option<String> {
        self.output.last_lines()
    }

    /// The child's resident set size in bytes (VmRSS from /proc/<pid>/status).
    pub fn rss_bytes(&self) -> anyhow::Result<u64> {
        let path = format!("/proc/{}/status", self.pid);
        let status = std::fs::read_to_string(&path).with_context(|| format!("reading {path}"))?;
        parse_vm_rss(&status).with_context(|| format!("no VmRSS line in {path}"))
    }

    /// The child's peak resident set size in bytes (VmHWM from /proc/<pid>/status).
    pub fn peak_rss_bytes(&self) -> anyhow::Result<u64> {
        let path = format!("/proc/{}/status", self.pid);
        let status = std::fs::read_to_string(&path).with_context(|| format!("reading {path}"))?;
        parse_status_kib(&status, "VmHWM:").with_context(|| format!("no VmHWM line in {path}"))
    }

    /// Sends SIGTERM, waits up to a grace period, then kills; the data
    /// directory is removed once the child has exited.
    pub async fn stop(mut self) -> anyhow::Result<()> {
        if let Ok(Some(_)) = self.child.try_wait() {
            return Ok(());
        }
        let signalled = Command::new("kill")
            .args(["-TERM", &self.pid.to_string()])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .await
            .is_ok_and(|status| status.success());
        let exited = signalled && timeout(STOP_GRACE, self.child.wait()).await.is_ok();
        if !exited {
            self.child
                .kill()
                .await
                .with_context(|| format!("killing {}", self.name))?;
        }
        Ok(())
    }
}

/// Runs `work` against `server`, then stops the server whatever the outcome;
/// a failure quotes the server's last output.
pub async fn stop_after<T>(
    server: ServerProcess,
    work: impl AsyncFnOnce(&ServerProcess) -> anyhow::Result<T>,
) -> anyhow::Result<T> {
    let outcome = work(&server).await.map_err(|e| match server.last_output() {
        Some(tail) => anyhow::anyhow!("{e:#}\n{}'s last output:\n{tail}", server.name()),
        None => e,
    });
    let stopped = server.stop().await;
    let value = outcome?;
    stopped?;
    Ok(value)
}

/// Reads stdout until `prefix` + URL and returns the URL; keeps draining
/// stdout in the background afterwards. The error is a reason phrase.
async fn read_ready_line(
    stdout: ChildStdout,
    prefix: &str,
    output: &OutputTail,
) -> Result<String, String> {
    let mut lines = BufReader::new(stdout).lines();
    let deadline = Instant::now() + START_DEADLINE;
    loop {
        let line = match timeout_at(deadline, lines.next_line()).await {
            Err(_) => {
                let secs = START_DEADLINE.as_secs();
                return Err(format!("printed no `{prefix}…` line within {secs}s"));
            }
            Ok(Err(e)) => return Err(format!("stdout could not be read: {e}")),
            Ok(Ok(None)) => return Err(format!("closed stdout before printing `{prefix}…`")),
            Ok(Ok(Some(line))) => line,
        };
        output.push(line.as_bytes());
        output.push(b"\n");
        if let Some(url) = line.trim().strip_prefix(prefix) {
            let _drain: JoinHandle<()> = output.drain(lines.into_inner());
            return Ok(url.trim_end_matches('/').to_owned());
        }
    }
}

async fn exit_status(child: &mut Child) -> String {
    match timeout(Duration::from_secs(1), child.wait()).await {
        Ok(Ok(status)) => status.to_string(),
        Ok(Err(e)) => format!("status unknown: {e}"),
        Err(_) => "still running".to_owned(),
    }
}

/// Extracts VmRSS (reported in kB) from the text of /proc/<pid>/status.
fn parse_vm_rss(status: &str) -> Option<u64> {
    parse_status_kib(status, "VmRSS:")
}

/// A `kB` line of /proc/<pid>/status, in bytes.
fn parse_status_kib(status: &str, key: &str) -> Option<u64> {
    let line = status.lines().find(|l| l.starts_with(key))?;
    let kib: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib * 1024)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vm_rss_is_read_in_bytes() {
        let status = "Name:\tkiro\nVmPeak:\t  9000 kB\nVmRSS:\t   12345 kB\nThreads:\t3\n";
        assert_eq!(parse_vm_rss(status), Some(12345 * 1024));
        assert_eq!(parse_vm_rss("Name:\tkiro\n"), None);
    }
}
