//! cgroup v1: the memory, pids and cpuacct controllers, each in its own hierarchy.

use std::io;
use std::path::{Path, PathBuf};

use super::{CgroupLimits, read_key, read_u64, write};
use crate::usage::CgroupUsage;

/// `USER_HZ`: the unit of `cpuacct.stat` (fixed at 100 on Linux).
const TICK_US: u64 = 10_000;

/// Writes the limits into freshly created `[memory, pids, cpuacct]` directories.
pub fn apply(dirs: &[PathBuf], limits: CgroupLimits) -> io::Result<()> {
    let memory = &dirs[0];
    let bytes = limits.memory_bytes.to_string();
    write(&memory.join("memory.limit_in_bytes"), &bytes)?;
    // With swap accounting the limit must cover memory + swap too, or the job swaps instead
    // of being stopped.
    let memsw = memory.join("memory.memsw.limit_in_bytes");
    if memsw.exists() {
        write(&memsw, &bytes)?;
    }
    write(&dirs[1].join("pids.max"), &limits.processes.to_string())?;
    Ok(())
}

/// `cpuacct.usage` (nanoseconds) in microseconds.
pub fn cpu_time_us(cpuacct: &Path) -> Option<u64> {
    read_u64(&cpuacct.join("cpuacct.usage")).map(|ns| ns / 1_000)
}

pub fn usage(memory: &Path, pids: &Path, cpuacct: &Path) -> CgroupUsage {
    let stat = cpuacct.join("cpuacct.stat");
    CgroupUsage {
        cpu_time_us: cpu_time_us(cpuacct),
        user_time_us: read_key(&stat, "user").map(|t| t * TICK_US),
        system_time_us: read_key(&stat, "system").map(|t| t * TICK_US),
        peak_memory_bytes: read_u64(&memory.join("memory.max_usage_in_bytes")),
        oom_kills: read_key(&memory.join("memory.oom_control"), "oom_kill").unwrap_or(0),
        pids_limit_hits: read_key(&pids.join("pids.events"), "max").unwrap_or(0),
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use std::fs;

    use super::*;

    #[test]
    fn usage_is_read_from_the_controller_files() {
        let dir = tempfile::tempdir().unwrap();
        let (m, p, c) = (
            dir.path().join("m"),
            dir.path().join("p"),
            dir.path().join("c"),
        );
        for d in [&m, &p, &c] {
            fs::create_dir(d).unwrap();
        }
        fs::write(c.join("cpuacct.usage"), "2500000\n").unwrap();
        fs::write(c.join("cpuacct.stat"), "user 3\nsystem 1\n").unwrap();
        fs::write(m.join("memory.max_usage_in_bytes"), "4096\n").unwrap();
        fs::write(
            m.join("memory.oom_control"),
            "oom_kill_disable 0\nunder_oom 0\noom_kill 2\n",
        )
        .unwrap();
        fs::write(p.join("pids.events"), "max 5\n").unwrap();
        let usage = usage(&m, &p, &c);
        assert_eq!(usage.cpu_time_us, Some(2500));
        assert_eq!(usage.user_time_us, Some(30_000));
        assert_eq!(usage.system_time_us, Some(10_000));
        assert_eq!(usage.peak_memory_bytes, Some(4096));
        assert_eq!(usage.oom_kills, 2);
        assert_eq!(usage.pids_limit_hits, 5);
    }
}
