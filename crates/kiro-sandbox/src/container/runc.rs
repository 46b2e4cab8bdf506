//! runc containers (Debian's `runc`): an OCI bundle per container whose read-only root
//! holds the same binds as the native sandbox, `/work` bound from the container's work
//! directory, and this crate's helper as a reaping pid 1. Execs are `runc exec` as the
//! container's uid with no new privileges; their wall and output limits are the
//! supervisor's, their memory and process limits the container's cgroup (runc's own).
//!
//! runc reports no rusage for an exec, so its usage has the supervisor's wall time and marks
//! CPU and memory as unavailable.

use std::fs::{self, File};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::time::Duration;

use nix::sys::signal::{Signal, kill, killpg};
use nix::unistd::Pid;
use serde_json::{Value, json};

use super::{ContainerBackend, ContainerContext, RunningContainer};
use crate::cgroup::CgroupRoot;
use crate::environment::{Environment, Network};
use crate::error::{Context, SandboxError};
use crate::isolation::Isolation;
use crate::launch;
use crate::limits::Limits;
use crate::outcome::{self, RunOutcome};
use crate::output::OutputSink;
use crate::sandbox::Sandbox;
use crate::spec::{Exit, LaunchSpec, Mode};
use crate::supervisor::{self, Supervision};

/// Where the helper appears inside the container.
const INIT: &str = "/.kiro-sandbox-init";

/// The runc backend.
#[derive(Debug)]
pub struct RuncBackend {
    runc: PathBuf,
}

impl RuncBackend {
    /// Uses the sandbox's configured runc; unavailable when it is not installed.
    pub fn new(sandbox: &Sandbox) -> Result<RuncBackend, SandboxError> {
        match &sandbox.capabilities().runc {
            Some(tool) if sandbox.capabilities().root => Ok(RuncBackend {
                runc: tool.path.clone(),
            }),
            Some(_) => Err(SandboxError::Unavailable(
                "runc containers need root".into(),
            )),
            None => Err(SandboxError::Unavailable(format!(
                "{} is not installed",
                sandbox.config.runc.display()
            ))),
        }
    }
}

#[derive(Debug)]
struct RuncContainer {
    runc: PathBuf,
    state: PathBuf,
    name: String,
    dir: PathBuf,
    env: Arc<Environment>,
    uid: Option<u32>,
}

impl RuncContainer {
    fn runc(&self) -> Command {
        let mut command = Command::new(&self.runc);
        command
            .arg("--root")
            .arg(&self.state)
            .env_clear()
            .current_dir("/");
        command
    }
}

impl ContainerBackend for RuncBackend {
    fn name(&self) -> &'static str {
        "runc"
    }

    fn start(
        &self,
        sandbox: &Sandbox,
        ctx: &ContainerContext,
    ) -> Result<Arc<dyn RunningContainer>, SandboxError> {
        let bundle = ctx.dir.join("bundle");
        let rootfs = bundle.join("rootfs");
        fs::create_dir_all(&rootfs).context(|| format!("creating {}", rootfs.display()))?;
        let config = config(sandbox, ctx);
        let text = serde_json::to_vec_pretty(&config)
            .map_err(|e| SandboxError::internal_msg(e.to_string()))?;
        fs::write(bundle.join("config.json"), text).context(|| "writing config.json".into())?;
        let container = RuncContainer {
            runc: self.runc.clone(),
            state: sandbox.state_dir().join("runc"),
            name: format!("kiro-{}", ctx.id),
            dir: ctx.dir.clone(),
            env: Arc::clone(&ctx.env),
            uid: ctx.uid,
        };
        // A container stopped earlier left no runc state; a crash might have.
        let _ = container
            .runc()
            .args(["delete", "--force", &container.name])
            .stderr(Stdio::null())
            .status();
        // The container's init inherits runc's stdio: a pipe would never reach end of file,
        // so runc's messages go to a file.
        let log_path = ctx.dir.join("runc.log");
        let log = File::create(&log_path).context(|| format!("creating {}", log_path.display()))?;
        let status = container
            .runc()
            .args(["run", "--detach", "--bundle"])
            .arg(&bundle)
            .arg(&container.name)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(log)
            .status()
            .context(|| format!("running {}", self.runc.display()))?;
        if !status.success() {
            let message = fs::read_to_string(&log_path).unwrap_or_default();
            return Err(SandboxError::internal_msg(format!(
                "runc run failed ({status}): {}",
                message.trim()
            )));
        }
        Ok(Arc::new(container))
    }
}

