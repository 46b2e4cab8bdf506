//! The environment catalog: the built-ins the engine found on the host and the workspace's
//! custom environments, kept in the database (so every replica resolves the same ones).
//! Creating, changing or deleting one binds or unbinds host paths, so it takes a workspace
//! owner or admin; every declaration passes the engine's validator before it is stored.
//! Names resolve built-ins first, then the workspace's own.

use std::sync::Arc;

use kiro_core::StoreError;
use kiro_core::events::{EventDraft, EventKind};
use kiro_core::execution::catalog::{ENVIRONMENT_IN_USE, ENVIRONMENT_NAME_TAKEN};
use kiro_core::execution::kinds;
use kiro_core::tenancy::{Access, Tenant};
use kiro_sandbox::{Environment, SandboxError};
use kiro_types::execution::{
    EnvironmentIn, EnvironmentPatch, ExecutionEnvironment, Limits, Network, RunRequest,
};
use kiro_types::workspace::Role;
use kiro_types::{ErrorCode, FieldError, WorkspaceId};
use serde_json::json;

use super::jobs::SERVICE;
use super::{ExecutionService, convert, from_sandbox};
use crate::error::ApiError;

/// Reading needs any member; changing the catalog an owner or admin.
fn require(tenant: &Tenant, access: Access) -> Result<(), ApiError> {
    let min = match access {
        Access::Read => Role::Viewer,
        Access::Write => Role::Admin,
    };
    tenant.require(SERVICE, access, min).map_err(ApiError::from)
}

fn not_found(what: &str) -> ApiError {
    ApiError::new(
        ErrorCode::ExecutionEnvironmentNotFound,
        format!("no environment `{what}`; GET /v1/execution/environments lists them"),
    )
}

fn name_taken(name: &str, builtin: bool) -> ApiError {
    let whose = if builtin {
        "a built-in environment"
    } else {
        "another environment of this workspace"
    };
    ApiError::new(
        ErrorCode::ExecutionEnvironmentConflict,
        format!("`{name}` is already the name of {whose}; choose another name"),
    )
    .with_details(json!({ "field": "name", "name": name }))
}

/// The engine's problems with a declaration, under the body's own field names.
fn invalid(problems: Vec<kiro_sandbox::Problem>) -> ApiError {
    ApiError::validation(
        problems
            .into_iter()
            .map(|p| FieldError {
                field: p.field,
                message: p.message,
            })
            .collect(),
    )
}

/// An engine value as the wire type of the same shape, or the reverse.
fn cross<T: serde::Serialize, U: serde::de::DeserializeOwned>(value: &T) -> Result<U, ApiError> {
    serde_json::to_value(value)
        .and_then(serde_json::from_value)
        .map_err(|e| ApiError::internal(format!("environment does not map: {e}")))
}

impl ExecutionService {
    fn env_event(
        &self,
        tenant: &Tenant,
        kind: EventKind,
        env: &ExecutionEnvironment,
    ) -> EventDraft {
        EventDraft::new(
            tenant.workspace_id,
            kind,
            env.id.clone().unwrap_or_default(),
            env.resource_version.unwrap_or(1),
            tenant.principal.key(),
            self.clock.now(),
            json!({ "name": env.name }),
        )
    }

    /// The built-ins, in name order.
    fn builtin_list(&self) -> Result<Vec<ExecutionEnvironment>, ApiError> {
        let mut list = self.engine()?.environments().list();
        list.sort_by(|a, b| a.name.cmp(&b.name));
        list.iter()
            .filter(|e| self.builtins.contains(&e.name))
            .map(|e| convert::environment(e, true))
            .collect()
    }

    /// Every environment of the workspace: the built-ins, then its custom ones, each in
    /// name order (the design's `listEnvironments`).
    pub async fn environments(
        &self,
        tenant: &Tenant,
    ) -> Result<Vec<ExecutionEnvironment>, ApiError> {
        require(tenant, Access::Read)?;
        let mut list = self.builtin_list()?;
        list.extend(self.store.list_environments(tenant.workspace_id).await?);
        Ok(list)
    }

    /// A built-in by name, or a custom environment by id or name.
    pub async fn environment(
        &self,
        tenant: &Tenant,
        id_or_name: &str,
    ) -> Result<ExecutionEnvironment, ApiError> {
        require(tenant, Access::Read)?;
        if self.builtins.contains(id_or_name) {
            let env = self
                .engine()?
                .environment(id_or_name)
                .map_err(from_sandbox)?;
            return convert::environment(&env, true);
        }
        self.custom(tenant.workspace_id, id_or_name).await
    }

