//! The catalog half of [`ExecutionClient`]: the design's `createEnvironment`,
//! `updateEnvironment` and `deleteEnvironment` for a workspace's custom environments, and
//! stored scripts with `executeScript(scriptId, parameters)`. Updates take the version the
//! caller read (sent as `If-Match`; a stale one answers 409).

use std::collections::BTreeMap;

use kiro_types::Page;
use kiro_types::execution::{
    EnvironmentIn, EnvironmentPatch, ExecutionEnvironment, RunResponse, Script,
    ScriptExecuteRequest, ScriptIn, ScriptPatch,
};
use serde::Serialize;

use crate::call::Call;
use crate::error::KiroError;
use crate::execution::ExecutionClient;

fn encode(value: &str) -> String {
    url::form_urlencoded::byte_serialize(value.as_bytes()).collect()
}

fn body<T: Serialize>(value: &T) -> Result<serde_json::Value, KiroError> {
    serde_json::to_value(value).map_err(|e| KiroError::Decode(e.to_string()))
}

fn patch<T: Serialize>(path: String, value: &T, expected: Option<i64>) -> Result<Call, KiroError> {
    let mut call = Call::patch(path).json(body(value)?);
    if let Some(v) = expected {
        call = call.if_match(format!("\"{v}\""));
    }
    Ok(call)
}

impl ExecutionClient {
    /// Creates a custom environment (owner or admin of the workspace).
    pub async fn create_environment(
        &self,
        environment: &EnvironmentIn,
    ) -> Result<ExecutionEnvironment, KiroError> {
        self.call(Call::post("/environments").json(body(environment)?))
            .await?
            .json()
    }

    /// Changes a custom environment (by id or name), expecting `expected_version` when given.
    pub async fn update_environment(
        &self,
        id: &str,
        updates: &EnvironmentPatch,
        expected_version: Option<i64>,
    ) -> Result<ExecutionEnvironment, KiroError> {
        let path = format!("/environments/{}", encode(id));
        self.call(patch(path, updates, expected_version)?)
            .await?
            .json()
    }

    /// Deletes a custom environment (by id or name).
    pub async fn delete_environment(&self, id: &str) -> Result<(), KiroError> {
        self.call(Call::delete(format!("/environments/{}", encode(id))))
            .await?;
        Ok(())
    }

    /// Stores a script.
    pub async fn create_script(&self, script: &ScriptIn) -> Result<Script, KiroError> {
        self.call(Call::post("/scripts").json(body(script)?))
            .await?
            .json()
    }

    /// One page of the workspace's scripts, oldest first; pass the page's `next_cursor`
    /// back for the next one.
    pub async fn scripts(
        &self,
        limit: Option<u32>,
        cursor: Option<&str>,
    ) -> Result<Page<Script>, KiroError> {
        let mut query = Vec::new();
        if let Some(limit) = limit {
            query.push(format!("limit={limit}"));
        }
        if let Some(cursor) = cursor {
            query.push(format!("cursor={}", encode(cursor)));
        }
        let path = if query.is_empty() {
            "/scripts".to_owned()
        } else {
            format!("/scripts?{}", query.join("&"))
        };
        self.call(Call::get(path)).await?.json()
    }

    pub async fn script(&self, id: &str) -> Result<Script, KiroError> {
        self.call(Call::get(format!("/scripts/{}", encode(id))))
            .await?
            .json()
    }

    /// Changes a script, expecting `expected_version` when given.
    pub async fn update_script(
        &self,
        id: &str,
        updates: &ScriptPatch,
        expected_version: Option<i64>,
    ) -> Result<Script, KiroError> {
        let path = format!("/scripts/{}", encode(id));
        self.call(patch(path, updates, expected_version)?)
            .await?
            .json()
    }

    pub async fn delete_script(&self, id: &str) -> Result<(), KiroError> {
        self.call(Call::delete(format!("/scripts/{}", encode(id))))
            .await?;
        Ok(())
    }

    /// Runs a script with `request`'s parameter values, stdin and limits.
    pub async fn run_script(
        &self,
        id: &str,
        request: &ScriptExecuteRequest,
    ) -> Result<RunResponse, KiroError> {
        let path = format!("/scripts/{}/execute", encode(id));
        self.call(Call::post(path).json(body(request)?))
            .await?
            .json()
    }

    /// Runs a script with these parameter values and its default limits (the design's
    /// `executeScript(scriptId, parameters)`).
    pub async fn execute_script(
        &self,
        id: &str,
        parameters: BTreeMap<String, serde_json::Value>,
    ) -> Result<RunResponse, KiroError> {
        self.run_script(
            id,
            &ScriptExecuteRequest {
                parameters,
                ..ScriptExecuteRequest::default()
            },
        )
        .await
    }
}
