//! The last steps before the payload runs, in the forked child that becomes it: rlimits as a
//! backstop, the per-slot uid, `no_new_privs`, landlock (write only below `/work` and `/tmp`,
//! no abstract Unix sockets or signals outside the sandbox) and the seccomp filter, then
//! `execve` with exactly the environment the spec gives.

use std::ffi::CString;
use std::fs;
use std::os::fd::OwnedFd;
use std::path::{Path, PathBuf};

use landlock::{
    ABI, Access, AccessFs, AccessNet, NetPort, Ruleset, RulesetAttr, RulesetCreatedAttr, Scope,
    path_beneath_rules,
};
use nix::sys::prctl;
use nix::sys::resource::{Resource, setrlimit};
use nix::unistd::{AccessFlags, Gid, Uid, access, chdir, execve, setgroups, setresgid, setresuid};

use super::seccomp;
use crate::spec::PayloadSpec;

/// Device files the payload may write to (landlock treats them as files).
const WRITABLE_DEVICES: [&str; 2] = ["/dev/null", "/dev/full"];

/// Confines this process and execs the payload; on any failure writes why to `errors` and
/// exits 127 (the init reads the message and reports an internal error).
pub fn exec_payload(spec: &PayloadSpec, errors: OwnedFd) -> ! {
    let message = match confine_and_exec(spec) {
        Ok(never) => match never {},
        Err(message) => message,
    };
    let _ = nix::unistd::write(&errors, message.as_bytes());
    crate::sys::exit_now(127)
}

fn confine_and_exec(spec: &PayloadSpec) -> Result<std::convert::Infallible, String> {
    // The init made itself unkillable by the OOM killer; the payload must be the one chosen.
    let _ = fs::write("/proc/self/oom_score_adj", "0");
    rlimits(spec)?;
    if let Some(uid) = spec.uid {
        drop_to(uid)?;
    }
    // After the uid change (which clears it): die with whoever forked this process.
    let _ = prctl::set_pdeathsig(nix::sys::signal::Signal::SIGKILL);
    chdir(&spec.cwd).map_err(|e| format!("chdir {}: {e}", spec.cwd.display()))?;
    prctl::set_no_new_privs().map_err(|e| format!("no_new_privs: {e}"))?;
    if spec.confine {
        landlock(spec)?;
        seccomp::apply()?;
    }
    let program = resolve(&spec.argv, &spec.env)?;
    let argv = cstrings(spec.argv.iter().map(String::as_str))?;
    let env = cstrings(
        spec.env
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .iter()
            .map(String::as_str),
    )?;
    let path = CString::new(program.as_os_str().as_encoded_bytes())
        .map_err(|_| "program path contains a NUL byte".to_owned())?;
    execve(&path, &argv, &env).map_err(|e| format!("exec {}: {e}", program.display()))
}

fn cstrings<'a>(items: impl Iterator<Item = &'a str>) -> Result<Vec<CString>, String> {
    items
        .map(|s| CString::new(s).map_err(|_| format!("`{s}` contains a NUL byte")))
        .collect()
}

fn rlimits(spec: &PayloadSpec) -> Result<(), String> {
    let r = spec.rlimits;
    let set = |resource: Resource, soft: u64, hard: u64| {
        setrlimit(resource, soft, hard).map_err(|e| format!("setrlimit {resource:?}: {e}"))
    };
    // SIGXCPU at the soft limit, SIGKILL one second later: the per-process backstop behind
    // the cgroup's total.
    set(Resource::RLIMIT_CPU, r.cpu_seconds, r.cpu_seconds + 1)?;
    set(Resource::RLIMIT_FSIZE, r.file_size_bytes, r.file_size_bytes)?;
    // Counted per real uid on the host: meaningful only with a uid of the job's own.
    if r.processes > 0 {
        set(Resource::RLIMIT_NPROC, r.processes, r.processes)?;
    }
    set(Resource::RLIMIT_NOFILE, r.open_files, r.open_files)?;
    if let Some(bytes) = r.data_bytes {
        set(Resource::RLIMIT_DATA, bytes, bytes)?;
    }
    set(Resource::RLIMIT_CORE, 0, 0)?;
    set(Resource::RLIMIT_MEMLOCK, 0, 0)?;
    set(Resource::RLIMIT_MSGQUEUE, 0, 0)?;
    Ok(())
}

/// Drops every privilege: no supplementary groups, then gid, then uid (real, effective, saved).
pub fn drop_to(uid: u32) -> Result<(), String> {
    let (u, g) = (Uid::from_raw(uid), Gid::from_raw(uid));
    if Uid::effective().is_root() {
        setgroups(&[]).map_err(|e| format!("setgroups: {e}"))?;
    }
    setresgid(g, g, g).map_err(|e| format!("setresgid {uid}: {e}"))?;
    setresuid(u, u, u).map_err(|e| format!("setresuid {uid}: {e}"))?;
    Ok(())
}

fn landlock(spec: &PayloadSpec) -> Result<(), String> {
    let failed = |e: landlock::RulesetError| format!("landlock: {e}");
    let abi = ABI::V5;
    let mut ruleset = Ruleset::default()
        .handle_access(AccessFs::from_all(abi))
        .map_err(failed)?
        .scope(Scope::from_all(ABI::V6))
        .map_err(failed)?;
    if spec.tcp_connect_ports.is_some() {
        ruleset = ruleset
            .handle_access(AccessNet::from_all(abi))
            .map_err(failed)?;
    }
    let mut created = ruleset
        .create()
        .map_err(failed)?
        .add_rules(path_beneath_rules(["/"], AccessFs::from_read(abi)))
        .map_err(failed)?
        .add_rules(path_beneath_rules(&spec.writable, AccessFs::from_all(abi)))
        .map_err(failed)?
        .add_rules(path_beneath_rules(
            WRITABLE_DEVICES,
            AccessFs::from_file(abi),
        ))
        .map_err(failed)?;
    for &port in spec.tcp_connect_ports.iter().flatten() {
        created = created
            .add_rule(NetPort::new(port, AccessNet::ConnectTcp))
            .map_err(failed)?;
    }
    created.restrict_self().map_err(failed)?;
    Ok(())
}

/// The program to exec: `argv[0]` itself when it has a slash, else the first executable
/// match on the payload's own `PATH`.
fn resolve(argv: &[String], env: &[(String, String)]) -> Result<PathBuf, String> {
    let first = argv.first().ok_or("empty command")?;
    if first.contains('/') {
        return Ok(PathBuf::from(first));
    }
    let path = env
        .iter()
        .find(|(k, _)| k == "PATH")
        .map(|(_, v)| v.as_str())
        .unwrap_or("/usr/local/bin:/usr/bin:/bin");
    path.split(':')
        .map(|dir| Path::new(dir).join(first))
        .find(|candidate| candidate.is_file() && access(candidate, AccessFlags::X_OK).is_ok())
        .ok_or_else(|| format!("`{first}` not found on PATH {path}"))
}
