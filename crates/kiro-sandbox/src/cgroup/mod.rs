//! Per-job cgroups for memory, process count and total CPU, on cgroup v1 (a directory per
//! controller) or v2 (one unified directory).
//!
//! Job cgroups are created below the engine's own cgroup in each hierarchy (on these machines
//! the memory cgroup of the server is a nested path; creating siblings elsewhere would escape
//! the limits the host put on the server). The helper joins them before it unshares its cgroup
//! namespace, so the payload sees its job cgroup as the root.

mod discover;
mod v1;
mod v2;

use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use nix::sys::signal::{Signal, kill};
use nix::unistd::Pid;
use serde::{Deserialize, Serialize};

pub use discover::discover;

use crate::usage::CgroupUsage;

/// Which cgroup interface the host offers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Version {
    V1,
    V2,
}

/// Where job cgroups go: the engine's parent directories, found once at start.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CgroupRoot {
    /// v1: a parent directory per controller.
    V1 {
        memory: PathBuf,
        pids: PathBuf,
        cpuacct: PathBuf,
    },
    /// v2: one parent directory whose subtree has memory, pids and cpu enabled.
    V2 { parent: PathBuf },
}

/// The limits a job cgroup enforces.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CgroupLimits {
    pub memory_bytes: u64,
    pub processes: u32,
}

impl CgroupRoot {
    pub fn version(&self) -> Version {
        match self {
            CgroupRoot::V1 { .. } => Version::V1,
            CgroupRoot::V2 { .. } => Version::V2,
        }
    }

    /// The parent directories, for the capabilities report.
    pub fn parents(&self) -> Vec<PathBuf> {
        match self {
            CgroupRoot::V1 {
                memory,
                pids,
                cpuacct,
            } => vec![memory.clone(), pids.clone(), cpuacct.clone()],
            CgroupRoot::V2 { parent } => vec![parent.clone()],
        }
    }

    /// Creates the cgroups of job `name` with `limits`. On failure nothing is left behind.
    pub fn create(&self, name: &str, limits: CgroupLimits) -> io::Result<JobCgroup> {
        let job = match self {
            CgroupRoot::V1 {
                memory,
                pids,
                cpuacct,
            } => JobCgroup {
                version: Version::V1,
                dirs: vec![memory.join(name), pids.join(name), cpuacct.join(name)],
            },
            CgroupRoot::V2 { parent } => JobCgroup {
                version: Version::V2,
                dirs: vec![parent.join(name)],
            },
        };
        for dir in &job.dirs {
            if let Err(error) = fs::create_dir(dir) {
                job.remove_dirs();
                return Err(error);
            }
        }
        let applied = match job.version {
            Version::V1 => v1::apply(&job.dirs, limits),
            Version::V2 => v2::apply(&job.dirs[0], limits),
        };
        if let Err(error) = applied {
            job.remove_dirs();
            return Err(error);
        }
        Ok(job)
    }
}

/// One job's cgroups: joined by the helper, polled by the supervisor, removed afterwards.
#[derive(Debug)]
pub struct JobCgroup {
    version: Version,
    /// v1: memory, pids, cpuacct; v2: the one directory.
    dirs: Vec<PathBuf>,
}

impl JobCgroup {
    /// A cgroup below this one (a container's `init` or one `exec`), with its own limits
    /// when given (the parent's still apply to it).
    pub fn child(&self, name: &str, limits: Option<CgroupLimits>) -> io::Result<JobCgroup> {
        if self.version == Version::V2 {
            write(
                &self.dirs[0].join("cgroup.subtree_control"),
                "+memory +pids +cpu",
            )?;
        }
        let child = JobCgroup {
            version: self.version,
            dirs: self.dirs.iter().map(|d| d.join(name)).collect(),
        };
        for dir in &child.dirs {
            fs::create_dir(dir)?;
        }
        if let Some(limits) = limits {
            match child.version {
                Version::V1 => v1::apply(&child.dirs, limits)?,
                Version::V2 => v2::apply(&child.dirs[0], limits)?,
            }
        }
        Ok(child)
    }

