//! The supervisor: starts the helper with the launch spec, streams stdout and stderr as they
//! arrive (capped), enforces the wall-clock limit and (from the job's cgroup) the total CPU
//! limit, kills the whole job when a limit is passed, and collects the helper's report.
//!
//! It runs on the calling thread from spawn to reaping, which matters: the helper dies with
//! the thread that spawned it (`PR_SET_PDEATHSIG`), so a crashed server leaves nothing behind.

use std::fs::{self, File};
use std::io::{ErrorKind, Read};
use std::os::fd::{AsFd, OwnedFd};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};

use nix::fcntl::{FcntlArg, OFlag, fcntl};
use nix::poll::{PollFd, PollFlags, poll};

use crate::cgroup::JobCgroup;
use crate::error::{Context, SandboxError};
use crate::output::{Capture, OutputSink, Stream};
use crate::spec::{LaunchSpec, Report};
use crate::sys;

/// How often the CPU total is checked while the job runs.
const POLL: Duration = Duration::from_millis(10);
/// How long a killed job may take to close its pipes before the supervisor stops waiting.
const KILL_GRACE: Duration = Duration::from_secs(5);

/// How the helper is started: a `kiro-sandbox-init` binary, or an embedding binary with a
/// marker argument that dispatches to [`crate::init::helper_main`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HelperCommand {
    pub program: PathBuf,
    pub args: Vec<String>,
}

impl HelperCommand {
    /// The helper a sandbox uses when none is configured: `kiro-sandbox-init` beside the
    /// running executable, else the executable itself when it embeds the helper
    /// ([`crate::init::embedded_helper`]).
    pub fn locate() -> Result<HelperCommand, SandboxError> {
        Self::beside_current_exe().or_else(|missing| {
            if !crate::init::is_embedded() {
                return Err(missing);
            }
            let program =
                std::env::current_exe().context(|| "finding the current executable".into())?;
            Ok(HelperCommand {
                program,
                args: vec![crate::init::EMBEDDED_ARG.to_owned()],
            })
        })
    }

    /// `kiro-sandbox-init` next to the running executable (or its parent directory, for test
    /// binaries in `target/*/deps`).
    pub fn beside_current_exe() -> Result<HelperCommand, SandboxError> {
        let exe = std::env::current_exe().context(|| "finding the current executable".into())?;
        let dir = exe.parent().map(Path::to_path_buf).unwrap_or_default();
        [dir.join("kiro-sandbox-init"), dir.join("../kiro-sandbox-init")]
            .into_iter()
            .find(|p| p.is_file())
            .map(|program| HelperCommand {
                program,
                args: Vec::new(),
            })
            .ok_or_else(|| {
                SandboxError::Unavailable(format!(
                    "kiro-sandbox-init is not installed next to {} (build it with `cargo build -p kiro-sandbox`)",
                    exe.display()
                ))
            })
    }
}

/// Why the supervisor ended a run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kill {
    Wall,
    Cpu,
    Output,
    /// The sink asked for the run to stop.
    Cancelled,
}

/// One supervised run.
pub struct Supervision<'a> {
    pub stdin: File,
    pub wall: Duration,
    /// Total CPU limit, enforced when there is a cgroup to measure it.
    pub cpu_us: u64,
    pub output_bytes: u64,
    pub cgroup: Option<&'a JobCgroup>,
    /// The helper's report file (none for an external command such as `runc exec`).
    pub report: Option<&'a Path>,
    pub sink: &'a dyn OutputSink,
    /// Called (besides killing the child and the cgroup) when a limit ends the run.
    pub on_kill: Option<&'a (dyn Fn() + Sync)>,
}

/// What the supervisor saw.
#[derive(Debug)]
pub struct Supervised {
    pub capture: Capture,
    pub killed: Option<Kill>,
    /// From spawning the helper to reaping it.
    pub wall: Duration,
    pub report: Option<Report>,
    pub helper: Option<ExitStatus>,
}

struct Pipe {
    stream: Stream,
    file: File,
}

/// Runs the helper and supervises it to the end.
pub fn supervise(
    helper: &HelperCommand,
    spec: &LaunchSpec,
    run: Supervision<'_>,
) -> Result<Supervised, SandboxError> {
    let json = serde_json::to_string(spec)
        .map_err(|e| SandboxError::internal_msg(format!("launch spec: {e}")))?;
    let mut command = Command::new(&helper.program);
    command
        .args(&helper.args)
        .arg(json)
        .env_clear()
        .current_dir("/");
    supervise_command(command, run)
}

