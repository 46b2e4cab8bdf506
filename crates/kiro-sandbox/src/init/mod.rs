//! The `kiro-sandbox-init` helper: a fresh, single-threaded process the supervisor starts for
//! every run (so namespace and pid-1 setup never happen after `fork` in a multi-threaded
//! server). It takes one argument, the JSON [`LaunchSpec`], and in native mode:
//!
//! 1. joins the job's cgroups, then unshares mount, PID, network, IPC, UTS and cgroup
//!    namespaces;
//! 2. forks the namespace's pid 1, which builds the root ([`mounts`]), forks the payload
//!    ([`reaper`]), which confines itself ([`confine`], [`seccomp`]) and execs;
//! 3. pid 1 reaps everything, kills what is left and writes the [`Report`] file.
//!
//! The other modes (containers, bubblewrap, isolation `none`, runc's idle init) reuse the
//! same pieces. An embedding binary may instead call [`helper_main`] behind a marker argument.

mod confine;
mod mounts;
mod reaper;
mod seccomp;

use std::fs::{self, File};
use std::io::Write;
use std::os::fd::AsRawFd;
use std::path::Path;
use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, Ordering};

use nix::mount::{MsFlags, mount};
use nix::sched::{CloneFlags, setns, unshare};
use nix::sys::prctl;
use nix::sys::signal::Signal;
use nix::unistd::ForkResult;

use crate::spec::{LaunchSpec, Mode, PayloadSpec, Report, RootSpec};
use crate::sys;

/// The helper binary's `main`: the spec is the last argument.
pub fn main() -> ExitCode {
    match std::env::args().next_back() {
        Some(spec) => helper_main(&spec),
        None => {
            eprintln!("kiro-sandbox-init: expected a launch spec");
            ExitCode::from(125)
        }
    }
}

/// The marker argument that starts an embedding binary as the helper.
pub const EMBEDDED_ARG: &str = "__kiro-sandbox-init";

/// Set once the running binary has called [`embedded_helper`].
static EMBEDDED: AtomicBool = AtomicBool::new(false);

/// For binaries that embed the helper (`kiro-server`, `conceptpulse`): call first thing in
/// `main`. It marks the binary as able to serve as its own helper, so a sandbox started in
/// it works without a separate `kiro-sandbox-init` installed beside it; and when the process
/// was started as the helper (`<binary> __kiro-sandbox-init <spec>`), it runs the helper and
/// returns its exit code for `main` to return.
pub fn embedded_helper() -> Option<ExitCode> {
    EMBEDDED.store(true, Ordering::Relaxed);
    std::env::args_os()
        .nth(1)
        .is_some_and(|arg| arg == EMBEDDED_ARG)
        .then(main)
}

/// Whether the running binary embeds the helper (see [`embedded_helper`]).
pub(crate) fn is_embedded() -> bool {
    EMBEDDED.load(Ordering::Relaxed)
}

/// Runs the helper for one JSON launch spec. Exit 0 means a report was written; 125 that
/// the helper could not even do that (the message is on stderr).
pub fn helper_main(spec_json: &str) -> ExitCode {
    let spec: LaunchSpec = match serde_json::from_str(spec_json) {
        Ok(spec) => spec,
        Err(e) => {
            eprintln!("kiro-sandbox-init: invalid launch spec: {e}");
            return ExitCode::from(125);
        }
    };
    // If the supervisor's thread dies, so does the sandbox. (Not runc's init: its parent,
    // `runc run --detach`, exits as soon as the container has started.)
    if spec.mode != Mode::Idle {
        let _ = prctl::set_pdeathsig(Signal::SIGKILL);
    }
    close_inherited(spec.report_fd);
    let outcome = match spec.mode {
        Mode::Idle => reaper::idle(),
        Mode::Bubblewrap => bubblewrap(&spec),
        Mode::Inner => inner(&spec),
        _ => with_report(&spec),
    };
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("kiro-sandbox-init: {message}");
            ExitCode::from(125)
        }
    }
}

