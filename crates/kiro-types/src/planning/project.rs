//! Projects: the design's `Project`, its create and update requests.

use chrono::{DateTime, NaiveDate, Utc};
use garde::Validate;
use serde::{Deserialize, Serialize};

use super::wire_enum;

/// A project's life cycle.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ProjectStatus {
    Planning,
    Active,
    OnHold,
    Completed,
    Cancelled,
}

wire_enum!(ProjectStatus {
    Planning = "planning",
    Active = "active",
    OnHold = "on_hold",
    Completed = "completed",
    Cancelled = "cancelled",
});

/// What happens when a task moves into dates that violate a dependency.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ConstraintPolicy {
    /// The move is stored and the violation is reported by the schedule.
    #[default]
    Allow,
    /// The move is refused with `planning.task.violates_dependency`.
    Refuse,
    /// The move is stored and every successor it pushes is moved later by as many days as
    /// its dependency needs, each successor updated with its own event.
    Reschedule,
}

wire_enum!(ConstraintPolicy {
    Allow = "allow",
    Refuse = "refuse",
    Reschedule = "reschedule",
});

/// One member of a project's team.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct TeamMember {
    /// A user id of a workspace member.
    #[garde(length(min = 1, max = 64))]
    pub user_id: String,
    /// Free text, e.g. `developer`.
    #[garde(length(chars, max = 64))]
    #[serde(default)]
    pub role: String,
}

/// The design's `Project` (its tasks and milestones are listed by their own endpoints).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct Project {
    pub id: String,
    pub name: String,
    pub description: String,
    pub status: ProjectStatus,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start_date: Option<NaiveDate>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end_date: Option<NaiveDate>,
    /// The owner's user id.
    pub owner: String,
    pub team: Vec<TeamMember>,
    pub constraint_policy: ConstraintPolicy,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub version: i64,
}

/// `POST /v1/planning/projects`: the design's `ProjectCreateRequest`.
#[derive(Debug, Clone, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ProjectIn {
    #[garde(length(chars, min = 1, max = 200))]
    pub name: String,
    #[garde(length(chars, max = 10_000))]
    #[serde(default)]
    pub description: String,
    #[garde(skip)]
    pub status: Option<ProjectStatus>,
    #[garde(skip)]
    pub start_date: Option<NaiveDate>,
    #[garde(skip)]
    pub end_date: Option<NaiveDate>,
    /// Default: the caller.
    #[garde(length(min = 1, max = 64))]
    pub owner: Option<String>,
    #[garde(length(max = 200), dive)]
    #[serde(default)]
    pub team: Vec<TeamMember>,
    #[garde(skip)]
    pub constraint_policy: Option<ConstraintPolicy>,
}

/// `PATCH /v1/planning/projects/{id}`: the design's `ProjectUpdateRequest`. A date of
/// `null` clears it; an absent field is left alone.
#[derive(Debug, Clone, Default, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ProjectPatch {
    #[garde(length(chars, min = 1, max = 200))]
    pub name: Option<String>,
    #[garde(length(chars, max = 10_000))]
    pub description: Option<String>,
    #[garde(skip)]
    pub status: Option<ProjectStatus>,
    #[garde(skip)]
    #[serde(
        default,
        with = "super::task::tri",
        skip_serializing_if = "Option::is_none"
    )]
    pub start_date: Option<Option<NaiveDate>>,
    #[garde(skip)]
    #[serde(
        default,
        with = "super::task::tri",
        skip_serializing_if = "Option::is_none"
    )]
    pub end_date: Option<Option<NaiveDate>>,
    #[garde(length(min = 1, max = 64))]
    pub owner: Option<String>,
    #[garde(length(max = 200), dive)]
    pub team: Option<Vec<TeamMember>>,
    #[garde(skip)]
    pub constraint_policy: Option<ConstraintPolicy>,
}
