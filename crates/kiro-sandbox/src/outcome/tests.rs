#![allow(clippy::unwrap_used)]

use std::time::Duration;

use super::*;
use crate::output::Capture;
use crate::spec::Report;
use crate::usage::Rusage;

fn seen(exit: Option<Exit>, killed: Option<Kill>) -> Supervised {
    Supervised {
        capture: Capture::new(10),
        killed,
        wall: Duration::from_millis(30),
        report: exit.map(|exit| Report {
            exit: Some(exit),
            rusage: Rusage {
                user_time_us: 1_000,
                system_time_us: 500,
                max_rss_bytes: 4096,
            },
            wall_us: 20_000,
            error: None,
        }),
        helper: None,
    }
}

fn cgroup(cpu_us: u64, peak: u64, oom_kills: u64) -> Option<CgroupUsage> {
    Some(CgroupUsage {
        cpu_time_us: Some(cpu_us),
        user_time_us: Some(0),
        system_time_us: Some(0),
        peak_memory_bytes: Some(peak),
        oom_kills,
        pids_limit_hits: 0,
    })
}

fn verdict(seen: Supervised, cgroup: Option<CgroupUsage>) -> Verdict {
    decide(seen, cgroup, Limits::DEFAULT, Isolation::Native).verdict
}

#[test]
fn a_clean_exit_is_accepted_and_a_failing_one_is_nzec() {
    assert_eq!(
        verdict(seen(Some(Exit::Code(0)), None), cgroup(1, 1, 0)),
        Verdict::Accepted
    );
    assert_eq!(
        verdict(seen(Some(Exit::Code(3)), None), cgroup(1, 1, 0)),
        Verdict::NonZeroExit { exit_code: 3 }
    );
    assert_eq!(
        verdict(seen(Some(Exit::Signal(11)), None), None),
        Verdict::signalled(11)
    );
}

#[test]
fn an_oom_kill_is_memory_not_a_runtime_error() {
    let sigkill = Some(Exit::Signal(9));
    assert_eq!(
        verdict(seen(sigkill, None), cgroup(1, 1, 1)),
        Verdict::MemoryLimitExceeded
    );
    let at_limit = cgroup(1, Limits::DEFAULT.memory_bytes, 0);
    assert_eq!(
        verdict(seen(sigkill, None), at_limit),
        Verdict::MemoryLimitExceeded
    );
}

#[test]
fn limits_the_supervisor_enforced_win_over_what_followed() {
    let wall = seen(None, Some(Kill::Wall));
    assert_eq!(
        verdict(wall, cgroup(1, 1, 1)),
        Verdict::TimeLimitExceeded {
            limit: TimeLimit::Wall
        }
    );
    let output = seen(None, Some(Kill::Output));
    assert_eq!(
        verdict(output, cgroup(1, 1, 0)),
        Verdict::OutputLimitExceeded
    );
    let over = cgroup(Limits::DEFAULT.cpu_time_ms * 1000 + 1, 1, 0);
    assert_eq!(
        verdict(seen(Some(Exit::Signal(9)), None), over),
        Verdict::TimeLimitExceeded {
            limit: TimeLimit::Cpu
        }
    );
}

#[test]
fn a_setup_failure_or_a_missing_report_is_an_internal_error() {
    let mut failed = seen(Some(Exit::Code(0)), None);
    failed.report = Some(Report::failed("mount: EPERM".into()));
    assert!(
        matches!(verdict(failed, None), Verdict::InternalError { message } if message == "mount: EPERM")
    );
    assert!(matches!(
        verdict(seen(None, None), None),
        Verdict::InternalError { .. }
    ));
}

#[test]
fn usage_names_its_sources() {
    let outcome = decide(
        seen(Some(Exit::Code(0)), None),
        cgroup(1_200, 8192, 0),
        Limits::DEFAULT,
        Isolation::Native,
    );
    assert_eq!(outcome.usage.wall_time_us, 20_000);
    assert_eq!(outcome.usage.sources.wall_time, Source::Init);
    // wait4 saw more CPU (1.5 ms) than the cgroup total (1.2 ms): the init's figures stand.
    assert_eq!(outcome.usage.sources.cpu_time, Source::Init);
    assert_eq!(outcome.usage.peak_memory_bytes, 8192);
    assert_eq!(outcome.usage.sources.peak_memory, Source::Cgroup);
    let killed = decide(
        seen(None, Some(Kill::Wall)),
        cgroup(9_000, 1, 0),
        Limits::DEFAULT,
        Isolation::Native,
    );
    assert_eq!(killed.usage.sources.wall_time, Source::Supervisor);
    assert_eq!(killed.usage.sources.cpu_time, Source::Cgroup);
    assert_eq!(killed.usage.cpu_time_us(), 9_000);
    assert_eq!(killed.signal.as_deref(), Some("SIGKILL"));
}
