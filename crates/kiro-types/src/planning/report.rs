//! Reports and metrics: the design's `Report` (status, burndown, overdue and at-risk,
//! estimated vs actual hours) and `ProjectMetrics`.

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use super::wire_enum;

/// Which report to generate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ReportType {
    Status,
    Burndown,
    Overdue,
    Hours,
}

wire_enum!(ReportType {
    Status = "status",
    Burndown = "burndown",
    Overdue = "overdue",
    Hours = "hours",
});

/// The design's `ProjectMetrics`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct ProjectMetrics {
    pub project_id: String,
    pub total_tasks: u32,
    /// Task count per status name.
    pub tasks_by_status: BTreeMap<String, u32>,
    pub completed_tasks: u32,
    /// Done tasks' estimated hours over all open and done tasks' estimated hours, 0–100.
    pub percent_complete: f64,
    pub estimated_hours: f64,
    pub actual_hours: f64,
    pub overdue_tasks: u32,
    pub at_risk_tasks: u32,
    pub milestones: u32,
    pub milestones_reached: u32,
    pub critical_path_days: i64,
    pub dependency_violations: u32,
}

/// Why a task is listed as overdue or at risk.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct TaskFlag {
    pub task_id: String,
    pub title: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub assignee: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end_date: Option<NaiveDate>,
    pub reason: String,
}

/// One day of the burndown: estimated hours still open, and done (burnup).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct BurndownPoint {
    pub date: NaiveDate,
    pub remaining_hours: f64,
    pub completed_hours: f64,
    /// The straight line from the total at the start to zero at the planned finish.
    pub ideal_remaining_hours: f64,
}

/// One task's estimate against the hours worked.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct HoursRow {
    pub task_id: String,
    pub title: String,
    pub estimated_hours: f64,
    pub actual_hours: f64,
    /// Actual minus estimated.
    pub variance_hours: f64,
}

/// The design's `Report`. Sections not part of the report type are empty.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct Report {
    pub project_id: String,
    pub project_name: String,
    pub report_type: ReportType,
    pub generated_at: DateTime<Utc>,
    pub metrics: ProjectMetrics,
    pub critical_path: Vec<String>,
    pub overdue: Vec<TaskFlag>,
    pub at_risk: Vec<TaskFlag>,
    pub burndown: Vec<BurndownPoint>,
    pub hours: Vec<HoursRow>,
}
