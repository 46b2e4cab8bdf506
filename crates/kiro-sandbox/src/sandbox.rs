//! The engine's front: [`Sandbox`] probes the host once, picks the isolation, holds the
//! environments and the slots, and runs commands. Each run gets a fresh job cgroup; a
//! submission's runs share one job directory (so a compile step's output reaches its cases).

use std::fs::{self, File};
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use crate::capabilities::{self, Capabilities};
use crate::cgroup::{self, CgroupLimits, CgroupRoot};
use crate::environment::{Environment, Registry, builtin};
use crate::error::{Context, SandboxError};
use crate::isolation::Isolation;
use crate::launch::{self, LaunchInput};
use crate::limits::{Limits, LimitsRequest};
use crate::outcome::{self, RunOutcome};
use crate::output::OutputSink;
use crate::slots::Slots;
use crate::supervisor::{self, HelperCommand, Supervision};
use crate::workdir::JobDir;

/// How the engine is set up.
#[derive(Debug, Clone)]
pub struct SandboxConfig {
    /// `None`: the best the host offers (native, else bubblewrap). `Some(Isolation::None)`
    /// must be chosen explicitly to run code unsandboxed.
    pub isolation: Option<Isolation>,
    /// A directory of the engine's own (job directories, the root mount point).
    pub state_dir: PathBuf,
    /// How to start the helper; `None` looks for `kiro-sandbox-init` beside the executable.
    pub helper: Option<HelperCommand>,
    /// Runs at once; each slot has its own uid.
    pub slots: u32,
    /// The first slot's uid (slots use `first_uid..first_uid + slots`).
    pub first_uid: u32,
    pub bwrap: PathBuf,
    pub runc: PathBuf,
    /// Host paths no environment may bind (the server adds its data directory).
    pub forbidden_paths: Vec<PathBuf>,
    /// Register the built-in environments found on the host.
    pub builtins: bool,
    /// Largest source file accepted, bytes.
    pub max_source_bytes: usize,
    /// Largest stdin (and expected output) of one case, bytes.
    pub max_stdin_bytes: usize,
    /// Most test cases in one submission.
    pub max_cases: usize,
}

impl SandboxConfig {
    pub fn new(state_dir: impl Into<PathBuf>) -> SandboxConfig {
        SandboxConfig {
            isolation: None,
            state_dir: state_dir.into(),
            helper: None,
            slots: 4,
            first_uid: 61_000,
            bwrap: "/usr/bin/bwrap".into(),
            runc: "/usr/sbin/runc".into(),
            forbidden_paths: Vec::new(),
            builtins: true,
            max_source_bytes: 1024 * 1024,
            max_stdin_bytes: 16 * 1024 * 1024,
            max_cases: 64,
        }
    }
}

/// The execution engine.
#[derive(Debug)]
pub struct Sandbox {
    pub(crate) config: SandboxConfig,
    pub(crate) helper: HelperCommand,
    pub(crate) isolation: Isolation,
    capabilities: Capabilities,
    pub(crate) cgroups: Option<CgroupRoot>,
    slots: Slots,
    registry: Registry,
    pub(crate) jobs_dir: PathBuf,
    pub(crate) root_mount: PathBuf,
}

impl Sandbox {
    /// Probes the host, picks the isolation and registers the built-in environments.
    pub fn new(config: SandboxConfig) -> Result<Sandbox, SandboxError> {
        let helper = match &config.helper {
            Some(helper) => helper.clone(),
            None => HelperCommand::locate()?,
        };
        let found = cgroup::discover("kiro-sandbox");
        let mut capabilities = capabilities::probe(&found, &config.bwrap, &config.runc);
        let isolation = choose(&config, &capabilities)?;
        capabilities.selected = Some(isolation);
        // Only root may create cgroups on a host that has not delegated a subtree.
        let cgroups = found.ok().filter(|_| capabilities.root);
        let state = &config.state_dir;
        let jobs_dir = state.join("jobs");
        let root_mount = state.join("root");
        for (dir, mode) in [(state, 0o711), (&jobs_dir, 0o711), (&root_mount, 0o755)] {
            fs::create_dir_all(dir).context(|| format!("creating {}", dir.display()))?;
            fs::set_permissions(dir, fs::Permissions::from_mode(mode))
                .context(|| format!("chmod {}", dir.display()))?;
        }
        JobDir::sweep(&jobs_dir);
        let mut forbidden = config.forbidden_paths.clone();
        forbidden.push(state.clone());
        let registry = Registry::new(forbidden);
        if config.builtins {
            for env in builtin::discover() {
                registry.insert(env)?;
            }
        }
        Ok(Sandbox {
            slots: Slots::new(config.first_uid, config.slots.max(1)),
            config,
            helper,
            isolation,
            capabilities,
            cgroups,
            registry,
            jobs_dir,
            root_mount,
        })
    }

    /// What the host supports, and the isolation runs get.
    pub fn capabilities(&self) -> &Capabilities {
        &self.capabilities
    }

    /// The isolation every run of this sandbox has.
    pub fn isolation(&self) -> Isolation {
        self.isolation
    }

