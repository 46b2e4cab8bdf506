//! [`PlanningStore`]: the port kiro-store implements for projects, tasks, dependencies,
//! milestones and allocations. Every read and write is scoped by workspace; every write
//! takes its [`EventDraft`] and commits with it or not at all.

use async_trait::async_trait;
use chrono::NaiveDate;
use kiro_types::WorkspaceId;
use kiro_types::planning::{
    Dependency, Milestone, Project, ProjectStatus, ResourceAllocation, Task, TaskStatus,
};

use crate::events::EventDraft;
use crate::page::{PageRequest, Paged};
use crate::store::StoreError;

/// Which tasks to list. Date bounds keep tasks whose dates overlap `[from, to]`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TaskFilter {
    pub project_id: Option<String>,
    pub status: Option<TaskStatus>,
    pub assignee: Option<String>,
    pub tag: Option<String>,
    pub milestone_id: Option<String>,
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
}

/// Planning storage.
#[async_trait]
pub trait PlanningStore: Send + Sync {
    async fn insert_project(
        &self,
        ws: WorkspaceId,
        project: &Project,
        event: &EventDraft,
    ) -> Result<(), StoreError>;
    async fn get_project(&self, ws: WorkspaceId, id: &str) -> Result<Project, StoreError>;
    /// Oldest first.
    async fn list_projects(
        &self,
        ws: WorkspaceId,
        status: Option<ProjectStatus>,
        page: &PageRequest,
    ) -> Result<Paged<Project>, StoreError>;
    /// `Stale` when the stored version is not `expected`.
    async fn update_project(
        &self,
        ws: WorkspaceId,
        project: &Project,
        expected: i64,
        event: &EventDraft,
    ) -> Result<(), StoreError>;
    /// Deletes the project with its tasks, their dependencies, milestones and allocations.
    async fn delete_project(
        &self,
        ws: WorkspaceId,
        id: &str,
        event: &EventDraft,
    ) -> Result<(), StoreError>;

    async fn insert_task(
        &self,
        ws: WorkspaceId,
        task: &Task,
        event: &EventDraft,
    ) -> Result<(), StoreError>;
    /// With its dependencies (predecessor ids).
    async fn get_task(&self, ws: WorkspaceId, id: &str) -> Result<Task, StoreError>;
    /// Oldest first.
    async fn list_tasks(
        &self,
        ws: WorkspaceId,
        filter: &TaskFilter,
        page: &PageRequest,
    ) -> Result<Paged<Task>, StoreError>;
    /// Every task of a project, oldest first.
    async fn project_tasks(
        &self,
        ws: WorkspaceId,
        project_id: &str,
    ) -> Result<Vec<Task>, StoreError>;
    /// `Stale` when the stored version is not `expected`.
    async fn update_task(
        &self,
        ws: WorkspaceId,
        task: &Task,
        expected: i64,
        event: &EventDraft,
    ) -> Result<(), StoreError>;
    /// Updates several tasks, each `Stale` unless its stored version is the one paired with
    /// it, appending `events` in order; all in one transaction (nothing written on error).
    async fn update_tasks(
        &self,
        ws: WorkspaceId,
        changes: &[(Task, i64)],
        events: &[EventDraft],
    ) -> Result<(), StoreError>;
    /// Deletes a task, its milestone links and allocations. When other tasks depend on it:
    /// `Conflict { constraint: "planning_task_dependants" }` unless `cascade`, which drops
    /// those dependencies too. Check and delete are one transaction.
    async fn delete_task(
        &self,
        ws: WorkspaceId,
        id: &str,
        cascade: bool,
        event: &EventDraft,
    ) -> Result<(), StoreError>;

    /// Inserts the dependency unless it would close a cycle among the workspace's
    /// dependencies; the check and the insert are one serialised transaction. `Ok(Some(cycle))`
    /// names the cycle (nothing is written); `Conflict` when the pair already exists.
    async fn insert_dependency(
        &self,
        ws: WorkspaceId,
        dependency: &Dependency,
        event: &EventDraft,
    ) -> Result<Option<Vec<String>>, StoreError>;
    async fn delete_dependency(
        &self,
        ws: WorkspaceId,
        predecessor: &str,
        successor: &str,
        event: &EventDraft,
    ) -> Result<(), StoreError>;
    /// Dependencies touching any task of the project (either end).
    async fn project_dependencies(
        &self,
        ws: WorkspaceId,
        project_id: &str,
    ) -> Result<Vec<Dependency>, StoreError>;

    async fn insert_milestone(
        &self,
        ws: WorkspaceId,
        milestone: &Milestone,
        event: &EventDraft,
    ) -> Result<(), StoreError>;
    async fn get_milestone(&self, ws: WorkspaceId, id: &str) -> Result<Milestone, StoreError>;
    async fn list_milestones(
        &self,
        ws: WorkspaceId,
        project_id: &str,
    ) -> Result<Vec<Milestone>, StoreError>;
    async fn update_milestone(
        &self,
        ws: WorkspaceId,
        milestone: &Milestone,
        expected: i64,
        event: &EventDraft,
    ) -> Result<(), StoreError>;
    async fn delete_milestone(
        &self,
        ws: WorkspaceId,
        id: &str,
        event: &EventDraft,
    ) -> Result<(), StoreError>;

    async fn insert_allocation(
        &self,
        ws: WorkspaceId,
        allocation: &ResourceAllocation,
        event: &EventDraft,
    ) -> Result<(), StoreError>;
    async fn get_allocation(
        &self,
        ws: WorkspaceId,
        id: &str,
    ) -> Result<ResourceAllocation, StoreError>;
    /// One project's allocations, or the whole workspace's when `project_id` is `None`,
    /// overlapping `[from, to]`.
    async fn list_allocations(
        &self,
        ws: WorkspaceId,
        project_id: Option<&str>,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<Vec<ResourceAllocation>, StoreError>;
    async fn update_allocation(
        &self,
        ws: WorkspaceId,
        allocation: &ResourceAllocation,
        expected: i64,
        event: &EventDraft,
    ) -> Result<(), StoreError>;
    async fn delete_allocation(
        &self,
        ws: WorkspaceId,
        id: &str,
        event: &EventDraft,
    ) -> Result<(), StoreError>;
}
