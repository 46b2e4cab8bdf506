//! cgroup v2: one unified directory with the memory, pids and cpu controllers enabled.

use std::io;
use std::path::Path;

use super::{CgroupLimits, read_key, read_u64, write};
use crate::usage::CgroupUsage;

/// Writes the limits into a freshly created job directory.
pub fn apply(dir: &Path, limits: CgroupLimits) -> io::Result<()> {
    write(&dir.join("memory.max"), &limits.memory_bytes.to_string())?;
    let swap = dir.join("memory.swap.max");
    if swap.exists() {
        write(&swap, "0")?;
    }
    write(&dir.join("pids.max"), &limits.processes.to_string())?;
    Ok(())
}

/// `(usage, user, system)` from `cpu.stat`, microseconds.
pub fn cpu_stat(dir: &Path) -> Option<(u64, u64, u64)> {
    let stat = dir.join("cpu.stat");
    Some((
        read_key(&stat, "usage_usec")?,
        read_key(&stat, "user_usec")?,
        read_key(&stat, "system_usec")?,
    ))
}

pub fn usage(dir: &Path) -> CgroupUsage {
    let cpu = cpu_stat(dir);
    CgroupUsage {
        cpu_time_us: cpu.map(|c| c.0),
        user_time_us: cpu.map(|c| c.1),
        system_time_us: cpu.map(|c| c.2),
        // memory.peak exists from Linux 5.19.
        peak_memory_bytes: read_u64(&dir.join("memory.peak")),
        oom_kills: read_key(&dir.join("memory.events"), "oom_kill").unwrap_or(0),
        pids_limit_hits: read_key(&dir.join("pids.events"), "max").unwrap_or(0),
    }
}

/// Kills every process in the cgroup at once (`cgroup.kill`, Linux 5.14).
pub fn kill(dir: &Path) -> io::Result<()> {
    write(&dir.join("cgroup.kill"), "1")
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use std::fs;

    use super::*;

    #[test]
    fn usage_and_limits_use_the_unified_files() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        fs::write(d.join("memory.max"), "max\n").unwrap();
        fs::write(d.join("pids.max"), "max\n").unwrap();
        apply(
            d,
            CgroupLimits {
                memory_bytes: 1 << 20,
                processes: 7,
            },
        )
        .unwrap();
        assert_eq!(fs::read_to_string(d.join("memory.max")).unwrap(), "1048576");
        assert_eq!(fs::read_to_string(d.join("pids.max")).unwrap(), "7");
        fs::write(
            d.join("cpu.stat"),
            "usage_usec 900\nuser_usec 600\nsystem_usec 300\n",
        )
        .unwrap();
        fs::write(d.join("memory.peak"), "8192\n").unwrap();
        fs::write(
            d.join("memory.events"),
            "low 0\nhigh 0\nmax 3\noom 1\noom_kill 1\n",
        )
        .unwrap();
        let usage = usage(d);
        assert_eq!(usage.cpu_time_us, Some(900));
        assert_eq!(usage.user_time_us, Some(600));
        assert_eq!(usage.peak_memory_bytes, Some(8192));
        assert_eq!(usage.oom_kills, 1);
        assert_eq!(usage.pids_limit_hits, 0);
    }
}