/// Runs any command (the helper, `runc exec`) under the same supervision.
pub fn supervise_command(
    mut command: Command,
    run: Supervision<'_>,
) -> Result<Supervised, SandboxError> {
    let program = command.get_program().to_string_lossy().into_owned();
    let started = Instant::now();
    let mut child = command
        .stdin(run.stdin)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .context(|| format!("starting {program}"))?;
    let mut pipes = Vec::new();
    if let Some(out) = child.stdout.take() {
        pipes.push(Pipe {
            stream: Stream::Stdout,
            file: File::from(OwnedFd::from(out)),
        });
    }
    if let Some(err) = child.stderr.take() {
        pipes.push(Pipe {
            stream: Stream::Stderr,
            file: File::from(OwnedFd::from(err)),
        });
    }
    for pipe in &pipes {
        fcntl(&pipe.file, FcntlArg::F_SETFL(OFlag::O_NONBLOCK))
            .context(|| "making a pipe non-blocking".into())?;
    }
    let pidfd = sys::pidfd_open(child.id()).ok();
    let deadline = started + run.wall;
    let mut capture = Capture::new(run.output_bytes);
    let mut killed: Option<(Kill, Instant)> = None;
    let mut helper: Option<ExitStatus> = None;
    let mut buf = vec![0u8; 64 * 1024];
    loop {
        if helper.is_none() {
            helper = child
                .try_wait()
                .context(|| "waiting for the helper".into())?;
        }
        if pipes.is_empty() && helper.is_some() {
            break;
        }
        if let Some((_, at)) = killed
            && at.elapsed() > KILL_GRACE
        {
            break;
        }
        let now = Instant::now();
        let timeout = if killed.is_some() {
            POLL
        } else {
            deadline.saturating_duration_since(now).min(POLL)
        };
        wait_for_events(&pipes, pidfd.as_ref().filter(|_| helper.is_none()), timeout);
        let mut closed = Vec::new();
        for (i, pipe) in pipes.iter_mut().enumerate() {
            if drain(pipe, &mut buf, &mut capture, run.sink) {
                closed.push(i);
            }
        }
        for i in closed.into_iter().rev() {
            pipes.remove(i);
        }
        if killed.is_none() {
            let reason = if run.sink.cancelled() {
                Some(Kill::Cancelled)
            } else if capture.exceeded {
                Some(Kill::Output)
            } else if Instant::now() >= deadline {
                Some(Kill::Wall)
            } else if run
                .cgroup
                .and_then(JobCgroup::cpu_time_us)
                .is_some_and(|used| used > run.cpu_us)
            {
                Some(Kill::Cpu)
            } else {
                None
            };
            if let Some(reason) = reason {
                kill_job(&mut child, run.cgroup);
                if let Some(hook) = run.on_kill {
                    hook();
                }
                killed = Some((reason, Instant::now()));
            }
        }
    }
    if helper.is_none() {
        // Pipes gave up after a kill: make sure the helper is gone and reaped.
        let _ = child.kill();
        helper = child.wait().ok();
    }
    let wall = started.elapsed();
    let report = run.report.and_then(read_report);
    Ok(Supervised {
        capture,
        killed: killed.map(|k| k.0),
        wall,
        report,
        helper,
    })
}

/// Blocks until a pipe has data or closes, the helper exits, or `timeout` passes.
fn wait_for_events(pipes: &[Pipe], pidfd: Option<&OwnedFd>, timeout: Duration) {
    let mut fds: Vec<PollFd<'_>> = pipes
        .iter()
        .map(|p| PollFd::new(p.file.as_fd(), PollFlags::POLLIN))
        .chain(pidfd.map(|fd| PollFd::new(fd.as_fd(), PollFlags::POLLIN)))
        .collect();
    let millis = u16::try_from(timeout.as_millis().max(1)).unwrap_or(u16::MAX);
    let _ = poll(&mut fds, millis);
}

/// Reads what is available; `true` when the pipe reached end of file.
fn drain(pipe: &mut Pipe, buf: &mut [u8], capture: &mut Capture, sink: &dyn OutputSink) -> bool {
    loop {
        match pipe.file.read(buf) {
            Ok(0) => return true,
            Ok(n) => {
                capture.push(pipe.stream, &buf[..n], sink);
            }
            Err(e) if e.kind() == ErrorKind::WouldBlock => return false,
            Err(e) if e.kind() == ErrorKind::Interrupted => {}
            Err(_) => return true,
        }
    }
}

/// Kills every process of the job: through its cgroup when there is one (the helper, the
/// sandbox's pid 1 and everything below), and the helper itself in any case (without a
/// cgroup its death takes the sandbox with it through `PR_SET_PDEATHSIG`).
fn kill_job(child: &mut Child, cgroup: Option<&JobCgroup>) {
    if let Some(cgroup) = cgroup {
        cgroup.kill_all(Duration::from_millis(500));
    }
    let _ = child.kill();
}

fn read_report(path: &Path) -> Option<Report> {
    let bytes = fs::read(path).ok()?;
    serde_json::from_slice(&bytes).ok()
}