    async fn custom(
        &self,
        ws: WorkspaceId,
        id_or_name: &str,
    ) -> Result<ExecutionEnvironment, ApiError> {
        let found = if uuid::Uuid::parse_str(id_or_name).is_ok() {
            self.store.get_environment(ws, id_or_name).await
        } else {
            self.store.get_environment_by_name(ws, id_or_name).await
        };
        found.map_err(|e| match e {
            StoreError::NotFound => not_found(id_or_name),
            other => ApiError::from(other),
        })
    }

    /// A declaration checked by the engine's validator, as the engine's environment.
    fn validated(&self, env: &ExecutionEnvironment) -> Result<Environment, ApiError> {
        let engine_env: Environment = cross(env)?;
        self.engine()?
            .environments()
            .check(&engine_env)
            .map_err(invalid)?;
        Ok(engine_env)
    }

    /// Creates a custom environment (the design's `createEnvironment`).
    pub async fn create_environment(
        &self,
        tenant: &Tenant,
        request: EnvironmentIn,
    ) -> Result<ExecutionEnvironment, ApiError> {
        require(tenant, Access::Write)?;
        let defaults = |limits: kiro_sandbox::Limits| cross::<_, Limits>(&limits);
        let now = self.clock.now();
        let env = ExecutionEnvironment {
            name: request.name,
            language: request.language,
            version: request.version,
            runtime_paths: request.runtime_paths,
            source_file: request.source_file,
            compile: request.compile,
            run: request.run,
            env: request.env,
            default_limits: match request.default_limits {
                Some(l) => l,
                None => defaults(kiro_sandbox::Limits::DEFAULT)?,
            },
            max_limits: match request.max_limits {
                Some(l) => l,
                None => defaults(kiro_sandbox::Limits::DEFAULT_MAXIMUM)?,
            },
            compile_limits: match request.compile_limits {
                Some(l) => l,
                None => defaults(kiro_sandbox::Limits::DEFAULT)?,
            },
            network: request.network.unwrap_or(Network::None),
            builtin: false,
            id: Some(uuid::Uuid::now_v7().to_string()),
            resource_version: Some(1),
            created_at: Some(now),
            updated_at: Some(now),
        };
        self.validated(&env)?;
        if self.builtins.contains(&env.name) {
            return Err(name_taken(&env.name, true));
        }
        let event = self.env_event(tenant, kinds::ENVIRONMENT_CREATED, &env);
        self.store
            .insert_environment(tenant.workspace_id, &env, &event)
            .await
            .map_err(|e| match e {
                StoreError::Conflict { constraint } if constraint == ENVIRONMENT_NAME_TAKEN => {
                    name_taken(&env.name, false)
                }
                other => ApiError::from(other),
            })?;
        Ok(env)
    }

    /// Changes a custom environment under `If-Match` (the design's `updateEnvironment`).
    pub async fn update_environment(
        &self,
        tenant: &Tenant,
        id: &str,
        patch: EnvironmentPatch,
        expected: Option<i64>,
    ) -> Result<ExecutionEnvironment, ApiError> {
        require(tenant, Access::Write)?;
        if self.builtins.contains(id) {
            return Err(builtin_fixed(id));
        }
        let mut env = self.custom(tenant.workspace_id, id).await?;
        let current = env.resource_version.unwrap_or(1);
        if let Some(v) = expected
            && v != current
        {
            return Err(stale(&env));
        }
        apply(&mut env, patch);
        self.validated(&env)?;
        env.resource_version = Some(current + 1);
        env.updated_at = Some(self.clock.now());
        let event = self.env_event(tenant, kinds::ENVIRONMENT_UPDATED, &env);
        match self
            .store
            .update_environment(tenant.workspace_id, &env, current, &event)
            .await
        {
            Ok(()) => Ok(env),
            Err(StoreError::Stale) => {
                let now = self.custom(tenant.workspace_id, id).await?;
                Err(stale(&now))
            }
            Err(StoreError::NotFound) => Err(not_found(id)),
            Err(other) => Err(other.into()),
        }
    }

