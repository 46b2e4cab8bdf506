//! Resource allocations: book a person or resource on a project (optionally one of its
//! tasks) over a date range, by hours a day or percent of a day; list, change under
//! `If-Match`, delete. Negative amounts are refused; more than a full day is allowed and
//! flagged by utilisation.

use kiro_core::planning::kinds;
use kiro_core::planning::rules::{allocation_hours, check_dates, percent_of_day};
use kiro_core::tenancy::{Access, Tenant};
use kiro_types::ErrorCode;
use kiro_types::planning::{AllocationIn, AllocationPatch, ResourceAllocation};
use serde_json::json;

use super::{PlanningService, check_version, new_id, not_found, require, rule};
use crate::error::ApiError;

/// The widest range allocations are listed over when a request names none.
pub(super) fn whole_range() -> (chrono::NaiveDate, chrono::NaiveDate) {
    (
        chrono::NaiveDate::from_ymd_opt(1, 1, 1).unwrap_or_default(),
        chrono::NaiveDate::from_ymd_opt(9999, 12, 31).unwrap_or_default(),
    )
}

impl PlanningService {
    pub async fn allocate_resource(
        &self,
        tenant: &Tenant,
        project_id: &str,
        request: AllocationIn,
    ) -> Result<ResourceAllocation, ApiError> {
        require(tenant, Access::Write)?;
        let hours = allocation_hours(request.hours_per_day, request.percent).map_err(rule)?;
        check_dates(
            ErrorCode::PlanningAllocationDatesInvalid,
            Some(request.start_date),
            Some(request.end_date),
        )
        .map_err(rule)?;
        let project = self.project(tenant, project_id).await?;
        if let Some(task_id) = &request.task_id {
            self.check_project_tasks(tenant, &project.id, std::slice::from_ref(task_id))
                .await?;
        }
        let now = self.now();
        let allocation = ResourceAllocation {
            id: new_id(),
            project_id: project.id,
            resource: request.resource.trim().to_owned(),
            task_id: request.task_id,
            start_date: request.start_date,
            end_date: request.end_date,
            hours_per_day: hours,
            percent: percent_of_day(hours),
            created_at: now,
            updated_at: now,
            version: 1,
        };
        let event = self.event(
            tenant,
            kinds::ALLOCATION_CREATED,
            &allocation.id,
            1,
            json!({ "projectId": allocation.project_id, "resource": allocation.resource,
                    "hoursPerDay": allocation.hours_per_day }),
        );
        self.store
            .insert_allocation(tenant.workspace_id, &allocation, &event)
            .await?;
        Ok(allocation)
    }

    async fn allocation(&self, tenant: &Tenant, id: &str) -> Result<ResourceAllocation, ApiError> {
        self.store
            .get_allocation(tenant.workspace_id, id)
            .await
            .map_err(not_found(
                ErrorCode::PlanningAllocationNotFound,
                "allocation",
            ))
    }

    pub async fn get_allocation(
        &self,
        tenant: &Tenant,
        id: &str,
    ) -> Result<ResourceAllocation, ApiError> {
        require(tenant, Access::Read)?;
        self.allocation(tenant, id).await
    }

    /// Every allocation of a project, by start date.
    pub async fn list_allocations(
        &self,
        tenant: &Tenant,
        project_id: &str,
    ) -> Result<Vec<ResourceAllocation>, ApiError> {
        require(tenant, Access::Read)?;
        let project = self.project(tenant, project_id).await?;
        let (from, to) = whole_range();
        Ok(self
            .store
            .list_allocations(tenant.workspace_id, Some(&project.id), from, to)
            .await?)
    }

    pub async fn update_allocation(
        &self,
        tenant: &Tenant,
        id: &str,
        patch: AllocationPatch,
        expected: Option<i64>,
    ) -> Result<ResourceAllocation, ApiError> {
        require(tenant, Access::Write)?;
        let mut allocation = self.allocation(tenant, id).await?;
        let current = allocation.version;
        check_version("allocation", expected, current)?;
        if patch.hours_per_day.is_some() || patch.percent.is_some() {
            let hours = allocation_hours(patch.hours_per_day, patch.percent).map_err(rule)?;
            allocation.hours_per_day = hours;
            allocation.percent = percent_of_day(hours);
        }
        if let Some(start) = patch.start_date {
            allocation.start_date = start;
        }
        if let Some(end) = patch.end_date {
            allocation.end_date = end;
        }
        check_dates(
            ErrorCode::PlanningAllocationDatesInvalid,
            Some(allocation.start_date),
            Some(allocation.end_date),
        )
        .map_err(rule)?;
        allocation.version = current + 1;
        allocation.updated_at = self.now();
        let event = self.event(
            tenant,
            kinds::ALLOCATION_UPDATED,
            &allocation.id,
            allocation.version,
            json!({ "projectId": allocation.project_id, "hoursPerDay": allocation.hours_per_day }),
        );
        self.store
            .update_allocation(tenant.workspace_id, &allocation, current, &event)
            .await?;
        Ok(allocation)
    }

    pub async fn delete_allocation(&self, tenant: &Tenant, id: &str) -> Result<(), ApiError> {
        require(tenant, Access::Write)?;
        let allocation = self.allocation(tenant, id).await?;
        let event = self.event(
            tenant,
            kinds::ALLOCATION_DELETED,
            &allocation.id,
            allocation.version,
            json!({ "projectId": allocation.project_id }),
        );
        self.store
            .delete_allocation(tenant.workspace_id, id, &event)
            .await
            .map_err(not_found(
                ErrorCode::PlanningAllocationNotFound,
                "allocation",
            ))
    }
}
