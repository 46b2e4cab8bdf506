//! Milestones, resource allocations and utilisation: the design's `Milestone`,
//! `ResourceAllocation` and `ResourceUtilization`.

use chrono::{DateTime, NaiveDate, Utc};
use garde::Validate;
use serde::{Deserialize, Serialize};

/// The design's `Milestone`: a date and the tasks that gate it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct Milestone {
    pub id: String,
    pub project_id: String,
    pub name: String,
    pub description: String,
    pub date: NaiveDate,
    /// Tasks that must be done for the milestone to be reached.
    pub task_ids: Vec<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub version: i64,
}

/// `POST /v1/planning/projects/{id}/milestones`.
#[derive(Debug, Clone, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct MilestoneIn {
    #[garde(length(chars, min = 1, max = 200))]
    pub name: String,
    #[garde(length(chars, max = 10_000))]
    #[serde(default)]
    pub description: String,
    #[garde(skip)]
    pub date: NaiveDate,
    #[garde(length(max = 1000), inner(length(min = 1, max = 64)))]
    #[serde(default)]
    pub task_ids: Vec<String>,
}

/// `PATCH /v1/planning/milestones/{id}`.
#[derive(Debug, Clone, Default, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct MilestonePatch {
    #[garde(length(chars, min = 1, max = 200))]
    pub name: Option<String>,
    #[garde(length(chars, max = 10_000))]
    pub description: Option<String>,
    #[garde(skip)]
    pub date: Option<NaiveDate>,
    #[garde(length(max = 1000), inner(inner(length(min = 1, max = 64))))]
    pub task_ids: Option<Vec<String>>,
}

/// The design's `ResourceAllocation`: a person or resource booked on a project (optionally
/// one task) over a date range, for `hoursPerDay` hours or `percent` of a full day.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct ResourceAllocation {
    pub id: String,
    pub project_id: String,
    /// A user id, or the name of a non-human resource.
    pub resource: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub task_id: Option<String>,
    pub start_date: NaiveDate,
    /// Inclusive.
    pub end_date: NaiveDate,
    /// Hours booked per calendar day in the range.
    pub hours_per_day: f64,
    /// The same as a percentage of a full day (8 hours).
    pub percent: f64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub version: i64,
}

/// `POST /v1/planning/projects/{id}/allocations`: give exactly one of `hoursPerDay` and
/// `percent`. More than a full day is allowed and flagged by utilisation; negative refused.
#[derive(Debug, Clone, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct AllocationIn {
    #[garde(length(min = 1, max = 200))]
    pub resource: String,
    #[garde(length(min = 1, max = 64))]
    pub task_id: Option<String>,
    #[garde(skip)]
    pub start_date: NaiveDate,
    #[garde(skip)]
    pub end_date: NaiveDate,
    #[garde(skip)]
    pub hours_per_day: Option<f64>,
    #[garde(skip)]
    pub percent: Option<f64>,
}

/// `PATCH /v1/planning/allocations/{id}`.
#[derive(Debug, Clone, Default, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct AllocationPatch {
    #[garde(skip)]
    pub start_date: Option<NaiveDate>,
    #[garde(skip)]
    pub end_date: Option<NaiveDate>,
    #[garde(skip)]
    pub hours_per_day: Option<f64>,
    #[garde(skip)]
    pub percent: Option<f64>,
}

/// One person's booking on one day, summed over every project of the workspace.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct UtilizationDay {
    pub date: NaiveDate,
    pub hours: f64,
    /// Hours as a percentage of a full day.
    pub percent: f64,
    pub over_allocated: bool,
    /// Projects with bookings that day.
    pub project_ids: Vec<String>,
}

/// The design's `ResourceUtilization`, per person.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct ResourceUtilization {
    pub resource: String,
    pub days: Vec<UtilizationDay>,
    pub total_hours: f64,
    pub over_allocated_days: u32,
}

/// `GET /v1/planning/utilization`: every person's days in the range.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct UtilizationReport {
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub resources: Vec<ResourceUtilization>,
}
