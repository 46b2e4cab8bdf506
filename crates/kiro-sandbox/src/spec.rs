//! The contract between the supervisor and the `kiro-sandbox-init` helper: the launch spec
//! (one JSON argument) that says what to build and run, and the report (a JSON file the
//! helper writes) that says how the payload ended and what it used.
//!
//! Both sides are this crate, so the format is private; it only has to round-trip.

use std::path::PathBuf;

use serde::{Deserialize, Serialize};

use crate::usage::Rusage;

/// What the helper does.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Mode {
    /// Native one-shot run: namespaces, pid-1 init, root, payload; report when it ends.
    Run,
    /// Native container: namespaces, pid-1 init and root, then idle (reaping) until killed.
    /// Prints `ready <host pid of the init>` on stdout once the root is built.
    ContainerInit,
    /// Enter a native container's namespaces (`enter_pid`) and run the payload there.
    ContainerExec,
    /// Launch bubblewrap (after dropping privileges when root) with `Inner` inside it.
    Bubblewrap,
    /// Inside bubblewrap: confine and run the payload, report through `report_fd`.
    Inner,
    /// Run the payload directly with rlimits only (isolation `none`).
    Unconfined,
    /// Be a reaping pid-1 that does nothing else (runc containers' init).
    Idle,
}

/// A read-only (or writable) bind into the sandbox's root.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Bind {
    pub source: PathBuf,
    pub target: PathBuf,
    pub writable: bool,
}

/// How the native root is built.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RootSpec {
    /// An empty host directory the root tmpfs is mounted on (inside the job's mount namespace).
    pub mount_point: PathBuf,
    /// Runtime paths and system directories, bound read-only.
    pub binds: Vec<Bind>,
    /// Host directory bound writable at `/work`.
    pub work: PathBuf,
    /// Size of the `/tmp` tmpfs, bytes.
    pub tmp_bytes: u64,
    /// Whether to keep the host's network namespace (an allowlist) instead of a new empty one.
    pub share_network: bool,
    /// The uid (and gid) named `sandbox` in the generated `/etc/passwd`.
    pub uid: u32,
}

/// rlimits set on the payload as a backstop behind cgroups and the supervisor.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rlimits {
    pub cpu_seconds: u64,
    pub file_size_bytes: u64,
    /// `RLIMIT_NPROC`; 0 leaves it alone (it counts every process of the uid on the host).
    pub processes: u64,
    pub open_files: u64,
    /// `RLIMIT_DATA`, only when no cgroup limits memory.
    pub data_bytes: Option<u64>,
}

/// The program to run and how to confine it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PayloadSpec {
    pub argv: Vec<String>,
    pub env: Vec<(String, String)>,
    pub cwd: PathBuf,
    /// The per-slot (or per-container) unprivileged uid and gid; `None` keeps the caller's.
    pub uid: Option<u32>,
    pub rlimits: Rlimits,
    /// Paths the payload may write below (landlock); everything else is read-only.
    pub writable: Vec<PathBuf>,
    /// `Some(ports)`: the host network is shared and landlock allows TCP connect only to these.
    pub tcp_connect_ports: Option<Vec<u16>>,
    /// Apply landlock and seccomp (always, except under isolation `none`).
    pub confine: bool,
}

/// Everything the helper needs, passed as one JSON argument.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LaunchSpec {
    pub mode: Mode,
    /// Cgroup directories the helper joins before anything else.
    pub cgroups: Vec<PathBuf>,
    /// Host path of the report file (not visible inside the sandbox).
    pub report: Option<PathBuf>,
    /// Inherited descriptor to write the report to (`Inner` mode).
    pub report_fd: Option<i32>,
    pub root: Option<RootSpec>,
    pub payload: Option<PayloadSpec>,
    /// The host pid of a native container's init (`ContainerExec`).
    pub enter_pid: Option<i32>,
    /// The bubblewrap binary and its arguments before `--` (`Bubblewrap` mode).
    pub bwrap: Option<Vec<String>>,
}

/// How the payload ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Exit {
    Code(i32),
    Signal(i32),
}

/// What the helper writes when the payload has ended (or could not start).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Report {
    pub exit: Option<Exit>,
    pub rusage: Rusage,
    /// The init's clock from starting the payload to reaping it, microseconds.
    pub wall_us: u64,
    /// Set when the sandbox could not be built or the payload could not be executed.
    pub error: Option<String>,
}

impl Report {
    pub fn failed(error: String) -> Report {
        Report {
            exit: None,
            rusage: Rusage::default(),
            wall_us: 0,
            error: Some(error),
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    #[test]
    fn a_spec_round_trips_through_json() {
        let spec = LaunchSpec {
            mode: Mode::Run,
            cgroups: vec!["/sys/fs/cgroup/pids/job".into()],
            report: Some("/state/jobs/1/report".into()),
            report_fd: None,
            root: None,
            payload: Some(PayloadSpec {
                argv: vec!["python3".into(), "-c".into(), "pass".into()],
                env: vec![("PATH".into(), "/usr/bin".into())],
                cwd: "/work".into(),
                uid: Some(60001),
                rlimits: Rlimits {
                    cpu_seconds: 3,
                    file_size_bytes: 1 << 20,
                    processes: 32,
                    open_files: 256,
                    data_bytes: None,
                },
                writable: vec!["/work".into(), "/tmp".into()],
                tcp_connect_ports: None,
                confine: true,
            }),
            enter_pid: None,
            bwrap: None,
        };
        let json = serde_json::to_string(&spec).unwrap();
        assert_eq!(serde_json::from_str::<LaunchSpec>(&json).unwrap(), spec);
    }
}
