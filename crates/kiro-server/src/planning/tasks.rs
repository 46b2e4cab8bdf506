//! Tasks: create under a project (assignee a workspace member, dates in order), read, list
//! with filters, change under `If-Match` (a change of dates goes through the project's
//! constraint policy in [`super::moves`]), and delete (refused while others depend on the
//! task unless cascading).

use kiro_core::planning::rules::check_dates;
use kiro_core::planning::{TaskFilter, kinds};
use kiro_core::tenancy::{Access, Tenant};
use kiro_core::{PageRequest, Paged, StoreError};
use kiro_types::ErrorCode;
use kiro_types::planning::{Task, TaskIn, TaskPatch, TaskPriority, TaskStatus};
use serde_json::json;

use super::{PlanningService, check_version, new_id, not_found, require, rule};
use crate::error::ApiError;

impl PlanningService {
    pub async fn create_task(
        &self,
        tenant: &Tenant,
        project_id: &str,
        request: TaskIn,
    ) -> Result<Task, ApiError> {
        require(tenant, Access::Write)?;
        check_dates(
            ErrorCode::PlanningTaskDatesInvalid,
            request.start_date,
            request.end_date,
        )
        .map_err(rule)?;
        let project = self.project(tenant, project_id).await?;
        if let Some(assignee) = &request.assignee {
            self.require_member(tenant, "assignee", assignee).await?;
        }
        let now = self.now();
        let task = Task {
            id: new_id(),
            project_id: project.id,
            title: request.title.trim().to_owned(),
            description: request.description,
            status: request.status.unwrap_or(TaskStatus::Todo),
            priority: request.priority.unwrap_or(TaskPriority::Medium),
            assignee: request.assignee,
            estimated_hours: request.estimated_hours.unwrap_or(0.0),
            actual_hours: request.actual_hours.unwrap_or(0.0),
            dependencies: Vec::new(),
            tags: request.tags,
            start_date: request.start_date,
            end_date: request.end_date,
            created_at: now,
            updated_at: now,
            version: 1,
        };
        let event = self.event(
            tenant,
            kinds::TASK_CREATED,
            &task.id,
            1,
            json!({ "projectId": task.project_id, "title": task.title }),
        );
        self.store
            .insert_task(tenant.workspace_id, &task, &event)
            .await?;
        Ok(task)
    }

    pub(super) async fn task(&self, tenant: &Tenant, id: &str) -> Result<Task, ApiError> {
        self.store
            .get_task(tenant.workspace_id, id)
            .await
            .map_err(not_found(ErrorCode::PlanningTaskNotFound, "task"))
    }

    pub async fn get_task(&self, tenant: &Tenant, id: &str) -> Result<Task, ApiError> {
        require(tenant, Access::Read)?;
        self.task(tenant, id).await
    }

    /// A page of a project's tasks matching `filter` (its `project_id` is set here).
    pub async fn list_tasks(
        &self,
        tenant: &Tenant,
        project_id: &str,
        mut filter: TaskFilter,
        page: &PageRequest,
    ) -> Result<Paged<Task>, ApiError> {
        require(tenant, Access::Read)?;
        let project = self.project(tenant, project_id).await?;
        filter.project_id = Some(project.id);
        Ok(self
            .store
            .list_tasks(tenant.workspace_id, &filter, page)
            .await?)
    }

    pub async fn update_task(
        &self,
        tenant: &Tenant,
        id: &str,
        patch: TaskPatch,
        expected: Option<i64>,
    ) -> Result<Vec<Task>, ApiError> {
        require(tenant, Access::Write)?;
        let before = self.task(tenant, id).await?;
        check_version("task", expected, before.version)?;
        let mut task = before.clone();
        apply(&mut task, patch);
        check_dates(
            ErrorCode::PlanningTaskDatesInvalid,
            task.start_date,
            task.end_date,
        )
        .map_err(rule)?;
        if task.assignee != before.assignee
            && let Some(assignee) = &task.assignee
        {
            self.require_member(tenant, "assignee", assignee).await?;
        }
        task.version = before.version + 1;
        task.updated_at = self.now();
        let moved = task.start_date != before.start_date
            || task.end_date != before.end_date
            || task.estimated_hours != before.estimated_hours;
        if moved {
            return self.move_task(tenant, task, before.version).await;
        }
        let event = self.task_updated(tenant, &task, None);
        self.store
            .update_task(tenant.workspace_id, &task, before.version, &event)
            .await?;
        Ok(vec![task])
    }

    /// The `planning.task.updated` event of `task`; `rescheduled_by` names the task whose
    /// move pushed it.
    pub(super) fn task_updated(
        &self,
        tenant: &Tenant,
        task: &Task,
        rescheduled_by: Option<&str>,
    ) -> kiro_core::events::EventDraft {
        let mut data = json!({
            "projectId": task.project_id,
            "status": task.status,
            "startDate": task.start_date,
            "endDate": task.end_date,
        });
        if let Some(by) = rescheduled_by {
            data["rescheduledBy"] = json!(by);
        }
        self.event(tenant, kinds::TASK_UPDATED, &task.id, task.version, data)
    }

    /// Deletes a task; refused with `planning.task.has_dependants` while other tasks depend
    /// on it, unless `cascade` (which removes those dependencies too).
    pub async fn delete_task(
        &self,
        tenant: &Tenant,
        id: &str,
        cascade: bool,
    ) -> Result<(), ApiError> {
        require(tenant, Access::Write)?;
        let task = self.task(tenant, id).await?;
        let event = self.event(
            tenant,
            kinds::TASK_DELETED,
            &task.id,
            task.version,
            json!({ "projectId": task.project_id, "cascade": cascade }),
        );
        match self
            .store
            .delete_task(tenant.workspace_id, id, cascade, &event)
            .await
        {
            Ok(()) => Ok(()),
            Err(StoreError::Conflict { constraint })
                if constraint == "planning_task_dependants" =>
            {
                Err(ApiError::new(
                    ErrorCode::PlanningTaskHasDependants,
                    "other tasks depend on this task; remove those dependencies first, or \
                     delete with ?cascade=true to remove them with it",
                )
                .with_details(json!({ "taskId": id })))
            }
            Err(e) => Err(not_found(ErrorCode::PlanningTaskNotFound, "task")(e)),
        }
    }
}

/// Applies the fields a patch gives.
fn apply(task: &mut Task, patch: TaskPatch) {
    if let Some(title) = patch.title {
        task.title = title.trim().to_owned();
    }
    if let Some(description) = patch.description {
        task.description = description;
    }
    if let Some(status) = patch.status {
        task.status = status;
    }
    if let Some(priority) = patch.priority {
        task.priority = priority;
    }
    if let Some(assignee) = patch.assignee {
        task.assignee = assignee;
    }
    if let Some(hours) = patch.estimated_hours {
        task.estimated_hours = hours;
    }
    if let Some(hours) = patch.actual_hours {
        task.actual_hours = hours;
    }
    if let Some(tags) = patch.tags {
        task.tags = tags;
    }
    if let Some(start) = patch.start_date {
        task.start_date = start;
    }
    if let Some(end) = patch.end_date {
        task.end_date = end;
    }
}