    /// Directories whose `cgroup.procs` the helper writes its pid to.
    pub fn join_dirs(&self) -> &[PathBuf] {
        &self.dirs
    }

    /// Total CPU time of every process in the job so far, microseconds.
    pub fn cpu_time_us(&self) -> Option<u64> {
        match self.version {
            Version::V1 => v1::cpu_time_us(&self.dirs[2]),
            Version::V2 => v2::cpu_stat(&self.dirs[0]).map(|s| s.0),
        }
    }

    /// What the job used and which limits it hit.
    pub fn usage(&self) -> CgroupUsage {
        match self.version {
            Version::V1 => v1::usage(&self.dirs[0], &self.dirs[1], &self.dirs[2]),
            Version::V2 => v2::usage(&self.dirs[0]),
        }
    }

    /// Pids of the processes in the job (from the process-count controller).
    pub fn pids(&self) -> Vec<i32> {
        let dir = match self.version {
            Version::V1 => &self.dirs[1],
            Version::V2 => &self.dirs[0],
        };
        read_pids(dir)
    }

    /// SIGKILLs every process in the job, repeatedly until none is left (a fork bomb may
    /// still fork while the first round is killed) or `within` has passed.
    pub fn kill_all(&self, within: Duration) -> bool {
        if self.version == Version::V2 && v2::kill(&self.dirs[0]).is_ok() {
            return self.wait_empty(within);
        }
        let deadline = Instant::now() + within;
        loop {
            let pids = self.pids();
            if pids.is_empty() {
                return true;
            }
            for pid in pids {
                let _ = kill(Pid::from_raw(pid), Signal::SIGKILL);
            }
            if Instant::now() >= deadline {
                return self.pids().is_empty();
            }
            std::thread::sleep(Duration::from_micros(200));
        }
    }

    /// Waits (bounded) until the processes have left the cgroup.
    fn wait_empty(&self, within: Duration) -> bool {
        let deadline = Instant::now() + within;
        while !self.pids().is_empty() {
            if Instant::now() >= deadline {
                return false;
            }
            std::thread::sleep(Duration::from_micros(200));
        }
        true
    }

    /// Kills what is left and removes the directories (what dropping it does).
    pub fn remove(self) {
        drop(self);
    }

    fn remove_dirs(&self) {
        for dir in &self.dirs {
            // A process that has just exited may still be leaving the cgroup: try a few times.
            for _ in 0..50 {
                match fs::remove_dir(dir) {
                    Ok(()) => break,
                    Err(e) if e.kind() == io::ErrorKind::NotFound => break,
                    Err(_) => std::thread::sleep(Duration::from_millis(1)),
                }
            }
        }
    }
}

impl Drop for JobCgroup {
    fn drop(&mut self) {
        if !self.pids().is_empty() {
            self.kill_all(Duration::from_secs(5));
        }
        self.remove_dirs();
    }
}

fn read_pids(dir: &Path) -> Vec<i32> {
    fs::read_to_string(dir.join("cgroup.procs"))
        .map(|text| text.lines().filter_map(|l| l.trim().parse().ok()).collect())
        .unwrap_or_default()
}

/// Reads one integer file (`memory.max_usage_in_bytes`).
fn read_u64(path: &Path) -> Option<u64> {
    fs::read_to_string(path).ok()?.trim().parse().ok()
}

/// Reads `key value` lines (`memory.events`, `cpu.stat`) and returns the value of `key`.
fn read_key(path: &Path, key: &str) -> Option<u64> {
    let text = fs::read_to_string(path).ok()?;
    text.lines().find_map(|line| {
        let (k, v) = line.split_once(' ')?;
        (k == key).then(|| v.trim().parse().ok()).flatten()
    })
}

fn write(path: &Path, value: &str) -> io::Result<()> {
    fs::write(path, value).map_err(|e| io::Error::new(e.kind(), format!("{}: {e}", path.display())))
}
