//! Containers: long-lived sandboxes with a persistent work directory. Create makes the
//! directory, start runs the container's init, exec runs a command inside (each with its own
//! limits, verdict and usage; nothing it starts outlives it), stop kills every process and
//! keeps the files, delete removes them. [`Containers`] enforces the life cycle
//! ([`state`]); a [`ContainerBackend`] does the work: [`native`] (this crate's sandbox) or
//! [`runc`] (Debian's runc with an OCI bundle).

pub mod native;
pub mod runc;
pub mod state;

use std::collections::HashMap;
use std::fmt;
use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::PathBuf;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};

use serde::{Deserialize, Serialize};

pub use state::{Action, ContainerState};

use crate::environment::Environment;
use crate::error::{Context, SandboxError};
use crate::limits::{Limits, LimitsRequest};
use crate::outcome::RunOutcome;
use crate::output::OutputSink;
use crate::sandbox::Sandbox;
use crate::workdir::JobDir;

/// What to create.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ContainerSpec {
    pub environment: String,
    /// Memory, processes, work and tmp sizes hold for the whole container; time and output
    /// limits are the default of each exec.
    #[serde(default)]
    pub limits: LimitsRequest,
}

/// A container as the engine reports it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Container {
    pub id: String,
    pub environment: String,
    pub state: ContainerState,
    /// `native` or `runc`.
    pub backend: String,
    pub limits: Limits,
}

/// A command to run in a running container.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ExecRequest {
    pub command: Vec<String>,
    #[serde(default)]
    pub stdin: String,
    #[serde(default)]
    pub limits: LimitsRequest,
}

/// What a backend knows of the container it starts.
#[derive(Debug, Clone)]
pub struct ContainerContext {
    pub id: String,
    pub env: Arc<Environment>,
    pub limits: Limits,
    pub uid: Option<u32>,
    /// The host directory of the container (its `work` directory is `/work` inside).
    pub dir: PathBuf,
    pub work: PathBuf,
}

/// Starts containers.
pub trait ContainerBackend: Send + Sync + fmt::Debug {
    fn name(&self) -> &'static str;
    /// Starts the container's init; its handle runs commands and stops it.
    fn start(
        &self,
        sandbox: &Sandbox,
        container: &ContainerContext,
    ) -> Result<Arc<dyn RunningContainer>, SandboxError>;
}

/// A started container.
pub trait RunningContainer: Send + Sync + fmt::Debug {
    /// Runs `argv` in `/work` with `limits` and waits for it.
    fn exec(
        &self,
        sandbox: &Sandbox,
        argv: &[String],
        stdin: &[u8],
        limits: Limits,
        sink: &dyn OutputSink,
    ) -> Result<RunOutcome, SandboxError>;
    /// Kills every process of the container.
    fn stop(&self) -> Result<(), SandboxError>;
}

struct Entry {
    container: Container,
    context: ContainerContext,
    /// Kept while the container exists: the work directory and its tmpfs.
    _dir: JobDir,
    running: Option<Arc<dyn RunningContainer>>,
}

/// The containers of one sandbox and one backend.
pub struct Containers {
    sandbox: Arc<Sandbox>,
    backend: Box<dyn ContainerBackend>,
    entries: Mutex<HashMap<String, Arc<Mutex<Entry>>>>,
    next_uid: AtomicU32,
    dir: PathBuf,
}

impl fmt::Debug for Containers {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Containers")
            .field("backend", &self.backend.name())
            .finish()
    }
}

/// Uids of containers start this far above the first slot uid.
const CONTAINER_UID_OFFSET: u32 = 1000;

impl Containers {
    pub fn new(
        sandbox: Arc<Sandbox>,
        backend: Box<dyn ContainerBackend>,
    ) -> Result<Containers, SandboxError> {
        let dir = sandbox.state_dir().join("containers");
        fs::create_dir_all(&dir).context(|| format!("creating {}", dir.display()))?;
        fs::set_permissions(&dir, fs::Permissions::from_mode(0o711))
            .context(|| format!("chmod {}", dir.display()))?;
        JobDir::sweep(&dir);
        let first = sandbox.config.first_uid + CONTAINER_UID_OFFSET;
        Ok(Containers {
            sandbox,
            backend,
            entries: Mutex::default(),
            next_uid: AtomicU32::new(first),
            dir,
        })
    }

