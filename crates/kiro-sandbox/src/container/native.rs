//! Native containers: the helper builds the same namespaces and root as a one-shot run, but
//! its pid 1 idles (reaping) instead of running a payload. Each exec is a helper that joins
//! the container's namespaces and a cgroup of its own below the container's, and runs the
//! command confined as in a one-shot run.
//!
//! The init is spawned and waited for by a thread of its own that lives as long as the
//! container, because the helper dies with the thread that spawned it.

use std::fs::{self, File};
use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::Duration;

use super::{ContainerBackend, ContainerContext, RunningContainer};
use crate::cgroup::{CgroupLimits, JobCgroup};
use crate::environment::{Environment, Network};
use crate::error::{Context, SandboxError};
use crate::isolation::Isolation;
use crate::launch::{self, LaunchInput};
use crate::limits::Limits;
use crate::outcome::{self, RunOutcome};
use crate::output::OutputSink;
use crate::sandbox::Sandbox;
use crate::spec::{LaunchSpec, Mode, RootSpec};
use crate::supervisor::{self, Supervision};

/// How long a container's init may take to build its root.
const START_TIMEOUT: Duration = Duration::from_secs(30);

/// The native backend (needs the native isolation: root and cgroups).
#[derive(Debug, Default)]
pub struct NativeBackend;

#[derive(Debug)]
struct NativeContainer {
    id: String,
    env: Arc<Environment>,
    uid: Option<u32>,
    dir: std::path::PathBuf,
    work: std::path::PathBuf,
    init_pid: i32,
    /// `[init, container]`: the init's leaf and the container-wide parent.
    cgroups: Mutex<Option<(JobCgroup, JobCgroup)>>,
    waiter: Mutex<Option<JoinHandle<()>>>,
}

impl ContainerBackend for NativeBackend {
    fn name(&self) -> &'static str {
        "native"
    }

    fn start(
        &self,
        sandbox: &Sandbox,
        ctx: &ContainerContext,
    ) -> Result<Arc<dyn RunningContainer>, SandboxError> {
        if sandbox.isolation != Isolation::Native {
            return Err(SandboxError::Unavailable(
                "native containers need the native isolation".into(),
            ));
        }
        let root = sandbox
            .cgroups
            .as_ref()
            .ok_or_else(|| SandboxError::Unavailable("native containers need cgroups".into()))?;
        let limits = CgroupLimits {
            memory_bytes: ctx.limits.memory_bytes,
            processes: ctx.limits.processes,
        };
        let name = format!(
            "ctr-{}-{}",
            ctx.id,
            &uuid::Uuid::new_v4().simple().to_string()[..8]
        );
        let parent = root
            .create(&name, limits)
            .context(|| "creating the container's cgroup".into())?;
        let init = parent
            .child("init", None)
            .context(|| "creating the init's cgroup".into())?;
        let spec = LaunchSpec {
            mode: Mode::ContainerInit,
            cgroups: init.join_dirs().to_vec(),
            report: Some(ctx.dir.join("init.report")),
            report_fd: None,
            root: Some(RootSpec {
                mount_point: sandbox.root_mount.clone(),
                binds: launch::binds(&ctx.env),
                work: ctx.work.clone(),
                tmp_bytes: ctx.limits.tmp_bytes,
                share_network: matches!(ctx.env.network, Network::Allowlist { .. }),
                uid: ctx.uid.unwrap_or(65534),
            }),
            payload: None,
            enter_pid: None,
            bwrap: None,
        };
        let json =
            serde_json::to_string(&spec).map_err(|e| SandboxError::internal_msg(e.to_string()))?;
        let mut command = Command::new(&sandbox.helper.program);
        command
            .args(&sandbox.helper.args)
            .arg(json)
            .env_clear()
            .current_dir("/")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::null());
        let (tell, told) = mpsc::channel();
        let waiter = std::thread::Builder::new()
            .name(format!("container-{}", ctx.id))
            .spawn(move || keep_init(command, tell))
            .context(|| "starting the container's thread".into())?;
        let init_pid = match told.recv_timeout(START_TIMEOUT) {
            Ok(Ok(pid)) => pid,
            Ok(Err(message)) => {
                init.kill_all(Duration::from_secs(1));
                let _ = waiter.join();
                return Err(SandboxError::internal_msg(format!(
                    "starting container {}: {message}",
                    ctx.id
                )));
            }
            Err(_) => {
                init.kill_all(Duration::from_secs(1));
                let _ = waiter.join();
                return Err(SandboxError::internal_msg(format!(
                    "container {} did not start",
                    ctx.id
                )));
            }
        };
        Ok(Arc::new(NativeContainer {
            id: ctx.id.clone(),
            env: Arc::clone(&ctx.env),
            uid: ctx.uid,
            dir: ctx.dir.clone(),
            work: ctx.work.clone(),
            init_pid,
            cgroups: Mutex::new(Some((init, parent))),
            waiter: Mutex::new(Some(waiter)),
        }))
    }
}

