//! Projects: create (owner and team must be workspace members, dates in order), read, list
//! by status, change under `If-Match`, and delete with everything planned in them.

use kiro_core::planning::kinds;
use kiro_core::planning::rules::check_dates;
use kiro_core::tenancy::{Access, Tenant};
use kiro_core::{PageRequest, Paged};
use kiro_types::planning::{
    ConstraintPolicy, Project, ProjectIn, ProjectPatch, ProjectStatus, TeamMember,
};
use kiro_types::{ErrorCode, FieldError};
use serde_json::json;

use super::{PlanningService, check_version, new_id, not_found, require, rule};
use crate::error::ApiError;

impl PlanningService {
    /// The owner and every team member must be members of the workspace.
    async fn check_people(
        &self,
        tenant: &Tenant,
        owner: &str,
        team: &[TeamMember],
    ) -> Result<(), ApiError> {
        self.require_member(tenant, "owner", owner).await?;
        for member in team {
            self.require_member(tenant, "team.userId", &member.user_id)
                .await?;
        }
        Ok(())
    }

    pub async fn create_project(
        &self,
        tenant: &Tenant,
        request: ProjectIn,
    ) -> Result<Project, ApiError> {
        require(tenant, Access::Write)?;
        check_dates(
            ErrorCode::PlanningProjectDatesInvalid,
            request.start_date,
            request.end_date,
        )
        .map_err(rule)?;
        let owner = match (request.owner, tenant.principal.user_id()) {
            (Some(owner), _) => owner,
            (None, Some(user)) => user.to_string(),
            (None, None) => {
                return Err(ApiError::validation(vec![FieldError {
                    field: "owner".into(),
                    message: "a service account owns no project; give the owner's user id".into(),
                }]));
            }
        };
        self.check_people(tenant, &owner, &request.team).await?;
        let now = self.now();
        let project = Project {
            id: new_id(),
            name: request.name.trim().to_owned(),
            description: request.description,
            status: request.status.unwrap_or(ProjectStatus::Planning),
            start_date: request.start_date,
            end_date: request.end_date,
            owner,
            team: request.team,
            constraint_policy: request.constraint_policy.unwrap_or(ConstraintPolicy::Allow),
            created_at: now,
            updated_at: now,
            version: 1,
        };
        let event = self.event(
            tenant,
            kinds::PROJECT_CREATED,
            &project.id,
            1,
            json!({ "name": project.name, "status": project.status }),
        );
        self.store
            .insert_project(tenant.workspace_id, &project, &event)
            .await?;
        Ok(project)
    }

    pub(super) async fn project(&self, tenant: &Tenant, id: &str) -> Result<Project, ApiError> {
        self.store
            .get_project(tenant.workspace_id, id)
            .await
            .map_err(not_found(ErrorCode::PlanningProjectNotFound, "project"))
    }

    pub async fn get_project(&self, tenant: &Tenant, id: &str) -> Result<Project, ApiError> {
        require(tenant, Access::Read)?;
        self.project(tenant, id).await
    }

    pub async fn list_projects(
        &self,
        tenant: &Tenant,
        status: Option<ProjectStatus>,
        page: &PageRequest,
    ) -> Result<Paged<Project>, ApiError> {
        require(tenant, Access::Read)?;
        Ok(self
            .store
            .list_projects(tenant.workspace_id, status, page)
            .await?)
    }

    pub async fn update_project(
        &self,
        tenant: &Tenant,
        id: &str,
        patch: ProjectPatch,
        expected: Option<i64>,
    ) -> Result<Project, ApiError> {
        require(tenant, Access::Write)?;
        let mut project = self.project(tenant, id).await?;
        let current = project.version;
        check_version("project", expected, current)?;
        if let Some(name) = patch.name {
            project.name = name.trim().to_owned();
        }
        if let Some(description) = patch.description {
            project.description = description;
        }
        if let Some(status) = patch.status {
            project.status = status;
        }
        if let Some(start) = patch.start_date {
            project.start_date = start;
        }
        if let Some(end) = patch.end_date {
            project.end_date = end;
        }
        if let Some(owner) = patch.owner {
            project.owner = owner;
        }
        if let Some(team) = patch.team {
            project.team = team;
        }
        if let Some(policy) = patch.constraint_policy {
            project.constraint_policy = policy;
        }
        check_dates(
            ErrorCode::PlanningProjectDatesInvalid,
            project.start_date,
            project.end_date,
        )
        .map_err(rule)?;
        self.check_people(tenant, &project.owner, &project.team)
            .await?;
        project.version = current + 1;
        project.updated_at = self.now();
        let event = self.event(
            tenant,
            kinds::PROJECT_UPDATED,
            &project.id,
            project.version,
            json!({ "name": project.name, "status": project.status }),
        );
        self.store
            .update_project(tenant.workspace_id, &project, current, &event)
            .await?;
        Ok(project)
    }

    /// Deletes the project with its tasks, dependencies, milestones and allocations.
    pub async fn delete_project(&self, tenant: &Tenant, id: &str) -> Result<(), ApiError> {
        require(tenant, Access::Write)?;
        let project = self.project(tenant, id).await?;
        let event = self.event(
            tenant,
            kinds::PROJECT_DELETED,
            &project.id,
            project.version,
            json!({ "name": project.name }),
        );
        self.store
            .delete_project(tenant.workspace_id, id, &event)
            .await
            .map_err(not_found(ErrorCode::PlanningProjectNotFound, "project"))
    }
}
