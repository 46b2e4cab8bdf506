//! Dependencies between tasks: add (both tasks in the workspace, any of its projects; a
//! self-dependency is refused, one closing a cycle is refused naming it, a repeated pair is
//! a conflict) and remove.

use kiro_core::StoreError;
use kiro_core::planning::kinds;
use kiro_core::tenancy::{Access, Tenant};
use kiro_types::ErrorCode;
use kiro_types::planning::{Dependency, DependencyIn};
use serde_json::json;

use super::{PlanningService, new_id, require};
use crate::error::ApiError;

impl PlanningService {
    /// Makes task `successor_id` depend on `request.predecessor_id`.
    pub async fn add_dependency(
        &self,
        tenant: &Tenant,
        successor_id: &str,
        request: DependencyIn,
    ) -> Result<Dependency, ApiError> {
        require(tenant, Access::Write)?;
        if request.predecessor_id == successor_id {
            return Err(ApiError::new(
                ErrorCode::PlanningDependencySelf,
                "a task cannot depend on itself; give another task as predecessorId",
            )
            .with_details(json!({ "taskId": successor_id })));
        }
        let successor = self.task(tenant, successor_id).await?;
        let predecessor = self.task(tenant, &request.predecessor_id).await?;
        let created_at = self.now();
        let dependency = Dependency {
            id: new_id(),
            predecessor_id: predecessor.id.clone(),
            successor_id: successor.id.clone(),
            kind: request.kind,
            lag_days: request.lag_days,
            created_at,
        };
        let event = self.event(
            tenant,
            kinds::DEPENDENCY_ADDED,
            &dependency.id,
            1,
            json!({ "predecessorId": dependency.predecessor_id,
                    "successorId": dependency.successor_id,
                    "kind": dependency.kind, "lagDays": dependency.lag_days }),
        );
        match self
            .store
            .insert_dependency(tenant.workspace_id, &dependency, &event)
            .await
        {
            Ok(None) => Ok(dependency),
            Ok(Some(cycle)) => Err(ApiError::new(
                ErrorCode::PlanningDependencyCycle,
                format!(
                    "this dependency would close the cycle {}; remove one of its dependencies \
                     first or choose another predecessor",
                    cycle.join(" → ")
                ),
            )
            .with_details(json!({ "cycle": cycle }))),
            Err(StoreError::Conflict { .. }) => Err(ApiError::new(
                ErrorCode::PlanningDependencyExists,
                "this task already depends on that predecessor; change it by removing it and \
                 adding it again",
            )
            .with_details(json!({ "predecessorId": predecessor.id, "successorId": successor.id }))),
            Err(e) => Err(e.into()),
        }
    }

    /// Removes the dependency of task `successor_id` on `predecessor_id`.
    pub async fn remove_dependency(
        &self,
        tenant: &Tenant,
        successor_id: &str,
        predecessor_id: &str,
    ) -> Result<(), ApiError> {
        require(tenant, Access::Write)?;
        let successor = self.task(tenant, successor_id).await?;
        let missing = || {
            ApiError::new(
                ErrorCode::PlanningDependencyNotFound,
                format!("task {successor_id} does not depend on {predecessor_id}"),
            )
        };
        let dependency = self
            .store
            .project_dependencies(tenant.workspace_id, &successor.project_id)
            .await?
            .into_iter()
            .find(|d| d.successor_id == successor.id && d.predecessor_id == predecessor_id)
            .ok_or_else(missing)?;
        let event = self.event(
            tenant,
            kinds::DEPENDENCY_REMOVED,
            &dependency.id,
            1,
            json!({ "predecessorId": dependency.predecessor_id,
                    "successorId": dependency.successor_id }),
        );
        match self
            .store
            .delete_dependency(tenant.workspace_id, predecessor_id, &successor.id, &event)
            .await
        {
            Err(StoreError::NotFound) => Err(missing()),
            other => Ok(other?),
        }
    }
}