/// The container thread: spawn the init, pass on its pid once it is ready, wait for it.
fn keep_init(mut command: Command, tell: mpsc::Sender<Result<i32, String>>) {
    let mut child = match command.spawn() {
        Ok(child) => child,
        Err(e) => {
            let _ = tell.send(Err(format!("spawning the helper: {e}")));
            return;
        }
    };
    let mut pid = None;
    if let Some(out) = child.stdout.take() {
        for line in BufReader::new(out).lines() {
            let Ok(line) = line else { break };
            if let Some(n) = line.strip_prefix("pid ") {
                pid = n.trim().parse().ok();
            } else if line == "ready" {
                let _ = tell.send(pid.ok_or_else(|| "the init did not say its pid".to_owned()));
                break;
            } else if let Some(message) = line.strip_prefix("error ") {
                let _ = tell.send(Err(message.to_owned()));
                break;
            }
        }
    }
    let status = child.wait();
    let _ = tell.send(Err(format!("the init ended ({status:?})")));
}

impl RunningContainer for NativeContainer {
    fn exec(
        &self,
        sandbox: &Sandbox,
        argv: &[String],
        stdin: &[u8],
        limits: Limits,
        sink: &dyn OutputSink,
    ) -> Result<RunOutcome, SandboxError> {
        let tag = uuid::Uuid::new_v4().simple().to_string();
        let cgroup = {
            let guard = self.cgroups.lock().unwrap_or_else(|p| p.into_inner());
            let (_, parent) = guard.as_ref().ok_or_else(|| {
                SandboxError::Unavailable(format!("container {} is stopping", self.id))
            })?;
            parent
                .child(
                    &format!("exec-{tag}"),
                    Some(CgroupLimits {
                        memory_bytes: limits.memory_bytes,
                        processes: limits.processes,
                    }),
                )
                .context(|| "creating the exec's cgroup".into())?
        };
        let stdin_path = self.dir.join(format!("exec-{tag}.stdin"));
        let report = self.dir.join(format!("exec-{tag}.report"));
        fs::write(&stdin_path, stdin).context(|| format!("writing {}", stdin_path.display()))?;
        let stdin_file =
            File::open(&stdin_path).context(|| format!("opening {}", stdin_path.display()))?;
        let argv = Environment::expand(argv, &self.env.source_file, "/work");
        let input = LaunchInput {
            isolation: Isolation::Native,
            env: &self.env,
            argv,
            limits,
            work: &self.work,
            uid: self.uid,
            cgroups: cgroup.join_dirs().to_vec(),
            report: report.clone(),
            root_mount: &sandbox.root_mount,
            helper: &sandbox.helper,
            bwrap: &sandbox.config.bwrap,
        };
        let spec = LaunchSpec {
            mode: Mode::ContainerExec,
            cgroups: input.cgroups.clone(),
            report: Some(report.clone()),
            report_fd: None,
            root: None,
            payload: Some(launch::payload(&input, "/work".into(), true)),
            enter_pid: Some(self.init_pid),
            bwrap: None,
        };
        let seen = supervisor::supervise(
            &sandbox.helper,
            &spec,
            Supervision {
                stdin: stdin_file,
                wall: Duration::from_millis(limits.wall_time_ms),
                cpu_us: limits.cpu_time_ms * 1000,
                output_bytes: limits.output_bytes,
                cgroup: Some(&cgroup),
                report: Some(&report),
                sink,
                on_kill: None,
            },
        );
        let usage = cgroup.usage();
        drop(cgroup);
        let _ = fs::remove_file(&stdin_path);
        let _ = fs::remove_file(&report);
        Ok(outcome::decide(
            seen?,
            Some(usage),
            limits,
            Isolation::Native,
        ))
    }

    fn stop(&self) -> Result<(), SandboxError> {
        let cgroups = self
            .cgroups
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .take();
        if let Some((init, _)) = &cgroups {
            // The helper and the namespace's pid 1: with it the whole namespace goes.
            init.kill_all(Duration::from_secs(5));
        }
        if let Some(waiter) = self.waiter.lock().unwrap_or_else(|p| p.into_inner()).take() {
            let _ = waiter.join();
        }
        drop(cgroups);
        Ok(())
    }
}

impl Drop for NativeContainer {
    fn drop(&mut self) {
        let _ = RunningContainer::stop(self);
    }
}
