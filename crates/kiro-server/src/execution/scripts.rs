//! Scripts: stored code of a workspace with declared, typed parameters, run in a built-in or
//! custom environment (the design's `executeScript(scriptId, parameters)`). An execution's
//! values are checked against the declaration ([`super::params`]) and reach the program as
//! `--<name>=<value>` arguments and `KIRO_PARAM_<NAME>` variables; the answer is the same
//! as `POST /v1/execution/run`'s.

use std::sync::Arc;

use kiro_core::StoreError;
use kiro_core::events::{EventDraft, EventKind};
use kiro_core::execution::catalog::SCRIPT_NAME_TAKEN;
use kiro_core::execution::kinds;
use kiro_core::tenancy::{Access, Tenant};
use kiro_core::{PageRequest, Paged};
use kiro_types::ErrorCode;
use kiro_types::execution::{
    RunRequest, RunResponse, Script, ScriptExecuteRequest, ScriptIn, ScriptPatch,
};
use kiro_types::workspace::Role;
use serde_json::json;

use super::jobs::SERVICE;
use super::{ExecutionService, params};
use crate::error::ApiError;

fn require(tenant: &Tenant, access: Access) -> Result<(), ApiError> {
    let min = match access {
        Access::Read => Role::Viewer,
        Access::Write => Role::Member,
    };
    tenant.require(SERVICE, access, min).map_err(ApiError::from)
}

fn not_found() -> ApiError {
    ApiError::new(
        ErrorCode::ExecutionScriptNotFound,
        "no script with this id in the workspace; GET /v1/execution/scripts lists them",
    )
}

fn store_error(name: &str) -> impl Fn(StoreError) -> ApiError + '_ {
    move |e| match e {
        StoreError::NotFound => not_found(),
        StoreError::Conflict { constraint } if constraint == SCRIPT_NAME_TAKEN => ApiError::new(
            ErrorCode::ExecutionScriptConflict,
            format!("the workspace already has a script called `{name}`; choose another name"),
        )
        .with_details(json!({ "field": "name", "name": name })),
        other => ApiError::from(other),
    }
}

/// The 409 of a stale `If-Match`, with the current script.
fn stale(current: &Script) -> ApiError {
    ApiError::new(
        ErrorCode::ResourceConflict,
        format!(
            "the script changed since you read it (now version {}); fetch it again and retry",
            current.version
        ),
    )
    .with_details(json!({ "currentVersion": current.version, "current": current }))
}

impl ExecutionService {
    fn script_event(&self, tenant: &Tenant, kind: EventKind, script: &Script) -> EventDraft {
        EventDraft::new(
            tenant.workspace_id,
            kind,
            script.id.as_str(),
            script.version,
            tenant.principal.key(),
            self.clock.now(),
            json!({ "name": script.name, "environment": script.environment }),
        )
    }

    /// The declaration's problems (422 with every field), and an environment that
    /// does not resolve (422 `execution.environment.unknown`).
    async fn check_script(&self, tenant: &Tenant, script: &Script) -> Result<(), ApiError> {
        let mut problems = params::check_declaration(&script.parameters);
        if script.code.len() > self.max_source_bytes {
            problems.push(super::errors::field(
                "code",
                format!(
                    "{} bytes is more than the {} allowed",
                    script.code.len(),
                    self.max_source_bytes
                ),
            ));
        }
        if !problems.is_empty() {
            return Err(ApiError::validation(problems));
        }
        self.resolve(tenant.workspace_id, &script.environment)
            .await
            .map(|_| ())
    }

    pub async fn create_script(
        &self,
        tenant: &Tenant,
        request: ScriptIn,
    ) -> Result<Script, ApiError> {
        require(tenant, Access::Write)?;
        let now = self.clock.now();
        let script = Script {
            id: uuid::Uuid::now_v7().to_string(),
            workspace_id: tenant.workspace_id,
            name: request.name.trim().to_owned(),
            description: request.description,
            environment: request.environment,
            code: request.code,
            parameters: request.parameters,
            default_limits: request.default_limits,
            created_by: tenant.principal.key(),
            created_at: now,
            updated_at: now,
            version: 1,
        };
        self.check_script(tenant, &script).await?;
        let event = self.script_event(tenant, kinds::SCRIPT_CREATED, &script);
        self.store
            .insert_script(tenant.workspace_id, &script, &event)
            .await
            .map_err(store_error(&script.name))?;
        Ok(script)
    }

