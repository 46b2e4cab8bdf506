//! One run's result: its verdict, decided in the fixed precedence from what the supervisor
//! saw, what the init reported and what the cgroup measured; its output; and its resource
//! usage with the source of each figure.

use nix::sys::signal::Signal;
use serde::{Deserialize, Serialize};

use crate::isolation::Isolation;
use crate::limits::Limits;
use crate::spec::Exit;
use crate::supervisor::{Kill, Supervised};
use crate::usage::{CgroupUsage, ResourceUsage, Source, UsageSources};
use crate::verdict::{TimeLimit, Verdict, signal_name};

/// A peak this close to the memory limit, with a SIGKILL, is the OOM killer even when the
/// kernel does not count OOM kills.
const OOM_MARGIN: u64 = 1024 * 1024;

/// The result of one sandboxed run.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RunOutcome {
    pub verdict: Verdict,
    /// The exit status, when the program exited by itself.
    pub exit_code: Option<i32>,
    /// The signal that ended it (`SIGKILL` for the sandbox's own kills too).
    pub signal: Option<String>,
    pub stdout: String,
    pub stderr: String,
    /// More output was written than the limit kept.
    pub output_truncated: bool,
    pub usage: ResourceUsage,
    pub isolation: Isolation,
    pub limits: Limits,
}

/// Decides the outcome of a supervised run.
pub fn decide(
    seen: Supervised,
    cgroup: Option<CgroupUsage>,
    limits: Limits,
    isolation: Isolation,
) -> RunOutcome {
    let exit = seen.report.as_ref().and_then(|r| r.exit);
    let usage = usage(&seen, cgroup.as_ref());
    let cpu_over = cgroup
        .and_then(|c| c.cpu_time_us)
        .is_some_and(|us| us > limits.cpu_time_ms * 1000);
    let oom = cgroup.is_some_and(|c| c.oom_kills > 0)
        || (exit == Some(Exit::Signal(Signal::SIGKILL as i32))
            && usage.peak_memory_bytes + OOM_MARGIN >= limits.memory_bytes);
    let verdict = if let Some(error) = seen.report.as_ref().and_then(|r| r.error.clone()) {
        Verdict::InternalError { message: error }
    } else if seen.killed == Some(Kill::Cancelled) {
        Verdict::InternalError {
            message: "the run was cancelled".into(),
        }
    } else if seen.killed == Some(Kill::Wall) {
        Verdict::TimeLimitExceeded {
            limit: TimeLimit::Wall,
        }
    } else if seen.killed == Some(Kill::Cpu)
        || cpu_over
        || exit == Some(Exit::Signal(Signal::SIGXCPU as i32))
    {
        Verdict::TimeLimitExceeded {
            limit: TimeLimit::Cpu,
        }
    } else if oom {
        Verdict::MemoryLimitExceeded
    } else if seen.killed == Some(Kill::Output) {
        Verdict::OutputLimitExceeded
    } else {
        match exit {
            Some(Exit::Signal(signal)) => Verdict::signalled(signal),
            Some(Exit::Code(0)) => Verdict::Accepted,
            Some(Exit::Code(code)) => Verdict::NonZeroExit { exit_code: code },
            None => Verdict::InternalError {
                message: match seen.helper {
                    Some(status) => format!("the sandbox helper ended ({status}) without a report"),
                    None => "the sandbox helper did not end".into(),
                },
            },
        }
    };
    let (exit_code, signal) = match (exit, seen.killed) {
        (_, Some(_)) => (None, Some(signal_name(Signal::SIGKILL as i32))),
        (Some(Exit::Code(code)), None) => (Some(code), None),
        (Some(Exit::Signal(signal)), None) => (None, Some(signal_name(signal))),
        (None, None) => (None, None),
    };
    RunOutcome {
        verdict,
        exit_code,
        signal,
        stdout: String::from_utf8_lossy(&seen.capture.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&seen.capture.stderr).into_owned(),
        output_truncated: seen.capture.exceeded,
        usage,
        isolation,
        limits,
    }
}

/// The outcome of an external command that reports only its exit status (`runc exec`):
/// wall time from the supervisor, CPU and memory unavailable.
pub fn decide_external(
    mut seen: Supervised,
    exit: Option<Exit>,
    limits: Limits,
    isolation: Isolation,
) -> RunOutcome {
    if seen.killed.is_none() {
        seen.report = Some(crate::spec::Report {
            exit,
            rusage: crate::usage::Rusage::default(),
            wall_us: micros(seen.wall),
            error: exit
                .is_none()
                .then(|| "the command ended without an exit status".to_owned()),
        });
    }
    let mut outcome = decide(seen, None, limits, isolation);
    outcome.usage.sources = UsageSources {
        wall_time: Source::Supervisor,
        cpu_time: Source::Unavailable,
        peak_memory: Source::Unavailable,
    };
    outcome.usage.user_time_us = 0;
    outcome.usage.system_time_us = 0;
    outcome.usage.peak_memory_bytes = 0;
    outcome
}

fn micros(duration: std::time::Duration) -> u64 {
    u64::try_from(duration.as_micros()).unwrap_or(u64::MAX)
}

/// Wall time from the init when it saw the payload end, else the supervisor; CPU from the
/// cgroup when it counted more than `wait4` did (orphans the payload never waited for), else
/// from the init; peak memory from the cgroup, else the largest process's `ru_maxrss`.
fn usage(seen: &Supervised, cgroup: Option<&CgroupUsage>) -> ResourceUsage {
    let report = seen.report.as_ref().filter(|r| r.exit.is_some());
    let (wall_time_us, wall_source) = match report {
        Some(r) => (r.wall_us, Source::Init),
        None => (micros(seen.wall), Source::Supervisor),
    };
    let init_cpu = report.map(|r| (r.rusage.user_time_us, r.rusage.system_time_us));
    let cgroup_cpu =
        cgroup.and_then(|c| Some((c.user_time_us?, c.system_time_us?, c.cpu_time_us?)));
    let ((user, system), cpu_source) = match (init_cpu, cgroup_cpu) {
        (Some((u, s)), Some((_, _, total))) if u + s >= total => ((u, s), Source::Init),
        (_, Some((u, s, total))) => (split(u, s, total), Source::Cgroup),
        (Some(init), None) => (init, Source::Init),
        (None, None) => ((0, 0), Source::Unavailable),
    };
    let (peak, peak_source) = match (cgroup.and_then(|c| c.peak_memory_bytes), report) {
        (Some(peak), _) => (peak, Source::Cgroup),
        (None, Some(r)) => (r.rusage.max_rss_bytes, Source::Init),
        (None, None) => (0, Source::Unavailable),
    };
    ResourceUsage {
        wall_time_us,
        user_time_us: user,
        system_time_us: system,
        peak_memory_bytes: peak,
        sources: UsageSources {
            wall_time: wall_source,
            cpu_time: cpu_source,
            peak_memory: peak_source,
        },
    }
}

/// Splits an exact `total` in the proportion of tick-granular user and system times.
fn split(user: u64, system: u64, total: u64) -> (u64, u64) {
    if user + system == 0 {
        return (total, 0);
    }
    let user_part = (u128::from(total) * u128::from(user) / u128::from(user + system)) as u64;
    (user_part, total - user_part)
}

#[cfg(test)]
mod tests;
