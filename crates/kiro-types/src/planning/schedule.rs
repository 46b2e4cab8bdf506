//! The scheduler's answer for a project: earliest and latest dates, slack, the critical
//! path and the dependencies its current dates violate. Counted in calendar days.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::task::DependencyKind;

/// One task as scheduled. Finish dates are the last day of work (inclusive).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct ScheduledTask {
    pub task_id: String,
    pub duration_days: i64,
    pub earliest_start: NaiveDate,
    pub earliest_finish: NaiveDate,
    pub latest_start: NaiveDate,
    pub latest_finish: NaiveDate,
    /// Days the task can slip without moving the project's finish.
    pub slack_days: i64,
    pub critical: bool,
}

/// A dependency the tasks' current dates break.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct DependencyViolation {
    pub predecessor_id: String,
    pub successor_id: String,
    pub kind: DependencyKind,
    pub lag_days: i32,
    /// Days the successor would have to move later.
    pub days_late: i64,
    pub message: String,
}

/// `GET /v1/planning/projects/{id}/schedule`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct Schedule {
    pub project_id: String,
    /// Day 0 of the schedule: the project's start date, else its earliest task date.
    pub start: NaiveDate,
    /// The last day of the critical path.
    pub finish: NaiveDate,
    pub duration_days: i64,
    pub tasks: Vec<ScheduledTask>,
    /// Task ids from the first critical task to the last.
    pub critical_path: Vec<String>,
    pub violations: Vec<DependencyViolation>,
}