/// Marks every inherited descriptor above stderr close-on-exec (except `keep`).
fn close_inherited(keep: Option<i32>) {
    let Ok(entries) = fs::read_dir("/proc/self/fd") else {
        return;
    };
    let fds: Vec<i32> = entries
        .filter_map(|e| e.ok()?.file_name().to_str()?.parse().ok())
        .collect();
    for fd in fds.into_iter().filter(|&fd| fd > 2 && Some(fd) != keep) {
        sys::mark_cloexec(fd);
    }
}

/// The modes that write a report file: open it first so every later failure lands in it.
fn with_report(spec: &LaunchSpec) -> Result<(), String> {
    let path = spec.report.as_ref().ok_or("the spec has no report path")?;
    let mut file = File::create(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let report = match run_mode(spec, &mut file) {
        Ok(Some(report)) => report,
        Ok(None) => return Ok(()),
        Err(message) => Report::failed(message),
    };
    write_report(&mut file, &report)
}

fn write_report(file: &mut File, report: &Report) -> Result<(), String> {
    let json = serde_json::to_vec(report).map_err(|e| e.to_string())?;
    file.write_all(&json)
        .map_err(|e| format!("writing the report: {e}"))
}

/// `Ok(None)`: the report was already written (by the namespace's pid 1).
fn run_mode(spec: &LaunchSpec, report: &mut File) -> Result<Option<Report>, String> {
    join_cgroups(spec)?;
    let payload = spec.payload.as_ref();
    match spec.mode {
        Mode::Run => {
            let root = spec.root.as_ref().ok_or("the spec has no root")?;
            let payload = payload.ok_or("the spec has no payload")?;
            native(root, Some(payload), report)
        }
        Mode::ContainerInit => {
            let root = spec.root.as_ref().ok_or("the spec has no root")?;
            native(root, None, report)
        }
        Mode::ContainerExec => {
            let payload = payload.ok_or("the spec has no payload")?;
            let pid = spec.enter_pid.ok_or("the spec has no container to enter")?;
            enter(pid)?;
            Ok(Some(reaper::run_payload(payload, false)))
        }
        Mode::Unconfined => {
            let payload = payload.ok_or("the spec has no payload")?;
            prctl::set_child_subreaper(true).map_err(|e| format!("subreaper: {e}"))?;
            Ok(Some(reaper::run_payload(payload, true)))
        }
        Mode::Idle | Mode::Bubblewrap | Mode::Inner => Err("not a report mode".into()),
    }
}

fn join_cgroups(spec: &LaunchSpec) -> Result<(), String> {
    let me = std::process::id().to_string();
    for dir in &spec.cgroups {
        let procs = dir.join("cgroup.procs");
        fs::write(&procs, &me).map_err(|e| format!("joining {}: {e}", dir.display()))?;
    }
    Ok(())
}

/// Unshares the namespaces and forks their pid 1; this process waits for it. With no
/// payload (a container) pid 1 announces itself on stdout and idles instead.
fn native(
    root: &RootSpec,
    payload: Option<&PayloadSpec>,
    report: &mut File,
) -> Result<Option<Report>, String> {
    let mut flags = CloneFlags::CLONE_NEWNS
        | CloneFlags::CLONE_NEWPID
        | CloneFlags::CLONE_NEWIPC
        | CloneFlags::CLONE_NEWUTS
        | CloneFlags::CLONE_NEWCGROUP;
    if !root.share_network {
        flags |= CloneFlags::CLONE_NEWNET;
    }
    // The OOM killer must pick the payload, never the init that reports on it: pid 1
    // inherits this, and the payload resets its own to 0 before it drops privileges.
    // Best effort: lowering it needs CAP_SYS_RESOURCE, which some hosts withhold even from
    // root; the payload is then still the OOM killer's choice by size.
    let _ = fs::write("/proc/self/oom_score_adj", "-1000");
    unshare(flags).map_err(|e| format!("unshare: {e}"))?;
    match sys::fork().map_err(|e| format!("fork: {e}"))? {
        ForkResult::Child => {
            let report_result = match pid_one(root, payload) {
                Ok(report) => report,
                Err(message) => {
                    if payload.is_none() {
                        println!("error {message}");
                    }
                    Report::failed(message)
                }
            };
            let code = if write_report(report, &report_result).is_ok() {
                0
            } else {
                125
            };
            crate::sys::exit_now(code)
        }
        ForkResult::Parent { child } => {
            if payload.is_none() {
                println!("pid {child}");
                let _ = std::io::stdout().flush();
            }
            let ended = sys::wait4(child, false).map_err(|e| format!("waiting for init: {e}"))?;
            let written = report.metadata().map(|m| m.len() > 0).unwrap_or(false);
            if written {
                return Ok(None);
            }
            let how = match ended {
                Some((nix::sys::wait::WaitStatus::Signaled(_, signal, _), _)) => {
                    format!("signal {signal}")
                }
                Some((status, _)) => format!("{status:?}"),
                None => "unknown".into(),
            };
            Ok(Some(Report::failed(format!(
                "the sandbox init ended ({how}) before reporting"
            ))))
        }
    }
}

/// The namespace's pid 1.
fn pid_one(root: &RootSpec, payload: Option<&PayloadSpec>) -> Result<Report, String> {
    let _ = prctl::set_pdeathsig(Signal::SIGKILL);
    mounts::build_root(root)?;
    nix::unistd::sethostname("sandbox").map_err(|e| format!("sethostname: {e}"))?;
    match payload {
        Some(payload) => Ok(reaper::run_payload(payload, true)),
        None => {
            println!("ready");
            let _ = std::io::stdout().flush();
            reaper::idle()
        }
    }
}

/// Joins every namespace of the native container whose init is `pid` (the fork that
/// follows lands in its pid namespace).
fn enter(pid: i32) -> Result<(), String> {
    let kinds = [
        ("ipc", CloneFlags::CLONE_NEWIPC),
        ("uts", CloneFlags::CLONE_NEWUTS),
        ("net", CloneFlags::CLONE_NEWNET),
        ("pid", CloneFlags::CLONE_NEWPID),
        ("cgroup", CloneFlags::CLONE_NEWCGROUP),
        ("mnt", CloneFlags::CLONE_NEWNS),
    ];
    // Open all first: after entering the mount namespace /proc is the container's.
    let mut files = Vec::new();
    for (name, kind) in kinds {
        let path = format!("/proc/{pid}/ns/{name}");
        let file = File::open(&path).map_err(|e| format!("{path}: {e}"))?;
        files.push((file, kind, name));
    }
    for (file, kind, name) in files {
        setns(&file, kind).map_err(|e| format!("setns {name}: {e}"))?;
    }
    Ok(())
}

/// Hands over to bubblewrap: the report file stays open across exec, privileges are dropped
/// first when root (bubblewrap run as root would leave the payload root), and bubblewrap runs
/// this helper again inside as pid 1 in `Inner` mode.
fn bubblewrap(spec: &LaunchSpec) -> Result<(), String> {
    let path = spec.report.as_ref().ok_or("the spec has no report path")?;
    let file = File::create(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let fail = |file: &File, message: String| {
        let mut file = file;
        let _ = file
            .write_all(&serde_json::to_vec(&Report::failed(message.clone())).unwrap_or_default());
        message
    };
    if let Err(message) = join_cgroups(spec) {
        return Err(fail(&file, message));
    }
    let mut payload = spec.payload.clone().ok_or("the spec has no payload")?;
    let argv = spec
        .bwrap
        .clone()
        .ok_or("the spec has no bubblewrap command")?;
    let mut argv = argv;
    if let Some(uid) = payload.uid.take()
        && nix::unistd::Uid::effective().is_root()
    {
        let stage = path.with_file_name("binds");
        argv = stage_binds(argv, &stage).map_err(|m| fail(&file, m))?;
        // The init inside reopens the report through /proc/self/fd as the slot's uid.
        std::os::unix::fs::fchown(&file, Some(uid), Some(uid))
            .map_err(|e| fail(&file, format!("chown report: {e}")))?;
        confine::drop_to(uid).map_err(|m| fail(&file, m))?;
    }
    let fd = file.as_raw_fd();
    sys::clear_cloexec(fd).map_err(|e| fail(&file, format!("report descriptor: {e}")))?;
    let inner = LaunchSpec {
        mode: Mode::Inner,
        cgroups: Vec::new(),
        report: None,
        report_fd: Some(fd),
        root: None,
        payload: Some(payload),
        enter_pid: None,
        bwrap: None,
    };
    let inner = serde_json::to_string(&inner).map_err(|e| e.to_string())?;
    let mut command = argv;
    command.push(inner);
    let program = command.first().cloned().ok_or("empty bubblewrap command")?;
    let cargs: Result<Vec<std::ffi::CString>, _> = command
        .iter()
        .map(|a| std::ffi::CString::new(a.as_str()))
        .collect();
    let cargs = cargs.map_err(|_| fail(&file, "NUL byte in the bubblewrap command".into()))?;
    let cprogram = std::ffi::CString::new(program.as_str()).map_err(|_| "NUL byte".to_owned())?;
    let error = nix::unistd::execv(&cprogram, &cargs).err();
    Err(fail(&file, format!("exec {program}: {error:?}")))
}

/// As root, makes every bind source reachable by the slot's uid (a runtime below /root is
/// not): in a mount namespace of this launcher's own, each source is bound under `stage`
/// and bubblewrap binds it from there.
fn stage_binds(argv: Vec<String>, stage: &Path) -> Result<Vec<String>, String> {
    let none: Option<&str> = None;
    unshare(CloneFlags::CLONE_NEWNS).map_err(|e| format!("unshare: {e}"))?;
    mount(none, "/", none, MsFlags::MS_REC | MsFlags::MS_PRIVATE, none)
        .map_err(|e| format!("making / private: {e}"))?;
    fs::create_dir_all(stage).map_err(|e| format!("creating {}: {e}", stage.display()))?;
    let mut out = Vec::with_capacity(argv.len());
    let mut args = argv.into_iter();
    let mut n = 0;
    while let Some(arg) = args.next() {
        if arg == "--" {
            out.push(arg);
            out.extend(args.by_ref());
            break;
        }
        if arg != "--ro-bind" && arg != "--bind" {
            out.push(arg);
            continue;
        }
        let (Some(source), Some(target)) = (args.next(), args.next()) else {
            return Err(format!("{arg} needs a source and a target"));
        };
        let staged = stage.join(n.to_string());
        n += 1;
        if Path::new(&source).is_dir() {
            fs::create_dir(&staged)
        } else {
            fs::write(&staged, b"")
        }
        .map_err(|e| format!("creating {}: {e}", staged.display()))?;
        mount(
            Some(source.as_str()),
            &staged,
            none,
            MsFlags::MS_BIND | MsFlags::MS_REC,
            none,
        )
        .map_err(|e| format!("staging {source}: {e}"))?;
        out.extend([arg, staged.to_string_lossy().into_owned(), target]);
    }
    Ok(out)
}

/// Inside bubblewrap, as its pid 1: run the payload and report through the inherited file.
fn inner(spec: &LaunchSpec) -> Result<(), String> {
    let fd = spec.report_fd.ok_or("the spec has no report descriptor")?;
    sys::mark_cloexec(fd);
    let path = format!("/proc/self/fd/{fd}");
    let mut file = File::options()
        .write(true)
        .open(&path)
        .map_err(|e| format!("{path}: {e}"))?;
    let payload = spec.payload.as_ref().ok_or("the spec has no payload")?;
    let report = reaper::run_payload(payload, true);
    write_report(&mut file, &report)
}