/// The OCI runtime configuration of a container.
fn config(sandbox: &Sandbox, ctx: &ContainerContext) -> Value {
    let uid = ctx.uid.unwrap_or(65534);
    let idle = LaunchSpec {
        mode: Mode::Idle,
        cgroups: Vec::new(),
        report: None,
        report_fd: None,
        root: None,
        payload: None,
        enter_pid: None,
        bwrap: None,
    };
    let idle = serde_json::to_string(&idle).unwrap_or_default();
    let mut mounts = vec![
        json!({"destination": "/proc", "type": "proc", "source": "proc", "options": ["nosuid", "noexec", "nodev"]}),
        json!({"destination": "/dev", "type": "tmpfs", "source": "tmpfs", "options": ["nosuid", "strictatime", "mode=755", "size=65536k"]}),
        json!({"destination": "/tmp", "type": "tmpfs", "source": "tmpfs", "options": ["nosuid", "nodev", "mode=1777", format!("size={}", ctx.limits.tmp_bytes)]}),
        json!({"destination": "/work", "type": "bind", "source": ctx.work, "options": ["rbind", "rw", "nosuid", "nodev"]}),
        json!({"destination": INIT, "type": "bind", "source": sandbox.helper.program, "options": ["bind", "ro"]}),
    ];
    for bind in launch::binds(&ctx.env) {
        let source = fs::canonicalize(&bind.source).unwrap_or(bind.source.clone());
        mounts.push(json!({"destination": bind.target, "type": "bind", "source": source, "options": ["rbind", "ro", "nosuid", "nodev"]}));
    }
    let mut namespaces = vec![
        json!({"type": "pid"}),
        json!({"type": "ipc"}),
        json!({"type": "uts"}),
        json!({"type": "mount"}),
        json!({"type": "cgroup"}),
    ];
    if ctx.env.network == Network::None {
        namespaces.push(json!({"type": "network"}));
    }
    let mut linux = json!({
        "namespaces": namespaces,
        "resources": {
            "memory": {"limit": ctx.limits.memory_bytes},
            "pids": {"limit": ctx.limits.processes},
            "devices": [{"allow": false, "access": "rwm"}],
        },
        "maskedPaths": ["/proc/kcore", "/proc/keys", "/proc/timer_list", "/proc/sched_debug", "/sys/firmware"],
        "readonlyPaths": ["/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger"],
    });
    if let Some(path) = cgroups_path(sandbox.cgroups.as_ref(), &ctx.id) {
        linux["cgroupsPath"] = json!(path);
    }
    let mut args = vec![INIT.to_owned()];
    args.extend(sandbox.helper.args.iter().cloned());
    args.push(idle);
    json!({
        "ociVersion": "1.0.2",
        "process": {
            "terminal": false,
            "user": {"uid": uid, "gid": uid},
            "args": args,
            "env": env_strings(&ctx.env),
            "cwd": "/work",
            "noNewPrivileges": true,
            "capabilities": {"bounding": [], "effective": [], "permitted": [], "inheritable": [], "ambient": []},
            "rlimits": [{"type": "RLIMIT_NOFILE", "hard": 1024u64, "soft": 1024u64}, {"type": "RLIMIT_CORE", "hard": 0u64, "soft": 0u64}],
        },
        "root": {"path": "rootfs", "readonly": true},
        "hostname": "sandbox",
        "mounts": mounts,
        "linux": linux,
    })
}

/// Below the engine's own memory cgroup (v1) or parent (v2), as runc expects the path.
fn cgroups_path(root: Option<&CgroupRoot>, id: &str) -> Option<String> {
    let parent = match root? {
        CgroupRoot::V1 { memory, .. } => memory
            .strip_prefix("/sys/fs/cgroup/memory")
            .ok()?
            .to_path_buf(),
        CgroupRoot::V2 { parent } => parent.strip_prefix("/sys/fs/cgroup").ok()?.to_path_buf(),
    };
    Some(
        Path::new("/")
            .join(parent)
            .join(format!("runc-{id}"))
            .to_string_lossy()
            .into_owned(),
    )
}

fn env_strings(env: &Environment) -> Vec<String> {
    env.env_list()
        .into_iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect()
}

