//! What is computed from a project's plan: its schedule (critical path, slack, violations),
//! metrics, reports, and resource utilisation for one project or across the workspace.

use chrono::NaiveDate;
use kiro_core::planning::plan::{build_schedule, origin};
use kiro_core::planning::report::{ReportInput, metrics, report};
use kiro_core::planning::utilization::utilization;
use kiro_core::tenancy::{Access, Tenant};
use kiro_types::FieldError;
use kiro_types::planning::{
    Milestone, Project, ProjectMetrics, Report, ReportType, Schedule, Task, UtilizationReport,
};

use super::allocations::whole_range;
use super::{PlanningService, require};
use crate::error::ApiError;

/// The longest date range one utilisation request may cover.
pub const MAX_UTILIZATION_DAYS: i64 = 3660;

/// A project with everything its schedule and reports are made from.
struct Plan {
    project: Project,
    tasks: Vec<Task>,
    milestones: Vec<Milestone>,
    schedule: Schedule,
}

impl PlanningService {
    async fn plan(&self, tenant: &Tenant, project_id: &str) -> Result<Plan, ApiError> {
        require(tenant, Access::Read)?;
        let project = self.project(tenant, project_id).await?;
        let ws = tenant.workspace_id;
        let tasks = self.store.project_tasks(ws, &project.id).await?;
        let dependencies = self.store.project_dependencies(ws, &project.id).await?;
        let milestones = self.store.list_milestones(ws, &project.id).await?;
        let start = origin(project.start_date, &tasks, self.today());
        let schedule = build_schedule(&project.id, start, &tasks, &dependencies)
            .ok_or_else(|| ApiError::internal("the project's stored dependencies form a cycle"))?;
        Ok(Plan {
            project,
            tasks,
            milestones,
            schedule,
        })
    }

    /// The project's schedule: earliest and latest dates, slack, critical path, violations.
    pub async fn schedule(&self, tenant: &Tenant, project_id: &str) -> Result<Schedule, ApiError> {
        Ok(self.plan(tenant, project_id).await?.schedule)
    }

    pub async fn metrics(
        &self,
        tenant: &Tenant,
        project_id: &str,
    ) -> Result<ProjectMetrics, ApiError> {
        let plan = self.plan(tenant, project_id).await?;
        Ok(metrics(&self.input(&plan)))
    }

    pub async fn report(
        &self,
        tenant: &Tenant,
        project_id: &str,
        kind: ReportType,
    ) -> Result<Report, ApiError> {
        let plan = self.plan(tenant, project_id).await?;
        Ok(report(&self.input(&plan), kind))
    }

    fn input<'a>(&self, plan: &'a Plan) -> ReportInput<'a> {
        ReportInput {
            project: &plan.project,
            tasks: &plan.tasks,
            milestones: &plan.milestones,
            schedule: &plan.schedule,
            today: self.today(),
            now: self.now(),
        }
    }

    /// The utilisation of the people booked on one project, counting their bookings on
    /// every project of the workspace, over `[from, to]` (by default the span of the
    /// project's allocations).
    pub async fn project_utilization(
        &self,
        tenant: &Tenant,
        project_id: &str,
        from: Option<NaiveDate>,
        to: Option<NaiveDate>,
    ) -> Result<UtilizationReport, ApiError> {
        require(tenant, Access::Read)?;
        let project = self.project(tenant, project_id).await?;
        let ws = tenant.workspace_id;
        let (all_from, all_to) = whole_range();
        let own = self
            .store
            .list_allocations(ws, Some(&project.id), all_from, all_to)
            .await?;
        let fallback = project.start_date.unwrap_or_else(|| self.today());
        let from = from
            .or_else(|| own.iter().map(|a| a.start_date).min())
            .unwrap_or(fallback);
        let to = to
            .or_else(|| own.iter().map(|a| a.end_date).max())
            .unwrap_or(from);
        check_range(from, to)?;
        let everywhere = self.store.list_allocations(ws, None, from, to).await?;
        let booked: Vec<_> = everywhere
            .into_iter()
            .filter(|a| own.iter().any(|o| o.resource == a.resource))
            .collect();
        Ok(utilization(&booked, from, to))
    }

    /// Every person's utilisation across the workspace's projects over `[from, to]`.
    pub async fn workspace_utilization(
        &self,
        tenant: &Tenant,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<UtilizationReport, ApiError> {
        require(tenant, Access::Read)?;
        check_range(from, to)?;
        let all = self
            .store
            .list_allocations(tenant.workspace_id, None, from, to)
            .await?;
        Ok(utilization(&all, from, to))
    }
}

/// A utilisation range must be in order and at most [`MAX_UTILIZATION_DAYS`] long.
fn check_range(from: NaiveDate, to: NaiveDate) -> Result<(), ApiError> {
    let message = if to < from {
        format!("{to} is before from {from}; give a range that ends on or after its start")
    } else if (to - from).num_days() >= MAX_UTILIZATION_DAYS {
        format!("{from}..{to} is longer than {MAX_UTILIZATION_DAYS} days; ask for a shorter range")
    } else {
        return Ok(());
    };
    Err(ApiError::validation(vec![FieldError {
        field: "to".into(),
        message,
    }]))
}
