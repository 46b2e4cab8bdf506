//! The other isolations: bubblewrap (dropping privileges first when root) with this crate's
//! init inside it, and `none` when configured explicitly. Every result says which it ran
//! under; the capabilities report says what the host offers.

use kiro_sandbox::{
    Isolation, LimitsRequest, Sandbox, SandboxConfig, SandboxError, Source, TimeLimit, Verdict,
};

use crate::support::{helper, is_root, only_run, run, run_with, sandbox_with_uids};

#[test]
fn the_capabilities_report_what_this_host_offers() {
    let Some(sandbox) = sandbox_with_uids(Isolation::None, 62_300) else {
        return;
    };
    let caps = sandbox.capabilities();
    assert_eq!(caps.selected, Some(Isolation::None));
    assert!(caps.supports(Isolation::None).is_ok());
    assert_eq!(caps.root, is_root());
    assert!(caps.namespaces.iter().any(|n| n == "pid"), "{caps:?}");
    let json = serde_json::to_value(caps).unwrap();
    assert!(json["isolations"].as_array().unwrap().len() == 3);
    assert!(json.get("landlockAbi").is_some() && json.get("cgroups").is_some());
}

#[test]
fn bubblewrap_runs_the_program_unprivileged_and_confined() {
    let Some(sandbox) = sandbox_with_uids(Isolation::Bubblewrap, 62_310) else {
        return;
    };
    let source = "\
import os
print(os.getuid() != 0, os.getcwd())
for path in ['/usr/evil', '/work/ok']:
    try:
        open(path, 'w').write('x')
        print(path, 'written')
    except OSError:
        print(path, 'refused')
import socket
try:
    socket.create_connection(('127.0.0.1', 5432), timeout=1)
    print('connected')
except OSError:
    print('no network')
";
    let outcome = run(&sandbox, "python3", source);
    let run = only_run(&outcome);
    assert_eq!(run.isolation, Isolation::Bubblewrap);
    assert_eq!(run.verdict, Verdict::Accepted, "{run:#?}");
    assert_eq!(
        run.stdout, "True /work\n/usr/evil refused\n/work/ok written\nno network\n",
        "{run:#?}"
    );
    // The init inside bubblewrap is pid 1 (`--as-pid-1`), so wait4 usage is the payload's.
    assert_eq!(run.usage.sources.wall_time, Source::Init);
}

#[test]
fn bubblewrap_enforces_wall_time_and_memory() {
    let Some(sandbox) = sandbox_with_uids(Isolation::Bubblewrap, 62_320) else {
        return;
    };
    let slow = run_with(
        &sandbox,
        "python3",
        "import time\ntime.sleep(30)",
        LimitsRequest {
            wall_time_ms: Some(500),
            ..LimitsRequest::default()
        },
    );
    assert_eq!(
        only_run(&slow).verdict,
        Verdict::TimeLimitExceeded {
            limit: TimeLimit::Wall
        }
    );
    let hog = run_with(
        &sandbox,
        "python3",
        "x = 'a' * (400 << 20)",
        LimitsRequest {
            memory_bytes: Some(64 << 20),
            ..LimitsRequest::default()
        },
    );
    let verdict = &only_run(&hog).verdict;
    // With cgroups (root) the OOM killer stops it; without, RLIMIT_DATA makes it fail.
    assert!(
        matches!(
            verdict,
            Verdict::MemoryLimitExceeded | Verdict::NonZeroExit { .. }
        ),
        "{hog:#?}"
    );
}

#[test]
fn isolation_none_runs_unsandboxed_only_when_asked_and_says_so() {
    let Some(sandbox) = sandbox_with_uids(Isolation::None, 62_330) else {
        return;
    };
    // A runtime below /root would be out of the slot uid's reach here: use one in /usr.
    let outcome = run(&sandbox, "bash", "[[ $PWD == */work ]] && echo True");
    let run = only_run(&outcome);
    assert_eq!(run.isolation, Isolation::None);
    assert_eq!(run.stdout, "True\n", "{outcome:#?}");
    let slow = run_with(
        &sandbox,
        "bash",
        "sleep 30",
        LimitsRequest {
            wall_time_ms: Some(300),
            ..LimitsRequest::default()
        },
    );
    assert_eq!(
        only_run(&slow).verdict,
        Verdict::TimeLimitExceeded {
            limit: TimeLimit::Wall
        }
    );
}

#[test]
fn an_isolation_the_host_lacks_is_unavailable() {
    let state = tempfile::tempdir().unwrap();
    let mut config = SandboxConfig::new(state.path().join("s"));
    config.helper = Some(helper());
    config.isolation = Some(Isolation::Bubblewrap);
    config.bwrap = "/nonexistent/bwrap".into();
    match Sandbox::new(config) {
        Err(SandboxError::Unavailable(message)) => {
            assert!(message.contains("bubblewrap"), "{message}")
        }
        other => panic!("{other:?}"),
    }
}
