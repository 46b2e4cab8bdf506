//! The execution service: the kiro-sandbox engine probed once at start, the environments it
//! found, and synchronous runs with a capped wait. Runs happen on blocking threads, at most
//! `[execution] workers` at once, so the server's async workers never run sandboxed code.
//! When the engine cannot start (no helper, no isolation) the service still answers: the
//! capabilities say why, and runs get 503 `execution.unavailable`. Longer work is queued as
//! [`jobs`], run by workers that share the same permits. A workspace's custom environments
//! and scripts are the [`catalog`] and [`scripts`], read from the database on every use so
//! every replica sees the same ones.

pub mod catalog;
pub mod containers;
pub mod convert;
mod errors;
pub mod jobs;
pub mod params;
pub mod scripts;

use std::collections::BTreeSet;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use kiro_core::{Clock, Store};
use kiro_sandbox::{
    Comparison, Environment, ExecuteRequest, HelperCommand, Isolation, LimitsRequest, Sandbox,
    SandboxConfig, TestCase,
};
use kiro_types::execution::{self as wire, ExecutionCapabilities, RunRequest, RunResponse};
use kiro_types::{ErrorCode, WorkspaceId};
use tokio::sync::Semaphore;

use crate::config::Config;
use crate::error::ApiError;

pub use errors::from_sandbox;

pub(crate) const MIB: u64 = 1024 * 1024;

/// The execution service.
pub struct ExecutionService {
    engine: Result<Arc<Sandbox>, String>,
    builtins: BTreeSet<String>,
    permits: Arc<Semaphore>,
    config: crate::config::ExecutionConfig,
    max_source_bytes: usize,
    clock: Arc<dyn Clock>,
    store: Arc<dyn Store>,
    jobs: jobs::Jobs,
}

impl ExecutionService {
    /// Probes the host and starts the engine; a failure is kept and reported, not fatal.
    /// Call [`ExecutionService::start_workers`] to run queued jobs.
    pub fn start(
        config: &Config,
        store: Arc<dyn Store>,
        clock: Arc<dyn Clock>,
    ) -> ExecutionService {
        let exec = config.execution.clone();
        let mut sandbox = SandboxConfig::new(config.data_dir().join("sandbox"));
        sandbox.isolation = match exec.isolation.as_str() {
            "native" => Some(Isolation::Native),
            "bubblewrap" => Some(Isolation::Bubblewrap),
            "none" => Some(Isolation::None),
            _ => None,
        };
        if !exec.helper.is_empty() {
            sandbox.helper = Some(HelperCommand {
                program: PathBuf::from(&exec.helper),
                args: Vec::new(),
            });
        }
        sandbox.slots = exec.workers;
        sandbox.first_uid = exec.first_uid;
        sandbox.forbidden_paths = vec![config.data_dir()];
        sandbox.max_source_bytes = usize::try_from(exec.max_source_bytes).unwrap_or(usize::MAX);
        let max_source_bytes = sandbox.max_source_bytes;
        let engine = Sandbox::new(sandbox).map(Arc::new).map_err(|e| {
            tracing::warn!(error = %e, "execution: the sandbox is unavailable");
            format!("the sandbox could not start: {e}")
        });
        let builtins = match &engine {
            Ok(sandbox) => sandbox
                .environments()
                .list()
                .iter()
                .map(|e| e.name.clone())
                .collect(),
            Err(_) => BTreeSet::new(),
        };
        ExecutionService {
            engine,
            builtins,
            permits: Arc::new(Semaphore::new(exec.workers as usize)),
            config: exec,
            max_source_bytes,
            clock,
            store,
            jobs: jobs::Jobs::new(),
        }
    }

    /// The engine, or 503 saying why there is none.
    pub fn engine(&self) -> Result<&Arc<Sandbox>, ApiError> {
        self.engine.as_ref().map_err(|reason| {
            ApiError::new(
                ErrorCode::ExecutionUnavailable,
                format!(
                    "{reason}; GET /v1/execution/capabilities shows what this host offers \
                     (install kiro-sandbox-init beside the server or set [execution] helper)"
                ),
            )
        })
    }

    /// The worker permits every sandboxed run takes one of (runs, jobs, container commands).
    pub fn permits(&self) -> Arc<Semaphore> {
        self.permits.clone()
    }

    /// The longest a caller waits for a free worker.
    pub fn max_wait(&self) -> Duration {
        Duration::from_secs(self.config.max_wait_secs)
    }

    /// What the probe found and the service's limits.
    pub fn capabilities(&self) -> Result<ExecutionCapabilities, ApiError> {
        let (host, isolation) = match &self.engine {
            Ok(sandbox) => (
                Some(convert::host(sandbox.capabilities())?),
                Some(convert::isolation(sandbox.isolation())?),
            ),
            Err(_) => (None, None),
        };
        Ok(ExecutionCapabilities {
            available: self.engine.is_ok(),
            reason: self.engine.as_ref().err().cloned(),
            isolation,
            host,
            workers: self.config.workers,
            queue_capacity: self.config.queue_capacity,
            max_wait_ms: self.config.max_wait_secs * 1000,
            max_source_bytes: self.max_source_bytes as u64,
        })
    }

