//! Hostile code, one test each: every attack is contained with the right verdict, the engine
//! keeps serving other runs, and no process of the job outlives it. Each test has a sandbox
//! of its own with its own uid range, so "nothing outlives the job" can be checked by uid.

use std::io::ErrorKind;
use std::net::TcpListener;
use std::os::linux::net::SocketAddrExt;
use std::os::unix::net::{SocketAddr, UnixListener};

use kiro_sandbox::{Isolation, LimitsRequest, TimeLimit, Verdict};

use crate::support::{TestSandbox, is_root, only_run, run, run_with, sandbox_with_uids};

/// A native sandbox whose two slots use `first_uid` and `first_uid + 1`.
fn sandbox(first_uid: u32) -> Option<TestSandbox> {
    if !is_root() {
        eprintln!("SKIPPED: the native sandbox needs root");
        return None;
    }
    sandbox_with_uids(Isolation::Native, first_uid)
}

/// Pids of live processes owned by the sandbox's slot uids.
fn survivors(first_uid: u32) -> Vec<String> {
    let mut found = Vec::new();
    for entry in std::fs::read_dir("/proc").unwrap().flatten() {
        let Ok(status) = std::fs::read_to_string(entry.path().join("status")) else {
            continue;
        };
        let uid = status
            .lines()
            .find_map(|l| l.strip_prefix("Uid:"))
            .and_then(|l| l.split_whitespace().next()?.parse::<u32>().ok());
        let zombie = status
            .lines()
            .any(|l| l.starts_with("State:") && l.contains('Z'));
        if let Some(uid) = uid
            && (first_uid..first_uid + 2).contains(&uid)
            && !zombie
        {
            found.push(format!(
                "{} {}",
                entry.file_name().to_string_lossy(),
                status.lines().next().unwrap_or("")
            ));
        }
    }
    found
}

fn limits(wall_ms: u64, cpu_ms: u64) -> LimitsRequest {
    LimitsRequest {
        wall_time_ms: Some(wall_ms),
        cpu_time_ms: Some(cpu_ms),
        ..LimitsRequest::default()
    }
}

#[test]
fn a_fork_bomb_is_held_to_the_process_limit_while_other_runs_go_on() {
    let uid = 62_000;
    let Some(sandbox) = sandbox(uid) else { return };
    let bomb =
        "import os\nwhile True:\n    try:\n        os.fork()\n    except OSError:\n        pass\n";
    std::thread::scope(|scope| {
        let bombing = scope.spawn(|| run_with(&sandbox, "python3", bomb, limits(3_000, 2_000)));
        // The engine stays responsive: another run completes while the bomb goes off.
        let meanwhile = run(&sandbox, "python3", "print('still here')");
        assert_eq!(only_run(&meanwhile).stdout, "still here\n");
        let outcome = bombing.join().unwrap();
        assert!(
            matches!(outcome.verdict, Verdict::TimeLimitExceeded { .. }),
            "{:#?}",
            outcome
        );
    });
    assert_eq!(survivors(uid), Vec::<String>::new());
}

#[test]
fn a_memory_hog_gets_memory_limit_exceeded() {
    let uid = 62_010;
    let Some(sandbox) = sandbox(uid) else { return };
    let request = LimitsRequest {
        memory_bytes: Some(64 << 20),
        ..LimitsRequest::default()
    };
    let outcome = run_with(
        &sandbox,
        "python3",
        "x = 'a' * (400 << 20)\nprint(len(x))",
        request,
    );
    let run = only_run(&outcome);
    assert_eq!(run.verdict, Verdict::MemoryLimitExceeded, "{run:#?}");
    assert!(run.usage.peak_memory_bytes <= 64 << 20, "{run:#?}");
    assert_eq!(survivors(uid), Vec::<String>::new());
}

#[test]
fn a_cpu_loop_gets_time_limit_exceeded_for_cpu() {
    let uid = 62_020;
    let Some(sandbox) = sandbox(uid) else { return };
    let outcome = run_with(
        &sandbox,
        "python3",
        "while True:\n    pass\n",
        limits(10_000, 500),
    );
    let run = only_run(&outcome);
    assert_eq!(
        run.verdict,
        Verdict::TimeLimitExceeded {
            limit: TimeLimit::Cpu
        },
        "{run:#?}"
    );
    assert!(run.usage.cpu_time_us() >= 500_000, "{run:#?}");
    assert_eq!(survivors(uid), Vec::<String>::new());
}

