//! `[execution]`: the sandboxed code runner — how many runs at once, how long the job queue
//! may grow, the isolation to insist on, the longest synchronous wait, what becomes of
//! interrupted jobs, how much output a job keeps — and its checks.

use serde::{Deserialize, Serialize};

/// The `[execution]` section.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ExecutionConfig {
    /// Runs at once (synchronous runs and job workers share them); each has its own uid.
    pub workers: u32,
    /// Jobs waiting at most; a submission beyond it gets 503 with `Retry-After`.
    pub queue_capacity: u32,
    /// `""` (the best the host offers: native, else bubblewrap), `native`, `bubblewrap`, or
    /// `none` (runs code unsandboxed: only when set explicitly).
    pub isolation: String,
    /// The longest a synchronous run (waiting for a worker included) may take, seconds.
    pub max_wait_secs: u64,
    /// The `kiro-sandbox-init` helper; empty means beside the server's executable.
    pub helper: String,
    /// The largest program source accepted, bytes.
    pub max_source_bytes: u64,
    /// The uid of the first worker slot (slots use `first_uid..first_uid + workers`).
    pub first_uid: u32,
    /// Whether a job whose server stopped (or died) while running it goes back to the queue;
    /// when not, it fails saying so.
    pub retry_interrupted: bool,
    /// The most output of one job kept in its log, bytes; more is dropped (and marked).
    pub max_log_bytes: u64,
}

impl Default for ExecutionConfig {
    fn default() -> Self {
        Self {
            workers: 2,
            queue_capacity: 100,
            isolation: String::new(),
            max_wait_secs: 30,
            helper: String::new(),
            max_source_bytes: 262_144,
            first_uid: 61_000,
            retry_interrupted: false,
            max_log_bytes: 1024 * 1024,
        }
    }
}

/// The isolation names `[execution] isolation` accepts.
pub const ISOLATIONS: [&str; 4] = ["", "native", "bubblewrap", "none"];

/// Checks the section; `Err((key, message))` names the first bad key.
pub(crate) fn check(e: &ExecutionConfig) -> Result<(), (&'static str, String)> {
    if !ISOLATIONS.contains(&e.isolation.as_str()) {
        return Err((
            "execution.isolation",
            format!(
                "`{}` is not one of \"\" (automatic), native, bubblewrap, none",
                e.isolation
            ),
        ));
    }
    let ranges: [(&'static str, u64, u64, u64); 6] = [
        ("execution.workers", u64::from(e.workers), 1, 256),
        (
            "execution.queue_capacity",
            u64::from(e.queue_capacity),
            1,
            1_000_000,
        ),
        ("execution.max_wait_secs", e.max_wait_secs, 1, 3600),
        (
            "execution.max_source_bytes",
            e.max_source_bytes,
            1,
            16 * 1024 * 1024,
        ),
        (
            "execution.max_log_bytes",
            e.max_log_bytes,
            1024,
            256 * 1024 * 1024,
        ),
        (
            "execution.first_uid",
            u64::from(e.first_uid),
            1000,
            4_000_000_000,
        ),
    ];
    for (key, value, min, max) in ranges {
        if value < min || value > max {
            return Err((key, format!("`{value}` is out of range ({min} to {max})")));
        }
    }
    Ok(())
}
