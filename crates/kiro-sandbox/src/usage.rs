//! Resource usage of a run and where each figure came from: the pid-1 init's `wait4` of the
//! payload, the job's cgroup (all its processes), or the supervisor's clock.

use serde::{Deserialize, Serialize};

/// Who measured a figure.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Source {
    /// The sandbox's init process: its clock around the payload and `wait4`'s rusage (the
    /// payload and the descendants it waited for).
    Init,
    /// The job's cgroup: every process of the run together.
    Cgroup,
    /// The supervisor: its clock from spawning the sandbox to its exit (includes setup).
    Supervisor,
    /// `wait4` in the supervisor on the payload itself (isolation `none`).
    Rusage,
    /// Not measured under this isolation.
    Unavailable,
}

/// Where each figure of a [`ResourceUsage`] came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct UsageSources {
    pub wall_time: Source,
    pub cpu_time: Source,
    pub peak_memory: Source,
}

/// What a run used.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ResourceUsage {
    /// Wall-clock time, microseconds.
    pub wall_time_us: u64,
    /// User CPU time, microseconds.
    pub user_time_us: u64,
    /// System CPU time, microseconds.
    pub system_time_us: u64,
    /// Peak memory, bytes (0 when unavailable).
    pub peak_memory_bytes: u64,
    pub sources: UsageSources,
}

impl ResourceUsage {
    /// User plus system CPU time, microseconds.
    pub fn cpu_time_us(&self) -> u64 {
        self.user_time_us.saturating_add(self.system_time_us)
    }
}

/// The rusage figures the init (or supervisor) reads from `wait4`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rusage {
    pub user_time_us: u64,
    pub system_time_us: u64,
    /// `ru_maxrss` in bytes: the largest resident set of one process.
    pub max_rss_bytes: u64,
}

/// What a job's cgroup measured.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CgroupUsage {
    pub cpu_time_us: Option<u64>,
    pub user_time_us: Option<u64>,
    pub system_time_us: Option<u64>,
    pub peak_memory_bytes: Option<u64>,
    /// Processes the kernel's OOM killer ended in this cgroup.
    pub oom_kills: u64,
    /// Times a fork failed because the process limit was reached.
    pub pids_limit_hits: u64,
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    #[test]
    fn usage_serialises_in_camel_case_with_sources() {
        let usage = ResourceUsage {
            wall_time_us: 1,
            user_time_us: 2,
            system_time_us: 3,
            peak_memory_bytes: 4,
            sources: UsageSources {
                wall_time: Source::Init,
                cpu_time: Source::Cgroup,
                peak_memory: Source::Cgroup,
            },
        };
        let json = serde_json::to_value(usage).unwrap();
        assert_eq!(json["peakMemoryBytes"], 4);
        assert_eq!(json["sources"]["cpuTime"], "cgroup");
        assert_eq!(usage.cpu_time_us(), 5);
    }
}