    pub async fn script(&self, tenant: &Tenant, id: &str) -> Result<Script, ApiError> {
        require(tenant, Access::Read)?;
        self.store
            .get_script(tenant.workspace_id, id)
            .await
            .map_err(store_error(""))
    }

    pub async fn scripts(
        &self,
        tenant: &Tenant,
        page: &PageRequest,
    ) -> Result<Paged<Script>, ApiError> {
        require(tenant, Access::Read)?;
        Ok(self.store.list_scripts(tenant.workspace_id, page).await?)
    }

    pub async fn update_script(
        &self,
        tenant: &Tenant,
        id: &str,
        patch: ScriptPatch,
        expected: Option<i64>,
    ) -> Result<Script, ApiError> {
        require(tenant, Access::Write)?;
        let mut script = self.script(tenant, id).await?;
        let current = script.version;
        if expected.is_some_and(|v| v != current) {
            return Err(stale(&script));
        }
        if let Some(name) = patch.name {
            script.name = name.trim().to_owned();
        }
        if let Some(description) = patch.description {
            script.description = description;
        }
        if let Some(environment) = patch.environment {
            script.environment = environment;
        }
        if let Some(code) = patch.code {
            script.code = code;
        }
        if let Some(parameters) = patch.parameters {
            script.parameters = parameters;
        }
        if let Some(limits) = patch.default_limits {
            script.default_limits = limits;
        }
        self.check_script(tenant, &script).await?;
        script.version = current + 1;
        script.updated_at = self.clock.now();
        let event = self.script_event(tenant, kinds::SCRIPT_UPDATED, &script);
        match self
            .store
            .update_script(tenant.workspace_id, &script, current, &event)
            .await
        {
            Ok(()) => Ok(script),
            Err(StoreError::Stale) => Err(stale(&self.script(tenant, id).await?)),
            Err(other) => Err(store_error(&script.name)(other)),
        }
    }

    pub async fn delete_script(&self, tenant: &Tenant, id: &str) -> Result<(), ApiError> {
        require(tenant, Access::Write)?;
        let script = self.script(tenant, id).await?;
        let event = self.script_event(tenant, kinds::SCRIPT_DELETED, &script);
        self.store
            .delete_script(tenant.workspace_id, id, &event)
            .await
            .map_err(store_error(&script.name))
    }

    /// Runs a script with `request`'s parameter values (the design's `executeScript`).
    pub async fn execute_script(
        &self,
        tenant: &Tenant,
        id: &str,
        request: ScriptExecuteRequest,
    ) -> Result<RunResponse, ApiError> {
        require(tenant, Access::Write)?;
        let script = self.script(tenant, id).await?;
        let passed = params::bind(&script.parameters, &request.parameters).map_err(|fields| {
            ApiError::new(
                ErrorCode::ExecutionScriptParameters,
                format!(
                    "the parameters do not match the script's declaration ({} problem(s)); \
                     GET /v1/execution/scripts/{id} shows what it takes",
                    fields.len()
                ),
            )
            .with_details(json!({ "fields": fields }))
        })?;
        let run = RunRequest {
            environment: script.environment.clone(),
            code: script.code.clone(),
            stdin: request.stdin,
            args: passed.args,
            time_limit_ms: request
                .time_limit_ms
                .or(script.default_limits.time_limit_ms),
            memory_limit_mb: request
                .memory_limit_mb
                .or(script.default_limits.memory_limit_mb),
            ..RunRequest::default()
        };
        let (env, _) = self.resolve_run(tenant.workspace_id, &run).await?;
        let mut env = (*env).clone();
        env.env.extend(passed.env);
        let execute = self.prepare(&run, &env, true)?;
        self.run_prepared(execute, Arc::new(env), None).await
    }
}