    /// Deletes a custom environment (the design's `deleteEnvironment`); 409
    /// `execution.environment.in_use` while scripts of the workspace run in it.
    pub async fn delete_environment(&self, tenant: &Tenant, id: &str) -> Result<(), ApiError> {
        require(tenant, Access::Write)?;
        if self.builtins.contains(id) {
            return Err(builtin_fixed(id));
        }
        let env = self.custom(tenant.workspace_id, id).await?;
        let event = self.env_event(tenant, kinds::ENVIRONMENT_DELETED, &env);
        let env_id = env.id.clone().unwrap_or_default();
        match self
            .store
            .delete_environment(tenant.workspace_id, &env_id, &event)
            .await
        {
            Ok(()) => Ok(()),
            Err(StoreError::Conflict { constraint }) if constraint == ENVIRONMENT_IN_USE => {
                let scripts = self
                    .store
                    .scripts_using(tenant.workspace_id, &env.name)
                    .await?;
                Err(ApiError::new(
                    ErrorCode::ExecutionEnvironmentInUse,
                    format!(
                        "scripts run in `{}` ({}); change or delete them first",
                        env.name,
                        scripts.join(", ")
                    ),
                )
                .with_details(json!({ "scripts": scripts })))
            }
            Err(StoreError::NotFound) => Err(not_found(id)),
            Err(other) => Err(other.into()),
        }
    }

    /// The environment called `name` for workspace `ws`: a built-in, else one of the
    /// workspace's, checked again by the engine (a runtime path may have gone since).
    pub async fn resolve(&self, ws: WorkspaceId, name: &str) -> Result<Arc<Environment>, ApiError> {
        let sandbox = self.engine()?;
        if let Ok(env) = sandbox.environment(name) {
            return Ok(env);
        }
        let stored = match self.store.get_environment_by_name(ws, name).await {
            Ok(stored) => stored,
            Err(StoreError::NotFound) => {
                let mut known: Vec<String> = self.builtins.iter().cloned().collect();
                known.extend(
                    self.store
                        .list_environments(ws)
                        .await?
                        .into_iter()
                        .map(|e| e.name),
                );
                return Err(from_sandbox(SandboxError::UnknownEnvironment {
                    name: name.to_owned(),
                    known,
                }));
            }
            Err(other) => return Err(other.into()),
        };
        let env: Environment = cross(&stored)?;
        sandbox.environments().check(&env).map_err(|problems| {
            let why: Vec<String> = problems
                .iter()
                .map(|p| format!("{}: {}", p.field, p.message))
                .collect();
            ApiError::new(
                ErrorCode::ExecutionUnknownEnvironment,
                format!(
                    "environment `{name}` is no longer valid on this host ({}); an admin can \
                     fix it with PATCH /v1/execution/environments/{}",
                    why.join("; "),
                    stored.id.clone().unwrap_or_default()
                ),
            )
            .with_details(json!({ "field": "environment" }))
        })?;
        Ok(Arc::new(env))
    }

    /// A run's environment and, for a checker comparison, the checker's.
    pub async fn resolve_run(
        &self,
        ws: WorkspaceId,
        request: &RunRequest,
    ) -> Result<(Arc<Environment>, Option<Arc<Environment>>), ApiError> {
        let env = self.resolve(ws, &request.environment).await?;
        let checker = match &request.comparison {
            kiro_types::execution::Comparison::Checker { environment, .. } => {
                Some(self.resolve(ws, environment).await?)
            }
            _ => None,
        };
        Ok((env, checker))
    }
}

fn builtin_fixed(name: &str) -> ApiError {
    ApiError::new(
        ErrorCode::ExecutionEnvironmentConflict,
        format!(
            "`{name}` is a built-in environment, found on the host at start; it cannot be \
             changed or deleted (create a custom one instead)"
        ),
    )
}

/// The 409 of a stale `If-Match`, with the current environment.
fn stale(current: &ExecutionEnvironment) -> ApiError {
    let version = current.resource_version.unwrap_or(1);
    ApiError::new(
        ErrorCode::ResourceConflict,
        format!(
            "the environment changed since you read it (now version {version}); fetch it again \
             and retry"
        ),
    )
    .with_details(json!({ "currentVersion": version, "current": current }))
}

fn apply(env: &mut ExecutionEnvironment, patch: EnvironmentPatch) {
    let EnvironmentPatch {
        language,
        version,
        runtime_paths,
        source_file,
        compile,
        run,
        env: variables,
        default_limits,
        max_limits,
        compile_limits,
        network,
    } = patch;
    if let Some(v) = language {
        env.language = v;
    }
    if let Some(v) = version {
        env.version = v;
    }
    if let Some(v) = runtime_paths {
        env.runtime_paths = v;
    }
    if let Some(v) = source_file {
        env.source_file = v;
    }
    if let Some(v) = compile {
        env.compile = v;
    }
    if let Some(v) = run {
        env.run = v;
    }
    if let Some(v) = variables {
        env.env = v;
    }
    if let Some(v) = default_limits {
        env.default_limits = v;
    }
    if let Some(v) = max_limits {
        env.max_limits = v;
    }
    if let Some(v) = compile_limits {
        env.compile_limits = v;
    }
    if let Some(v) = network {
        env.network = v;
    }
}
