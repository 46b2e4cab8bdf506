//! Turning "run this command of this environment in this job directory" into the helper's
//! launch spec for the chosen isolation: the binds, the payload's confinement, the
//! bubblewrap command line.

use std::path::{Path, PathBuf};

use crate::environment::builtin::{SYSTEM_ETC, SYSTEM_PATHS};
use crate::environment::{Environment, Network};
use crate::isolation::Isolation;
use crate::limits::Limits;
use crate::spec::{Bind, LaunchSpec, Mode, PayloadSpec, Rlimits, RootSpec};
use crate::supervisor::HelperCommand;

/// Where the helper binary appears inside a bubblewrap sandbox.
const INNER_HELPER: &str = "/.kiro-sandbox-init";

/// Inputs of one launch.
pub struct LaunchInput<'a> {
    pub isolation: Isolation,
    pub env: &'a Environment,
    pub argv: Vec<String>,
    pub limits: Limits,
    pub work: &'a Path,
    pub uid: Option<u32>,
    pub cgroups: Vec<PathBuf>,
    pub report: PathBuf,
    /// The empty directory the native root is mounted on.
    pub root_mount: &'a Path,
    pub helper: &'a HelperCommand,
    pub bwrap: &'a Path,
}

/// The work directory as the program sees it.
pub fn work_path(isolation: Isolation, host_work: &Path) -> String {
    match isolation {
        Isolation::Native | Isolation::Bubblewrap | Isolation::Runc => "/work".into(),
        Isolation::None => host_work.to_string_lossy().into_owned(),
    }
}

/// Read-only binds every run of `env` gets: system directories, a few `/etc` files, and the
/// environment's runtime paths, each at its own path.
pub fn binds(env: &Environment) -> Vec<Bind> {
    SYSTEM_PATHS
        .iter()
        .chain(SYSTEM_ETC)
        .map(PathBuf::from)
        .chain(env.runtime_paths.iter().cloned())
        .filter(|p| p.symlink_metadata().is_ok())
        .map(|p| Bind {
            source: p.clone(),
            target: p,
            writable: false,
        })
        .collect()
}

pub(crate) fn payload(input: &LaunchInput<'_>, cwd: PathBuf, cgroup_limited: bool) -> PayloadSpec {
    let limits = input.limits;
    PayloadSpec {
        argv: input.argv.clone(),
        env: input.env.env_list(),
        cwd,
        uid: input.uid,
        rlimits: Rlimits {
            cpu_seconds: limits.cpu_time_ms.div_ceil(1000) + 1,
            file_size_bytes: limits.work_bytes.max(limits.tmp_bytes),
            processes: if input.uid.is_some() {
                u64::from(limits.processes) + 4
            } else {
                0
            },
            open_files: 1024,
            data_bytes: (!cgroup_limited).then_some(limits.memory_bytes),
        },
        writable: vec!["/work".into(), "/tmp".into()],
        tcp_connect_ports: match &input.env.network {
            Network::None => None,
            Network::Allowlist { tcp_ports } => Some(tcp_ports.clone()),
        },
        confine: input.isolation != Isolation::None,
    }
}

/// The launch spec for `input`.
pub fn spec(input: &LaunchInput<'_>) -> LaunchSpec {
    let cgroup_limited = !input.cgroups.is_empty();
    let share_network = matches!(input.env.network, Network::Allowlist { .. });
    let mut spec = LaunchSpec {
        mode: Mode::Run,
        cgroups: input.cgroups.clone(),
        report: Some(input.report.clone()),
        report_fd: None,
        root: None,
        payload: None,
        enter_pid: None,
        bwrap: None,
    };
    match input.isolation {
        Isolation::Native => {
            spec.root = Some(RootSpec {
                mount_point: input.root_mount.to_path_buf(),
                binds: binds(input.env),
                work: input.work.to_path_buf(),
                tmp_bytes: input.limits.tmp_bytes,
                share_network,
                uid: input.uid.unwrap_or(65534),
            });
            spec.payload = Some(payload(input, "/work".into(), cgroup_limited));
        }
        Isolation::Bubblewrap => {
            spec.mode = Mode::Bubblewrap;
            spec.bwrap = Some(bwrap_argv(input, share_network));
            spec.payload = Some(payload(input, "/work".into(), cgroup_limited));
        }
        Isolation::None | Isolation::Runc => {
            spec.mode = Mode::Unconfined;
            spec.payload = Some(payload(input, input.work.to_path_buf(), cgroup_limited));
        }
    }
    spec
}

/// bubblewrap's command line up to and including the inner helper (the launcher appends the
/// inner spec).
fn bwrap_argv(input: &LaunchInput<'_>, share_network: bool) -> Vec<String> {
    let mut argv: Vec<String> = [
        input.bwrap.to_string_lossy().as_ref(),
        "--die-with-parent",
        "--unshare-all",
        "--as-pid-1",
        "--new-session",
        "--hostname",
        "sandbox",
        "--clearenv",
    ]
    .map(String::from)
    .to_vec();
    if share_network {
        argv.push("--share-net".into());
    }
    for bind in binds(input.env) {
        let source = bind.source.to_string_lossy().into_owned();
        match std::fs::read_link(&bind.source) {
            Ok(link) => argv.extend([
                "--symlink".into(),
                link.to_string_lossy().into_owned(),
                source,
            ]),
            Err(_) => argv.extend(["--ro-bind".into(), source.clone(), source]),
        }
    }
    let size = input.limits.tmp_bytes.to_string();
    argv.extend(
        [
            "--dev", "/dev", "--proc", "/proc", "--size", &size, "--tmpfs", "/tmp",
        ]
        .map(String::from),
    );
    argv.extend([
        "--bind".into(),
        input.work.to_string_lossy().into_owned(),
        "/work".into(),
    ]);
    argv.extend([
        "--ro-bind".into(),
        input.helper.program.to_string_lossy().into_owned(),
        INNER_HELPER.into(),
    ]);
    argv.extend(["--chdir", "/work", "--", INNER_HELPER].map(String::from));
    argv.extend(input.helper.args.iter().cloned());
    argv
}