    /// The engine's request for a run, checked against the environment's maxima and the
    /// synchronous wait: every problem at once, nothing run.
    /// `env` is the request's environment as [`ExecutionService::resolve_run`] found it.
    pub fn prepare(
        &self,
        request: &RunRequest,
        env: &Environment,
        sync: bool,
    ) -> Result<ExecuteRequest, ApiError> {
        let limits = LimitsRequest {
            wall_time_ms: request.time_limit_ms,
            cpu_time_ms: request.time_limit_ms,
            memory_bytes: request.memory_limit_mb.map(|mb| mb.saturating_mul(MIB)),
            ..LimitsRequest::default()
        };
        let mut problems = Vec::new();
        let resolved = limits
            .resolve(&env.default_limits, &env.max_limits)
            .map_err(|found| problems.extend(found.into_iter().map(errors::field_error)))
            .ok();
        if request.code.len() > self.max_source_bytes {
            problems.push(errors::field(
                "code",
                format!(
                    "{} bytes is more than the {} allowed; send a smaller program",
                    request.code.len(),
                    self.max_source_bytes
                ),
            ));
        }
        if request.stdin.is_some() && !request.test_cases.is_empty() {
            problems.push(errors::field(
                "stdin",
                "give stdin or testCases (each case has its own stdin), not both",
            ));
        }
        let runs = request.test_cases.len().max(1) as u64 + u64::from(env.compile.is_some());
        let max_wait_ms = self.config.max_wait_secs * 1000;
        if let Some(limits) = resolved
            && sync
            && limits.wall_time_ms.saturating_mul(runs) > max_wait_ms
        {
            problems.push(errors::field(
                "timeLimitMs",
                format!(
                    "{runs} run(s) of up to {} ms exceed the {max_wait_ms} ms a synchronous run \
                     may take; lower timeLimitMs or submit it as a job (POST /v1/execution/jobs)",
                    limits.wall_time_ms
                ),
            ));
        }
        if !problems.is_empty() {
            return Err(ApiError::validation(problems));
        }
        let mut cases: Vec<TestCase> = request
            .test_cases
            .iter()
            .map(|c| TestCase {
                name: c.name.clone(),
                stdin: c.stdin.clone(),
                expected_output: c.expected_output.clone(),
            })
            .collect();
        if let Some(stdin) = &request.stdin {
            cases.push(TestCase {
                name: None,
                stdin: stdin.clone(),
                expected_output: None,
            });
        }
        Ok(ExecuteRequest {
            environment: request.environment.clone(),
            source: request.code.clone(),
            cases,
            limits,
            comparison: match &request.comparison {
                wire::Comparison::Exact => Comparison::Exact,
                wire::Comparison::IgnoreWhitespace => Comparison::IgnoreWhitespace,
                wire::Comparison::Checker {
                    environment,
                    source,
                } => Comparison::Checker {
                    environment: environment.clone(),
                    source: source.clone(),
                },
            },
            args: request.args.clone(),
            files: request.files.clone(),
        })
    }

    /// Runs a request of workspace `ws` now, waiting at most `[execution] max_wait_secs` for
    /// a worker.
    pub async fn run(
        &self,
        ws: WorkspaceId,
        request: &RunRequest,
    ) -> Result<RunResponse, ApiError> {
        let (env, checker) = self.resolve_run(ws, request).await?;
        let execute = self.prepare(request, &env, true)?;
        self.run_prepared(execute, env, checker).await
    }

    /// Runs a checked request in resolved environments, waiting for a worker as
    /// [`ExecutionService::run`] does.
    pub(crate) async fn run_prepared(
        &self,
        execute: ExecuteRequest,
        env: Arc<Environment>,
        checker: Option<Arc<Environment>>,
    ) -> Result<RunResponse, ApiError> {
        let wait = Duration::from_secs(self.config.max_wait_secs);
        let permit = tokio::time::timeout(wait, self.permits.clone().acquire_owned())
            .await
            .map_err(|_| {
                ApiError::new(
                    ErrorCode::ExecutionBusy,
                    format!(
                        "every one of the {} workers stayed busy for {} s; retry later or \
                         submit a job",
                        self.config.workers, self.config.max_wait_secs
                    ),
                )
                .with_retry_after(1)
            })?
            .map_err(ApiError::internal)?;
        let sandbox = self.engine()?.clone();
        let created_at = self.clock.now();
        let outcome = tokio::task::spawn_blocking(move || {
            let _permit = permit;
            sandbox.execute_in(&execute, &env, checker.as_deref(), &())
        })
        .await
        .map_err(ApiError::internal)?
        .map_err(from_sandbox)?;
        let id = uuid::Uuid::now_v7().to_string();
        convert::response(id, &outcome, created_at, self.clock.now())
    }
}