/// `runc exec` reports a signal as 128 + its number.
fn exit_of(status: std::process::ExitStatus) -> Option<Exit> {
    let code = status.code()?;
    Some(if (129..=128 + 64).contains(&code) {
        Exit::Signal(code - 128)
    } else {
        Exit::Code(code)
    })
}

impl RunningContainer for RuncContainer {
    fn exec(
        &self,
        _sandbox: &Sandbox,
        argv: &[String],
        stdin: &[u8],
        limits: Limits,
        sink: &dyn OutputSink,
    ) -> Result<RunOutcome, SandboxError> {
        let tag = uuid::Uuid::new_v4().simple().to_string();
        let stdin_path = self.dir.join(format!("exec-{tag}.stdin"));
        let pid_file = self.dir.join(format!("exec-{tag}.pid"));
        fs::write(&stdin_path, stdin).context(|| format!("writing {}", stdin_path.display()))?;
        let stdin_file =
            File::open(&stdin_path).context(|| format!("opening {}", stdin_path.display()))?;
        let uid = self.uid.unwrap_or(65534);
        let mut command = self.runc();
        command.args([
            "exec",
            "--no-new-privs",
            "--cwd",
            "/work",
            "--user",
            &format!("{uid}:{uid}"),
            "--pid-file",
        ]);
        command.arg(&pid_file);
        for var in env_strings(&self.env) {
            command.args(["--env", &var]);
        }
        command
            .arg(&self.name)
            .args(Environment::expand(argv, &self.env.source_file, "/work"));
        // runc cannot forward SIGKILL: a limit kills the exec'd process itself.
        let kill_exec = || {
            if let Ok(pid) =
                fs::read_to_string(&pid_file).map(|p| p.trim().parse::<i32>().unwrap_or(0))
                && pid > 1
            {
                let _ = killpg(Pid::from_raw(pid), Signal::SIGKILL);
                let _ = kill(Pid::from_raw(pid), Signal::SIGKILL);
            }
        };
        let seen = supervisor::supervise_command(
            command,
            Supervision {
                stdin: stdin_file,
                wall: Duration::from_millis(limits.wall_time_ms),
                cpu_us: limits.cpu_time_ms * 1000,
                output_bytes: limits.output_bytes,
                cgroup: None,
                report: None,
                sink,
                on_kill: Some(&kill_exec),
            },
        );
        let _ = fs::remove_file(&stdin_path);
        let _ = fs::remove_file(&pid_file);
        let seen = seen?;
        let exit = seen.helper.and_then(exit_of);
        Ok(outcome::decide_external(
            seen,
            exit,
            limits,
            Isolation::Runc,
        ))
    }

    fn stop(&self) -> Result<(), SandboxError> {
        let _ = self
            .runc()
            .args(["kill", &self.name, "KILL"])
            .stderr(Stdio::null())
            .status();
        let output = self
            .runc()
            .args(["delete", "--force", &self.name])
            .stderr(Stdio::piped())
            .output()
            .context(|| "runc delete".into())?;
        if !output.status.success() {
            return Err(SandboxError::internal_msg(format!(
                "runc delete failed: {}",
                String::from_utf8_lossy(&output.stderr).trim()
            )));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn runc_cgroups_sit_below_the_engines_memory_cgroup() {
        let root = CgroupRoot::V1 {
            memory: "/sys/fs/cgroup/memory/process_api/e68/kiro-sandbox".into(),
            pids: "/sys/fs/cgroup/pids/kiro-sandbox".into(),
            cpuacct: "/sys/fs/cgroup/cpuacct/kiro-sandbox".into(),
        };
        assert_eq!(
            cgroups_path(Some(&root), "abc").as_deref(),
            Some("/process_api/e68/kiro-sandbox/runc-abc")
        );
        assert_eq!(cgroups_path(None, "abc"), None);
    }

    #[test]
    fn signals_come_back_from_runc_exec_as_128_plus_n() {
        use std::os::unix::process::ExitStatusExt;
        assert_eq!(
            exit_of(std::process::ExitStatus::from_raw(137 << 8)),
            Some(Exit::Signal(9))
        );
        assert_eq!(
            exit_of(std::process::ExitStatus::from_raw(3 << 8)),
            Some(Exit::Code(3))
        );
    }
}
