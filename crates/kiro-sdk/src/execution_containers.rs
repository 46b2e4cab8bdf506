//! The container half of [`ExecutionClient`]: the design's `createContainer`,
//! `startContainer`, `stopContainer` and `deleteContainer`, with listing, reading and
//! running a command in a running container.

use kiro_types::execution::{Container, ContainerCreateRequest, ContainerExecRequest, RunDetail};

use crate::call::Call;
use crate::error::KiroError;
use crate::execution::ExecutionClient;

fn path(id: &str, action: &str) -> String {
    let id: String = url::form_urlencoded::byte_serialize(id.as_bytes()).collect();
    format!("/containers/{id}{action}")
}

fn body<T: serde::Serialize>(value: &T) -> Result<serde_json::Value, KiroError> {
    serde_json::to_value(value).map_err(|e| KiroError::Decode(e.to_string()))
}

impl ExecutionClient {
    /// Creates a container (`state: created`; nothing runs until it is started).
    pub async fn create_container(
        &self,
        request: &ContainerCreateRequest,
    ) -> Result<Container, KiroError> {
        self.call(Call::post("/containers").json(body(request)?))
            .await?
            .json()
    }

    /// The workspace's containers.
    pub async fn containers(&self) -> Result<Vec<Container>, KiroError> {
        self.call(Call::get("/containers")).await?.json()
    }

    pub async fn container(&self, id: &str) -> Result<Container, KiroError> {
        self.call(Call::get(path(id, ""))).await?.json()
    }

    pub async fn start_container(&self, id: &str) -> Result<Container, KiroError> {
        self.call(Call::post(path(id, "/start"))).await?.json()
    }

    /// Runs a command in a running container and waits for its result.
    pub async fn exec_in_container(
        &self,
        id: &str,
        request: &ContainerExecRequest,
    ) -> Result<RunDetail, KiroError> {
        self.call(Call::post(path(id, "/exec")).json(body(request)?))
            .await?
            .json()
    }

    /// Stops a running container: its processes are killed, its files kept.
    pub async fn stop_container(&self, id: &str) -> Result<Container, KiroError> {
        self.call(Call::post(path(id, "/stop"))).await?.json()
    }

    /// Deletes a created or stopped container and its files.
    pub async fn delete_container(&self, id: &str) -> Result<(), KiroError> {
        self.call(Call::delete(path(id, ""))).await?;
        Ok(())
    }
}
