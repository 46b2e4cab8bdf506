//! [`PlanningStore`] for [`SqlStore`]: the `planning_*` tables of migration 0005. Each
//! aggregate keeps its wire DTO as JSON in `body` beside the filtered and joined columns;
//! tasks' dependency lists and milestones' task lists are read from their link tables.

mod allocations;
mod dependencies;
mod milestones;
mod projects;
mod rows;
mod tasks;

use async_trait::async_trait;
use chrono::NaiveDate;
use kiro_core::events::EventDraft;
use kiro_core::planning::{PlanningStore, TaskFilter};
use kiro_core::{PageRequest, Paged, StoreError};
use kiro_types::WorkspaceId;
use kiro_types::planning::{
    Dependency, Milestone, Project, ProjectStatus, ResourceAllocation, Task,
};

use crate::sql_store::SqlStore;

#[async_trait]
impl PlanningStore for SqlStore {
    async fn insert_project(
        &self,
        ws: WorkspaceId,
        project: &Project,
        event: &EventDraft,
    ) -> Result<(), StoreError> {
        projects::insert(self, ws, project, event).await
    }

    async fn get_project(&self, ws: WorkspaceId, id: &str) -> Result<Project, StoreError> {
        projects::get(self, ws, id).await
    }

    async fn list_projects(
        &self,
        ws: WorkspaceId,
        status: Option<ProjectStatus>,
        page: &PageRequest,
    ) -> Result<Paged<Project>, StoreError> {
        projects::list(self, ws, status, page).await
    }

    async fn update_project(
        &self,
        ws: WorkspaceId,
        project: &Project,
        expected: i64,
        event: &EventDraft,
    ) -> Result<(), StoreError> {
        projects::update(self, ws, project, expected, event).await
    }

    async fn delete_project(
        &self,
        ws: WorkspaceId,
        id: &str,
        event: &EventDraft,
    ) -> Result<(), StoreError> {
        projects::delete(self, ws, id, event).await
    }

    async fn insert_task(
        &self,
        ws: WorkspaceId,
        task: &Task,
        event: &EventDraft,
    ) -> Result<(), StoreError> {
        tasks::insert(self, ws, task, event).await
    }

    async fn get_task(&self, ws: WorkspaceId, id: &str) -> Result<Task, StoreError> {
        tasks::get(self, ws, id).await
    }

    async fn list_tasks(
        &self,
        ws: WorkspaceId,
        filter: &TaskFilter,
        page: &PageRequest,
    ) -> Result<Paged<Task>, StoreError> {
        tasks::list(self, ws, filter, page).await
    }

    async fn project_tasks(
        &self,
        ws: WorkspaceId,
        project_id: &str,
    ) -> Result<Vec<Task>, StoreError> {
        tasks::of_project(self, ws, project_id).await
    }

    async fn update_task(
        &self,
        ws: WorkspaceId,
        task: &Task,
        expected: i64,
        event: &EventDraft,
    ) -> Result<(), StoreError> {
        tasks::update(self, ws, task, expected, event).await
    }

    async fn update_tasks(
        &self,
        ws: WorkspaceId,
        changes: &[(Task, i64)],
        events: &[EventDraft],
    ) -> Result<(), StoreError> {
        tasks::update_many(self, ws, changes, events).await
    }

    async fn delete_task(
        &self,
        ws: WorkspaceId,
        id: &str,
        cascade: bool,
        event: &EventDraft,
    ) -> Result<(), StoreError> {
        tasks::delete(self, ws, id, cascade, event).await
    }

    async fn insert_dependency(
        &self,
        ws: WorkspaceId,
        dependency: &Dependency,
        event: &EventDraft,
    ) -> Result<Option<Vec<String>>, StoreError> {
        dependencies::insert(self, ws, dependency, event).await
    }

    async fn delete_dependency(
        &self,
        ws: WorkspaceId,
        predecessor: &str,
        successor: &str,
        event: &EventDraft,
    ) -> Result<(), StoreError> {
        dependencies::delete(self, ws, predecessor, successor, event).await
    }

    async fn project_dependencies(
        &self,
        ws: WorkspaceId,
        project_id: &str,
    ) -> Result<Vec<Dependency>, StoreError> {
        dependencies::of_project(self, ws, project_id).await
    }

    async fn insert_milestone(
        &self,
        ws: WorkspaceId,
        milestone: &Milestone,
        event: &EventDraft,
    ) -> Result<(), StoreError> {
        milestones::insert(self, ws, milestone, event).await
    }

    async fn get_milestone(&self, ws: WorkspaceId, id: &str) -> Result<Milestone, StoreError> {
        milestones::get(self, ws, id).await
    }

    async fn list_milestones(
        &self,
        ws: WorkspaceId,
        project_id: &str,
    ) -> Result<Vec<Milestone>, StoreError> {
        milestones::list(self, ws, project_id).await
    }

    async fn update_milestone(
        &self,
        ws: WorkspaceId,
        milestone: &Milestone,
        expected: i64,
        event: &EventDraft,
    ) -> Result<(), StoreError> {
        milestones::update(self, ws, milestone, expected, event).await
    }

    async fn delete_milestone(
        &self,
        ws: WorkspaceId,
        id: &str,
        event: &EventDraft,
    ) -> Result<(), StoreError> {
        milestones::delete(self, ws, id, event).await
    }

    async fn insert_allocation(
        &self,
        ws: WorkspaceId,
        allocation: &ResourceAllocation,
        event: &EventDraft,
    ) -> Result<(), StoreError> {
        allocations::insert(self, ws, allocation, event).await
    }

    async fn get_allocation(
        &self,
        ws: WorkspaceId,
        id: &str,
    ) -> Result<ResourceAllocation, StoreError> {
        allocations::get(self, ws, id).await
    }

    async fn list_allocations(
        &self,
        ws: WorkspaceId,
        project_id: Option<&str>,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<Vec<ResourceAllocation>, StoreError> {
        allocations::list(self, ws, project_id, from, to).await
    }

    async fn update_allocation(
        &self,
        ws: WorkspaceId,
        allocation: &ResourceAllocation,
        expected: i64,
        event: &EventDraft,
    ) -> Result<(), StoreError> {
        allocations::update(self, ws, allocation, expected, event).await
    }

    async fn delete_allocation(
        &self,
        ws: WorkspaceId,
        id: &str,
        event: &EventDraft,
    ) -> Result<(), StoreError> {
        allocations::delete(self, ws, id, event).await
    }
}