#[test]
fn sleeping_past_the_wall_limit_gets_time_limit_exceeded_for_wall() {
    let uid = 62_030;
    let Some(sandbox) = sandbox(uid) else { return };
    let outcome = run_with(
        &sandbox,
        "python3",
        "import time\ntime.sleep(60)\n",
        limits(500, 500),
    );
    let run = only_run(&outcome);
    assert_eq!(
        run.verdict,
        Verdict::TimeLimitExceeded {
            limit: TimeLimit::Wall
        },
        "{run:#?}"
    );
    assert!(
        run.usage.wall_time_us >= 500_000 && run.usage.wall_time_us < 10_000_000,
        "{run:#?}"
    );
    assert_eq!(survivors(uid), Vec::<String>::new());
}

#[test]
fn a_process_ignoring_sigterm_is_still_ended_at_the_wall_limit() {
    let uid = 62_040;
    let Some(sandbox) = sandbox(uid) else { return };
    let source = "import signal, time\nsignal.signal(signal.SIGTERM, signal.SIG_IGN)\nsignal.signal(signal.SIGINT, signal.SIG_IGN)\nprint('ignoring', flush=True)\nwhile True:\n    time.sleep(1)\n";
    let outcome = run_with(&sandbox, "python3", source, limits(700, 700));
    let run = only_run(&outcome);
    assert_eq!(
        run.verdict,
        Verdict::TimeLimitExceeded {
            limit: TimeLimit::Wall
        },
        "{run:#?}"
    );
    assert_eq!(run.stdout, "ignoring\n");
    assert_eq!(survivors(uid), Vec::<String>::new());
}

#[test]
fn an_output_flood_is_cut_at_the_output_limit() {
    let uid = 62_050;
    let Some(sandbox) = sandbox(uid) else { return };
    let request = LimitsRequest {
        output_bytes: Some(64 * 1024),
        ..LimitsRequest::default()
    };
    let outcome = run_with(
        &sandbox,
        "python3",
        "import sys\nwhile True:\n    sys.stdout.write('x' * 4096)\n",
        request,
    );
    let run = only_run(&outcome);
    assert_eq!(run.verdict, Verdict::OutputLimitExceeded, "{run:?}");
    assert!(run.output_truncated);
    assert_eq!(run.stdout.len() + run.stderr.len(), 64 * 1024);
    assert_eq!(survivors(uid), Vec::<String>::new());
}

#[test]
fn filling_the_disk_stops_at_the_work_and_tmp_caps() {
    let uid = 62_060;
    let Some(sandbox) = sandbox(uid) else { return };
    let request = LimitsRequest {
        work_bytes: Some(4 << 20),
        tmp_bytes: Some(4 << 20),
        ..LimitsRequest::default()
    };
    let source = "\
import errno
for path in ['/work/fill', '/tmp/fill']:
    written = 0
    try:
        with open(path, 'wb') as f:
            while True:
                f.write(b'x' * 65536)
                f.flush()
                written += 65536
    except OSError as e:
        print(path, errno.errorcode[e.errno], written <= (4 << 20))
";
    let outcome = run_with(&sandbox, "python3", source, request);
    let run = only_run(&outcome);
    assert_eq!(run.verdict, Verdict::Accepted, "{run:#?}");
    for line in run.stdout.lines() {
        assert!(line.ends_with("True"), "{line}");
        assert!(line.contains("ENOSPC") || line.contains("EFBIG"), "{line}");
    }
    assert_eq!(run.stdout.lines().count(), 2, "{run:#?}");
    // The job's directory (and its tmpfs) is gone.
    let jobs = sandbox.state_dir().join("jobs");
    assert_eq!(std::fs::read_dir(jobs).unwrap().count(), 0);
    assert_eq!(survivors(uid), Vec::<String>::new());
}

#[test]
fn a_tcp_connect_to_the_hosts_loopback_fails() {
    let uid = 62_070;
    let Some(sandbox) = sandbox(uid) else { return };
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    listener.set_nonblocking(true).unwrap();
    let port = listener.local_addr().unwrap().port();
    let source = format!(
        "import socket\ntry:\n    socket.create_connection(('127.0.0.1', {port}), timeout=2)\n    print('connected')\nexcept OSError as e:\n    print('refused', type(e).__name__)\n"
    );
    let outcome = run(&sandbox, "python3", &source);
    let run = only_run(&outcome);
    assert!(run.stdout.starts_with("refused"), "{run:#?}");
    assert_eq!(
        listener.accept().map(|_| ()).unwrap_err().kind(),
        ErrorKind::WouldBlock
    );
}