    /// The environments, built-in and custom.
    pub fn environments(&self) -> &Registry {
        &self.registry
    }

    /// Runs one command (not a submission: no source, no compile step) of environment
    /// `environment` in a fresh work directory.
    pub fn run_command(
        &self,
        environment: &str,
        argv: Vec<String>,
        stdin: &[u8],
        limits: &LimitsRequest,
        sink: &dyn OutputSink,
    ) -> Result<RunOutcome, SandboxError> {
        let env = self.registry.get(environment)?;
        let limits = limits
            .resolve(&env.default_limits, &env.max_limits)
            .map_err(SandboxError::Invalid)?;
        if argv.is_empty() {
            return Err(SandboxError::invalid(
                "command",
                "give the program and its arguments",
            ));
        }
        self.check_stdin("stdin", stdin)?;
        let slot = self.slots.acquire();
        let job = self.job_dir(limits.work_bytes, slot.uid)?;
        self.run_in(&env, &job, argv, stdin, limits, slot.uid, sink)
    }

    pub(crate) fn check_stdin(&self, field: &str, bytes: &[u8]) -> Result<(), SandboxError> {
        if bytes.len() > self.config.max_stdin_bytes {
            return Err(SandboxError::invalid(
                field,
                format!(
                    "{} bytes is more than the {} allowed",
                    bytes.len(),
                    self.config.max_stdin_bytes
                ),
            ));
        }
        Ok(())
    }

    pub(crate) fn slots(&self) -> &Slots {
        &self.slots
    }

    /// Root runs get a tmpfs work directory; others a plain directory.
    pub(crate) fn job_dir(&self, work_bytes: u64, uid: u32) -> Result<JobDir, SandboxError> {
        let root = self.capabilities.root;
        let dir = self
            .jobs_dir
            .join(uuid::Uuid::new_v4().simple().to_string());
        JobDir::create(dir, work_bytes, root.then_some(uid), root)
    }

    /// One run in an existing job directory with its own cgroup.
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn run_in(
        &self,
        env: &Environment,
        job: &JobDir,
        argv: Vec<String>,
        stdin: &[u8],
        limits: Limits,
        uid: u32,
        sink: &dyn OutputSink,
    ) -> Result<RunOutcome, SandboxError> {
        let cgroup = match &self.cgroups {
            Some(root) => Some(
                root.create(
                    &format!("run-{}", uuid::Uuid::new_v4().simple()),
                    CgroupLimits {
                        memory_bytes: limits.memory_bytes,
                        processes: limits.processes,
                    },
                )
                .context(|| "creating the job's cgroups".into())?,
            ),
            None => None,
        };
        let stdin_path = job.private("stdin");
        fs::write(&stdin_path, stdin).context(|| format!("writing {}", stdin_path.display()))?;
        let stdin_file =
            File::open(&stdin_path).context(|| format!("opening {}", stdin_path.display()))?;
        let report = job.private("report");
        let _ = fs::remove_file(&report);
        let work = launch::work_path(self.isolation, job.work());
        let argv = Environment::expand(&argv, &env.source_file, &work);
        let spec = launch::spec(&LaunchInput {
            isolation: self.isolation,
            env,
            argv,
            limits,
            work: job.work(),
            uid: self.capabilities.root.then_some(uid),
            cgroups: cgroup
                .as_ref()
                .map(|c| c.join_dirs().to_vec())
                .unwrap_or_default(),
            report: report.clone(),
            root_mount: &self.root_mount,
            helper: &self.helper,
            bwrap: &self.config.bwrap,
        });
        let seen = supervisor::supervise(
            &self.helper,
            &spec,
            Supervision {
                stdin: stdin_file,
                wall: Duration::from_millis(limits.wall_time_ms),
                cpu_us: limits.cpu_time_ms * 1000,
                output_bytes: limits.output_bytes,
                cgroup: cgroup.as_ref(),
                report: Some(&report),
                sink,
                on_kill: None,
            },
        )?;
        let usage = cgroup.as_ref().map(|c| c.usage());
        if let Some(cgroup) = cgroup {
            cgroup.remove();
        }
        Ok(outcome::decide(seen, usage, limits, self.isolation))
    }

    /// The environment called `name`.
    pub fn environment(&self, name: &str) -> Result<Arc<Environment>, SandboxError> {
        self.registry.get(name)
    }

    /// The state directory (job directories live below it).
    pub fn state_dir(&self) -> &Path {
        &self.config.state_dir
    }
}

fn choose(config: &SandboxConfig, caps: &Capabilities) -> Result<Isolation, SandboxError> {
    if let Some(wanted) = config.isolation {
        return caps.supports(wanted).map(|()| wanted).map_err(|reason| {
            SandboxError::Unavailable(format!(
                "isolation `{}` is not available: {reason}",
                wanted.as_str()
            ))
        });
    }
    [Isolation::Native, Isolation::Bubblewrap]
        .into_iter()
        .find(|&i| caps.supports(i).is_ok())
        .ok_or_else(|| {
            SandboxError::Unavailable(
                "this host supports neither the native sandbox (needs root) nor bubblewrap; \
                 configure isolation `none` explicitly to run code unsandboxed"
                    .into(),
            )
        })
}
