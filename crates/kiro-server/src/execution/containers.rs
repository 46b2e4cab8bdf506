//! Containers through the API: long-lived sandboxes of one workspace with a persistent
//! `/work`, on the engine's native backend. Create, start, exec, stop (processes killed,
//! files kept) and delete, with the life cycle enforced by the engine (409 naming the state
//! the action needs). A container belongs to the workspace that created it; any other
//! workspace gets 404. Commands run on blocking threads under the same worker permits as
//! runs and jobs, so containers never push the host past `[execution] workers`.
//!
//! Containers live in this server process (the engine holds their init and processes): they
//! end with it, and their directories are swept at the next start.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use kiro_core::tenancy::{Access, Tenant};
use kiro_sandbox::container::native::NativeBackend;
use kiro_sandbox::{ContainerSpec, Containers, ExecRequest, LimitsRequest};
use kiro_types::execution::{Container, ContainerCreateRequest, ContainerExecRequest, RunDetail};
use kiro_types::workspace::Role;
use kiro_types::{ErrorCode, WorkspaceId};
use tokio::sync::Semaphore;

use super::{ExecutionService, MIB, convert, from_sandbox};
use crate::error::ApiError;

/// The most containers one workspace may hold at once.
pub const MAX_PER_WORKSPACE: usize = 8;

/// The containers of this server.
pub struct ContainerService {
    containers: Result<Arc<Containers>, String>,
    owners: Mutex<HashMap<String, WorkspaceId>>,
    permits: Arc<Semaphore>,
    wait: Duration,
}

impl ContainerService {
    /// Containers on `execution`'s engine (unavailable with it, or when the engine's
    /// isolation cannot host native containers).
    pub fn start(execution: &ExecutionService) -> ContainerService {
        let containers = match execution.engine() {
            Ok(sandbox) => Containers::new(sandbox.clone(), Box::new(NativeBackend))
                .map(Arc::new)
                .map_err(|e| format!("containers cannot start: {e}")),
            Err(e) => Err(e.message.clone()),
        };
        ContainerService {
            containers,
            owners: Mutex::default(),
            permits: execution.permits(),
            wait: execution.max_wait(),
        }
    }

    fn engine(&self) -> Result<&Arc<Containers>, ApiError> {
        self.containers
            .as_ref()
            .map_err(|reason| ApiError::new(ErrorCode::ExecutionUnavailable, reason.clone()))
    }

    fn owners(&self) -> MutexGuard<'_, HashMap<String, WorkspaceId>> {
        self.owners.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// The container `id` when `tenant`'s workspace owns it.
    fn owned(&self, tenant: &Tenant, id: &str) -> Result<Arc<Containers>, ApiError> {
        let engine = self.engine()?.clone();
        match self.owners().get(id) {
            Some(owner) if *owner == tenant.workspace_id => Ok(engine),
            _ => Err(not_found(id)),
        }
    }

    pub async fn create(
        &self,
        tenant: &Tenant,
        request: &ContainerCreateRequest,
    ) -> Result<Container, ApiError> {
        require(tenant, Access::Write)?;
        let engine = self.engine()?.clone();
        let held = self
            .owners()
            .values()
            .filter(|w| **w == tenant.workspace_id)
            .count();
        if held >= MAX_PER_WORKSPACE {
            return Err(ApiError::new(
                ErrorCode::ExecutionContainerLimit,
                format!(
                    "this workspace already has {held} containers, the most it may hold; \
                     stop and delete one first (DELETE /v1/execution/containers/{{id}})"
                ),
            ));
        }
        let spec = ContainerSpec {
            environment: request.environment.clone(),
            limits: LimitsRequest {
                wall_time_ms: request.time_limit_ms,
                cpu_time_ms: request.time_limit_ms,
                memory_bytes: request.memory_limit_mb.map(|mb| mb.saturating_mul(MIB)),
                ..LimitsRequest::default()
            },
        };
        let created = blocking(move || engine.create(&spec)).await?;
        self.owners()
            .insert(created.id.clone(), tenant.workspace_id);
        convert::container(&created)
    }