#[test]
fn an_abstract_unix_socket_of_the_host_cannot_be_reached() {
    let uid = 62_080;
    let Some(sandbox) = sandbox(uid) else { return };
    let name = format!("kiro-sandbox-test-{}", std::process::id());
    let listener =
        UnixListener::bind_addr(&SocketAddr::from_abstract_name(name.as_bytes()).unwrap()).unwrap();
    listener.set_nonblocking(true).unwrap();
    let source = format!(
        "import socket\ns = socket.socket(socket.AF_UNIX)\ntry:\n    s.connect('\\0{name}')\n    print('connected')\nexcept OSError as e:\n    print('refused', type(e).__name__)\n"
    );
    let outcome = run(&sandbox, "python3", &source);
    let run = only_run(&outcome);
    assert!(run.stdout.starts_with("refused"), "{run:#?}");
    assert_eq!(
        listener.accept().map(|_| ()).unwrap_err().kind(),
        ErrorKind::WouldBlock
    );
}

#[test]
fn writes_outside_work_and_tmp_fail() {
    let uid = 62_090;
    let Some(sandbox) = sandbox(uid) else { return };
    let source = "\
for path in ['/etc/evil', '/usr/evil', '/evil', '/dev/evil', '/proc/sys/kernel/hostname', '/work/ok', '/tmp/ok']:
    try:
        with open(path, 'w') as f:
            f.write('x')
        print(path, 'written')
    except OSError as e:
        print(path, 'refused')
";
    let outcome = run(&sandbox, "python3", source);
    let run = only_run(&outcome);
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert_eq!(
        lines,
        [
            "/etc/evil refused",
            "/usr/evil refused",
            "/evil refused",
            "/dev/evil refused",
            "/proc/sys/kernel/hostname refused",
            "/work/ok written",
            "/tmp/ok written"
        ],
        "{run:#?}"
    );
    assert!(!std::path::Path::new("/usr/evil").exists() && !std::path::Path::new("/evil").exists());
}

#[test]
fn the_shadow_file_and_the_servers_data_directory_cannot_be_read() {
    let uid = 62_100;
    let Some(sandbox) = sandbox(uid) else { return };
    let data = sandbox.state_dir().join("secret.txt");
    std::fs::write(&data, "the server's secret").unwrap();
    let source = format!(
        "for path in ['/etc/shadow', '{}', '/proc/1/environ']:\n    try:\n        print(path, open(path).read())\n    except OSError as e:\n        print(path, 'refused')\n",
        data.display()
    );
    let outcome = run(&sandbox, "python3", &source);
    let run = only_run(&outcome);
    assert!(!run.stdout.contains("the server's secret"), "{run:#?}");
    assert_eq!(run.stdout.matches("refused").count(), 3, "{run:#?}");
}

#[test]
fn a_daemon_does_not_outlive_its_job() {
    let uid = 62_110;
    let Some(sandbox) = sandbox(uid) else { return };
    let source = "\
import os, time
if os.fork() == 0:
    os.setsid()
    if os.fork() == 0:
        os.execv('/usr/bin/sleep', ['sleep', '600'])
    os._exit(0)
time.sleep(0.2)
print('daemonised')
";
    let outcome = run(&sandbox, "python3", source);
    let run = only_run(&outcome);
    assert_eq!(run.verdict, Verdict::Accepted, "{run:#?}");
    assert_eq!(run.stdout, "daemonised\n");
    assert_eq!(survivors(uid), Vec::<String>::new());
}

#[test]
fn unshare_ptrace_mount_and_setuid_attempts_are_refused() {
    let uid = 62_120;
    let Some(sandbox) = sandbox(uid) else { return };
    let source = "\
import ctypes, os
libc = ctypes.CDLL(None, use_errno=True)
def attempt(name, result):
    print(name, 'allowed' if result == 0 else 'refused:' + os.strerror(ctypes.get_errno()))
attempt('unshare-user', libc.unshare(0x10000000))
attempt('unshare-net', libc.unshare(0x40000000))
attempt('mount', libc.mount(b'none', b'/tmp', b'tmpfs', 0, None))
attempt('ptrace', libc.ptrace(0, 0, None, None))
attempt('setuid', libc.setuid(0))
attempt('chroot', libc.chroot(b'/tmp'))
";
    let outcome = run(&sandbox, "python3", source);
    let run = only_run(&outcome);
    assert_eq!(run.verdict, Verdict::Accepted, "{run:#?}");
    assert_eq!(run.stdout.lines().count(), 6, "{run:#?}");
    assert!(
        run.stdout.lines().all(|l| l.contains("refused")),
        "{}",
        run.stdout
    );
}
