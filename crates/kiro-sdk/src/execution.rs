//! [`ExecutionClient`]: the execution service's typed calls — the design's
//! `KiroExecutionService`: what the host can do, the environments, and synchronous runs with
//! test cases. It derefs to the service's [`ServiceHandle`] for status and health.

use std::ops::Deref;

use kiro_types::execution::{ExecutionCapabilities, ExecutionEnvironment, RunRequest, RunResponse};
use serde::de::DeserializeOwned;

use crate::call::Call;
use crate::error::KiroError;
use crate::services::ServiceHandle;

/// The execution service; cheap to clone.
#[derive(Debug, Clone)]
pub struct ExecutionClient {
    handle: ServiceHandle,
}

impl Deref for ExecutionClient {
    type Target = ServiceHandle;
    fn deref(&self) -> &ServiceHandle {
        &self.handle
    }
}

/// Percent-encodes a path segment.
fn segment(value: &str) -> String {
    url::form_urlencoded::byte_serialize(value.as_bytes()).collect()
}

impl ExecutionClient {
    pub(crate) fn new(handle: ServiceHandle) -> Self {
        Self { handle }
    }

    async fn send<T: DeserializeOwned>(&self, call: Call) -> Result<T, KiroError> {
        self.handle.call(call).await?.json()
    }

    /// What the server's host supports and the isolation runs get.
    pub async fn capabilities(&self) -> Result<ExecutionCapabilities, KiroError> {
        self.send(Call::get("/capabilities")).await
    }

    /// Every environment code can run in.
    pub async fn environments(&self) -> Result<Vec<ExecutionEnvironment>, KiroError> {
        self.send(Call::get("/environments")).await
    }

    pub async fn environment(&self, name: &str) -> Result<ExecutionEnvironment, KiroError> {
        self.send(Call::get(format!("/environments/{}", segment(name))))
            .await
    }

    /// Runs code now (the design's `executeCode`) and answers its result with the verdict.
    pub async fn run(&self, request: &RunRequest) -> Result<RunResponse, KiroError> {
        let body = serde_json::to_value(request).map_err(|e| KiroError::Decode(e.to_string()))?;
        self.send(Call::post("/run").json(body)).await
    }

    /// Runs `code` in `environment` with `stdin` and the environment's default limits.
    pub async fn execute_code(
        &self,
        environment: &str,
        code: &str,
        stdin: Option<&str>,
    ) -> Result<RunResponse, KiroError> {
        self.run(&RunRequest {
            environment: environment.to_owned(),
            code: code.to_owned(),
            stdin: stdin.map(str::to_owned),
            ..RunRequest::default()
        })
        .await
    }
}
