//! Tasks and dependencies: the design's `createTask`, `updateTask`, `deleteTask`,
//! `listTasks`, plus reading one task and adding or removing a dependency.

use kiro_types::Page;
use kiro_types::planning::{Dependency, DependencyIn, Task, TaskIn, TaskPatch};

use super::{PlanningClient, TaskQuery, body, encode, patch_call};
use crate::call::Call;
use crate::error::KiroError;

impl PlanningClient {
    pub async fn create_task(&self, project_id: &str, task: &TaskIn) -> Result<Task, KiroError> {
        let path = format!("/projects/{}/tasks", encode(project_id));
        self.send(Call::post(path).json(body(task)?)).await
    }

    pub async fn get_task(&self, id: &str) -> Result<Task, KiroError> {
        self.send(Call::get(format!("/tasks/{}", encode(id)))).await
    }

    /// Changes a task; with `expected_version`, a stale version answers 409. New dates that
    /// break a dependency answer 409 `planning.task.violates_dependency` or push the
    /// successors later, as the project's constraint policy says.
    pub async fn update_task(
        &self,
        id: &str,
        updates: &TaskPatch,
        expected_version: Option<i64>,
    ) -> Result<Task, KiroError> {
        let call = patch_call(format!("/tasks/{}", encode(id)), updates, expected_version)?;
        self.send(call).await
    }

    /// Deletes a task; while others depend on it, only with `cascade` (which removes those
    /// dependencies too).
    pub async fn delete_task(&self, id: &str, cascade: bool) -> Result<(), KiroError> {
        let mut path = format!("/tasks/{}", encode(id));
        if cascade {
            path.push_str("?cascade=true");
        }
        self.send(Call::delete(path)).await
    }

    /// One page of a project's tasks matching `query`, oldest first.
    pub async fn list_tasks(
        &self,
        project_id: &str,
        query: &TaskQuery,
    ) -> Result<Page<Task>, KiroError> {
        let path = format!("/projects/{}/tasks{}", encode(project_id), query.to_query());
        self.send(Call::get(path)).await
    }

    /// Every task of a project matching `query`, following the pages.
    pub fn all_tasks(
        &self,
        project_id: &str,
        query: &TaskQuery,
    ) -> impl futures::Stream<Item = Result<Task, KiroError>> + Send + 'static {
        let path = self.path(&format!(
            "/projects/{}/tasks{}",
            encode(project_id),
            query.to_query()
        ));
        self.client().paginate(&path)
    }

    /// Makes task `task_id` depend on `dependency.predecessor_id`.
    pub async fn add_dependency(
        &self,
        task_id: &str,
        dependency: &DependencyIn,
    ) -> Result<Dependency, KiroError> {
        let path = format!("/tasks/{}/dependencies", encode(task_id));
        self.send(Call::post(path).json(body(dependency)?)).await
    }

    pub async fn remove_dependency(
        &self,
        task_id: &str,
        predecessor_id: &str,
    ) -> Result<(), KiroError> {
        let path = format!(
            "/tasks/{}/dependencies/{}",
            encode(task_id),
            encode(predecessor_id)
        );
        self.send(Call::delete(path)).await
    }
}
