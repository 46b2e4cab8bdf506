//! [`PlanningClient`]: the planning service's typed calls — the design's
//! `KiroPlanningService`: projects, tasks and their dependencies, milestones, resource
//! allocations and utilisation, the schedule, metrics and reports. Updates take the version
//! the caller read (sent as `If-Match`; a stale one answers 409). It derefs to the
//! service's [`ServiceHandle`] for status and health.

mod insights;
mod query;
mod resources;
mod work;

use std::ops::Deref;

use kiro_types::Page;
use kiro_types::planning::{Project, ProjectIn, ProjectPatch};
use serde::Serialize;
use serde::de::DeserializeOwned;

pub use insights::ReportFormat;
pub use query::{ProjectQuery, TaskQuery};

use crate::call::Call;
use crate::error::KiroError;
use crate::services::ServiceHandle;

/// The planning service; cheap to clone.
#[derive(Debug, Clone)]
pub struct PlanningClient {
    handle: ServiceHandle,
}

impl Deref for PlanningClient {
    type Target = ServiceHandle;
    fn deref(&self) -> &ServiceHandle {
        &self.handle
    }
}

/// Percent-encodes a path segment or query value.
fn encode(value: &str) -> String {
    url::form_urlencoded::byte_serialize(value.as_bytes()).collect()
}

/// A request body as JSON.
fn body<T: Serialize>(value: &T) -> Result<serde_json::Value, KiroError> {
    serde_json::to_value(value).map_err(|e| KiroError::Decode(e.to_string()))
}

/// A `PATCH` of `path` with `patch`, expecting `expected_version` when given.
fn patch_call<T: Serialize>(
    path: String,
    patch: &T,
    expected_version: Option<i64>,
) -> Result<Call, KiroError> {
    let mut call = Call::patch(path).json(body(patch)?);
    if let Some(v) = expected_version {
        call = call.if_match(format!("\"{v}\""));
    }
    Ok(call)
}

impl PlanningClient {
    pub(crate) fn new(handle: ServiceHandle) -> Self {
        Self { handle }
    }

    async fn send<T: DeserializeOwned>(&self, call: Call) -> Result<T, KiroError> {
        self.handle.call(call).await?.json()
    }

    pub async fn create_project(&self, project: &ProjectIn) -> Result<Project, KiroError> {
        self.send(Call::post("/projects").json(body(project)?))
            .await
    }

    pub async fn get_project(&self, id: &str) -> Result<Project, KiroError> {
        self.send(Call::get(format!("/projects/{}", encode(id))))
            .await
    }

    /// Changes a project; with `expected_version`, a stale version answers 409.
    pub async fn update_project(
        &self,
        id: &str,
        updates: &ProjectPatch,
        expected_version: Option<i64>,
    ) -> Result<Project, KiroError> {
        let call = patch_call(
            format!("/projects/{}", encode(id)),
            updates,
            expected_version,
        )?;
        self.send(call).await
    }

    /// Deletes a project with its tasks, dependencies, milestones and allocations.
    pub async fn delete_project(&self, id: &str) -> Result<(), KiroError> {
        self.send(Call::delete(format!("/projects/{}", encode(id))))
            .await
    }

    /// One page of the workspace's projects, oldest first.
    pub async fn list_projects(&self, query: &ProjectQuery) -> Result<Page<Project>, KiroError> {
        self.send(Call::get(format!("/projects{}", query.to_query())))
            .await
    }

    /// Every project matching `query`, following the pages.
    pub fn all_projects(
        &self,
        query: &ProjectQuery,
    ) -> impl futures::Stream<Item = Result<Project, KiroError>> + Send + 'static {
        let path = self.path(&format!("/projects{}", query.to_query()));
        self.client().paginate(&path)
    }
}