    /// The workspace's containers.
    pub fn list(&self, tenant: &Tenant) -> Result<Vec<Container>, ApiError> {
        require(tenant, Access::Read)?;
        let engine = self.engine()?;
        let mine: Vec<String> = self
            .owners()
            .iter()
            .filter(|(_, w)| **w == tenant.workspace_id)
            .map(|(id, _)| id.clone())
            .collect();
        let mut list: Vec<Container> = engine
            .list()
            .iter()
            .filter(|c| mine.contains(&c.id))
            .map(convert::container)
            .collect::<Result<_, _>>()?;
        list.sort_by(|a, b| a.id.cmp(&b.id));
        Ok(list)
    }

    pub fn get(&self, tenant: &Tenant, id: &str) -> Result<Container, ApiError> {
        require(tenant, Access::Read)?;
        let engine = self.owned(tenant, id)?;
        convert::container(&engine.get(id).map_err(from_sandbox)?)
    }

    pub async fn start_container(&self, tenant: &Tenant, id: &str) -> Result<Container, ApiError> {
        require(tenant, Access::Write)?;
        let engine = self.owned(tenant, id)?;
        let id = id.to_owned();
        convert::container(&blocking(move || engine.start(&id)).await?)
    }

    /// Runs a command in a running container, waiting for a worker like a run does.
    pub async fn exec(
        &self,
        tenant: &Tenant,
        id: &str,
        request: &ContainerExecRequest,
    ) -> Result<RunDetail, ApiError> {
        require(tenant, Access::Write)?;
        let engine = self.owned(tenant, id)?;
        let permit = tokio::time::timeout(self.wait, self.permits.clone().acquire_owned())
            .await
            .map_err(|_| {
                ApiError::new(
                    ErrorCode::ExecutionBusy,
                    "every worker stayed busy; retry the command later",
                )
                .with_retry_after(1)
            })?
            .map_err(ApiError::internal)?;
        let exec = ExecRequest {
            command: request.command.clone(),
            stdin: request.stdin.clone(),
            limits: LimitsRequest {
                wall_time_ms: request.time_limit_ms,
                cpu_time_ms: request.time_limit_ms,
                ..LimitsRequest::default()
            },
        };
        let id = id.to_owned();
        let outcome = blocking(move || {
            let _permit = permit;
            engine.exec(&id, &exec, &())
        })
        .await?;
        convert::run_detail(&outcome)
    }

    pub async fn stop(&self, tenant: &Tenant, id: &str) -> Result<Container, ApiError> {
        require(tenant, Access::Write)?;
        let engine = self.owned(tenant, id)?;
        let id = id.to_owned();
        convert::container(&blocking(move || engine.stop(&id)).await?)
    }

    /// Deletes a created or stopped container with its files.
    pub async fn delete(&self, tenant: &Tenant, id: &str) -> Result<(), ApiError> {
        require(tenant, Access::Write)?;
        let engine = self.owned(tenant, id)?;
        let key = id.to_owned();
        blocking(move || engine.delete(&key)).await?;
        self.owners().remove(id);
        Ok(())
    }
}

/// Runs an engine call on a blocking thread.
async fn blocking<T: Send + 'static>(
    call: impl FnOnce() -> Result<T, kiro_sandbox::SandboxError> + Send + 'static,
) -> Result<T, ApiError> {
    tokio::task::spawn_blocking(call)
        .await
        .map_err(ApiError::internal)?
        .map_err(from_sandbox)
}

fn not_found(id: &str) -> ApiError {
    ApiError::new(
        ErrorCode::ExecutionContainerNotFound,
        format!("no container `{id}` in this workspace; GET /v1/execution/containers lists them"),
    )
}

/// Reading needs any member; changing a container needs member or above.
fn require(tenant: &Tenant, access: Access) -> Result<(), ApiError> {
    let min = match access {
        Access::Read => Role::Viewer,
        Access::Write => Role::Member,
    };
    tenant
        .require("execution", access, min)
        .map_err(ApiError::from)
}