    /// Creates a container (its work directory; nothing runs yet).
    pub fn create(&self, spec: &ContainerSpec) -> Result<Container, SandboxError> {
        let env = self.sandbox.environment(&spec.environment)?;
        let limits = spec
            .limits
            .resolve(&env.default_limits, &env.max_limits)
            .map_err(SandboxError::Invalid)?;
        let id = uuid::Uuid::new_v4().simple().to_string();
        let root = self.sandbox.capabilities().root;
        let uid = root.then(|| self.next_uid.fetch_add(1, Ordering::Relaxed));
        let dir = JobDir::create(self.dir.join(&id), limits.work_bytes, uid, root)?;
        let container = Container {
            id: id.clone(),
            environment: env.name.clone(),
            state: ContainerState::Created,
            backend: self.backend.name().into(),
            limits,
        };
        let context = ContainerContext {
            id: id.clone(),
            env,
            limits,
            uid,
            dir: self.dir.join(&id),
            work: dir.work().to_path_buf(),
        };
        let entry = Entry {
            container: container.clone(),
            context,
            _dir: dir,
            running: None,
        };
        self.map().insert(id, Arc::new(Mutex::new(entry)));
        Ok(container)
    }

    /// The container `id`.
    pub fn get(&self, id: &str) -> Result<Container, SandboxError> {
        let entry = self.entry(id)?;
        let container = lock(&entry).container.clone();
        Ok(container)
    }

    /// Every container.
    pub fn list(&self) -> Vec<Container> {
        let entries: Vec<_> = self.map().values().cloned().collect();
        entries.iter().map(|e| lock(e).container.clone()).collect()
    }

    pub fn start(&self, id: &str) -> Result<Container, SandboxError> {
        let entry = self.entry(id)?;
        let mut entry = lock(&entry);
        let next = allowed(&entry.container, Action::Start)?;
        let running = self.backend.start(&self.sandbox, &entry.context)?;
        entry.running = Some(running);
        entry.container.state = next;
        Ok(entry.container.clone())
    }

    /// Runs a command in a running container. The container stays locked only while the
    /// state is checked, so stop can end a long command.
    pub fn exec(
        &self,
        id: &str,
        request: &ExecRequest,
        sink: &dyn OutputSink,
    ) -> Result<RunOutcome, SandboxError> {
        if request.command.is_empty() {
            return Err(SandboxError::invalid(
                "command",
                "give the program and its arguments",
            ));
        }
        self.sandbox
            .check_stdin("stdin", request.stdin.as_bytes())?;
        let (running, limits) = {
            let entry = self.entry(id)?;
            let entry = lock(&entry);
            allowed(&entry.container, Action::Exec)?;
            let env = &entry.context.env;
            let mut limits = request
                .limits
                .resolve(&entry.container.limits, &env.max_limits)
                .map_err(SandboxError::Invalid)?;
            // The container's own limits hold for everything inside it.
            let outer = entry.container.limits;
            limits.memory_bytes = limits.memory_bytes.min(outer.memory_bytes);
            limits.processes = limits.processes.min(outer.processes);
            let running = entry.running.clone().ok_or_else(|| {
                SandboxError::internal_msg("a running container without its handle")
            })?;
            (running, limits)
        };
        running.exec(
            &self.sandbox,
            &request.command,
            request.stdin.as_bytes(),
            limits,
            sink,
        )
    }

    pub fn stop(&self, id: &str) -> Result<Container, SandboxError> {
        let entry = self.entry(id)?;
        let mut entry = lock(&entry);
        let next = allowed(&entry.container, Action::Stop)?;
        if let Some(running) = entry.running.take() {
            running.stop()?;
        }
        entry.container.state = next;
        Ok(entry.container.clone())
    }

    /// Deletes a created or stopped container and its files.
    pub fn delete(&self, id: &str) -> Result<(), SandboxError> {
        let entry = self.entry(id)?;
        allowed(&lock(&entry).container, Action::Delete)?;
        self.map().remove(id);
        Ok(())
    }

    fn entry(&self, id: &str) -> Result<Arc<Mutex<Entry>>, SandboxError> {
        self.map()
            .get(id)
            .cloned()
            .ok_or_else(|| SandboxError::ContainerNotFound(id.to_owned()))
    }

    fn map(&self) -> MutexGuard<'_, HashMap<String, Arc<Mutex<Entry>>>> {
        self.entries.lock().unwrap_or_else(|p| p.into_inner())
    }
}

impl Drop for Containers {
    fn drop(&mut self) {
        for entry in self.map().values() {
            if let Some(running) = lock(entry).running.take() {
                let _ = running.stop();
            }
        }
    }
}

fn lock(entry: &Mutex<Entry>) -> MutexGuard<'_, Entry> {
    entry.lock().unwrap_or_else(|p| p.into_inner())
}

/// The state after `action`, or the conflict.
fn allowed(container: &Container, action: Action) -> Result<ContainerState, SandboxError> {
    match state::transition(container.state, action) {
        Some(next) => Ok(next.unwrap_or(container.state)),
        None => Err(SandboxError::Conflict {
            id: container.id.clone(),
            state: container.state.as_str(),
            action: action.as_str(),
            needs: action.needs(),
        }),
    }
}
