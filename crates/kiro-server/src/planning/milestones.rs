//! Milestones: create under a project (the gating tasks must be tasks of that project),
//! list, read, change under `If-Match`, delete.

use kiro_core::planning::kinds;
use kiro_core::tenancy::{Access, Tenant};
use kiro_types::ErrorCode;
use kiro_types::planning::{Milestone, MilestoneIn, MilestonePatch};
use serde_json::json;

use super::{PlanningService, check_version, new_id, not_found, require};
use crate::error::ApiError;

impl PlanningService {
    /// Refuses task ids that are not tasks of project `project_id`.
    pub(super) async fn check_project_tasks(
        &self,
        tenant: &Tenant,
        project_id: &str,
        task_ids: &[String],
    ) -> Result<(), ApiError> {
        for id in task_ids {
            let task = self.task(tenant, id).await?;
            if task.project_id != project_id {
                return Err(ApiError::new(
                    ErrorCode::PlanningTaskOtherProject,
                    format!(
                        "task {id} belongs to another project; give tasks of project {project_id}"
                    ),
                )
                .with_details(json!({ "taskId": id, "projectId": task.project_id })));
            }
        }
        Ok(())
    }

    pub async fn create_milestone(
        &self,
        tenant: &Tenant,
        project_id: &str,
        request: MilestoneIn,
    ) -> Result<Milestone, ApiError> {
        require(tenant, Access::Write)?;
        let project = self.project(tenant, project_id).await?;
        let task_ids = unique(request.task_ids);
        self.check_project_tasks(tenant, &project.id, &task_ids)
            .await?;
        let now = self.now();
        let milestone = Milestone {
            id: new_id(),
            project_id: project.id,
            name: request.name.trim().to_owned(),
            description: request.description,
            date: request.date,
            task_ids,
            created_at: now,
            updated_at: now,
            version: 1,
        };
        let event = self.event(
            tenant,
            kinds::MILESTONE_CREATED,
            &milestone.id,
            1,
            json!({ "projectId": milestone.project_id, "name": milestone.name,
                    "date": milestone.date }),
        );
        self.store
            .insert_milestone(tenant.workspace_id, &milestone, &event)
            .await?;
        Ok(milestone)
    }

    async fn milestone(&self, tenant: &Tenant, id: &str) -> Result<Milestone, ApiError> {
        self.store
            .get_milestone(tenant.workspace_id, id)
            .await
            .map_err(not_found(ErrorCode::PlanningMilestoneNotFound, "milestone"))
    }

    pub async fn get_milestone(&self, tenant: &Tenant, id: &str) -> Result<Milestone, ApiError> {
        require(tenant, Access::Read)?;
        self.milestone(tenant, id).await
    }

    pub async fn list_milestones(
        &self,
        tenant: &Tenant,
        project_id: &str,
    ) -> Result<Vec<Milestone>, ApiError> {
        require(tenant, Access::Read)?;
        let project = self.project(tenant, project_id).await?;
        Ok(self
            .store
            .list_milestones(tenant.workspace_id, &project.id)
            .await?)
    }

    pub async fn update_milestone(
        &self,
        tenant: &Tenant,
        id: &str,
        patch: MilestonePatch,
        expected: Option<i64>,
    ) -> Result<Milestone, ApiError> {
        require(tenant, Access::Write)?;
        let mut milestone = self.milestone(tenant, id).await?;
        let current = milestone.version;
        check_version("milestone", expected, current)?;
        if let Some(name) = patch.name {
            milestone.name = name.trim().to_owned();
        }
        if let Some(description) = patch.description {
            milestone.description = description;
        }
        if let Some(date) = patch.date {
            milestone.date = date;
        }
        if let Some(task_ids) = patch.task_ids {
            let task_ids = unique(task_ids);
            self.check_project_tasks(tenant, &milestone.project_id, &task_ids)
                .await?;
            milestone.task_ids = task_ids;
        }
        milestone.version = current + 1;
        milestone.updated_at = self.now();
        let event = self.event(
            tenant,
            kinds::MILESTONE_UPDATED,
            &milestone.id,
            milestone.version,
            json!({ "projectId": milestone.project_id, "date": milestone.date }),
        );
        self.store
            .update_milestone(tenant.workspace_id, &milestone, current, &event)
            .await?;
        Ok(milestone)
    }

    pub async fn delete_milestone(&self, tenant: &Tenant, id: &str) -> Result<(), ApiError> {
        require(tenant, Access::Write)?;
        let milestone = self.milestone(tenant, id).await?;
        let event = self.event(
            tenant,
            kinds::MILESTONE_DELETED,
            &milestone.id,
            milestone.version,
            json!({ "projectId": milestone.project_id }),
        );
        self.store
            .delete_milestone(tenant.workspace_id, id, &event)
            .await
            .map_err(not_found(ErrorCode::PlanningMilestoneNotFound, "milestone"))
    }
}

/// The ids with repeats dropped, first occurrences kept in order.
fn unique(mut ids: Vec<String>) -> Vec<String> {
    let mut seen = std::collections::HashSet::new();
    ids.retain(|id| seen.insert(id.clone()));
    ids
}
