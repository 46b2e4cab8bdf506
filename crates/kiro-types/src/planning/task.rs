//! Tasks and their dependencies: the design's `Task`, create and update requests, list
//! filters, and the four dependency kinds with lag.

use chrono::{DateTime, NaiveDate, Utc};
use garde::Validate;
use serde::{Deserialize, Serialize};

use super::wire_enum;

/// A task's state.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum TaskStatus {
    Todo,
    InProgress,
    Blocked,
    Done,
    Cancelled,
}

wire_enum!(TaskStatus {
    Todo = "todo",
    InProgress = "in_progress",
    Blocked = "blocked",
    Done = "done",
    Cancelled = "cancelled",
});

impl TaskStatus {
    /// Whether no more work is expected on the task.
    pub fn is_closed(self) -> bool {
        matches!(self, TaskStatus::Done | TaskStatus::Cancelled)
    }
}

/// A task's priority.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum TaskPriority {
    Low,
    Medium,
    High,
    Critical,
}

wire_enum!(TaskPriority {
    Low = "low",
    Medium = "medium",
    High = "high",
    Critical = "critical",
});

/// The design's `Task`, with the plan's dates. `dependencies` are the ids of the tasks it
/// depends on (its predecessors).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct Task {
    pub id: String,
    pub project_id: String,
    pub title: String,
    pub description: String,
    pub status: TaskStatus,
    pub priority: TaskPriority,
    /// A user id of a workspace member.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub assignee: Option<String>,
    pub estimated_hours: f64,
    pub actual_hours: f64,
    pub dependencies: Vec<String>,
    pub tags: Vec<String>,
    /// First day of work.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start_date: Option<NaiveDate>,
    /// Last day of work (inclusive).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end_date: Option<NaiveDate>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub version: i64,
}

/// `POST /v1/planning/projects/{id}/tasks`: the design's `TaskCreateRequest`.
#[derive(Debug, Clone, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct TaskIn {
    #[garde(length(chars, min = 1, max = 300))]
    pub title: String,
    #[garde(length(chars, max = 20_000))]
    #[serde(default)]
    pub description: String,
    #[garde(skip)]
    pub status: Option<TaskStatus>,
    #[garde(skip)]
    pub priority: Option<TaskPriority>,
    #[garde(length(min = 1, max = 64))]
    pub assignee: Option<String>,
    /// Hours, 0–100 000.
    #[garde(range(min = 0.0, max = 100_000.0))]
    pub estimated_hours: Option<f64>,
    #[garde(range(min = 0.0, max = 100_000.0))]
    pub actual_hours: Option<f64>,
    #[garde(length(max = 50), inner(length(chars, min = 1, max = 50)))]
    #[serde(default)]
    pub tags: Vec<String>,
    #[garde(skip)]
    pub start_date: Option<NaiveDate>,
    #[garde(skip)]
    pub end_date: Option<NaiveDate>,
}

/// `PATCH /v1/planning/tasks/{id}`: the design's `TaskUpdateRequest`. `null` clears an
/// optional field; an absent field is left alone.
#[derive(Debug, Clone, Default, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct TaskPatch {
    #[garde(length(chars, min = 1, max = 300))]
    pub title: Option<String>,
    #[garde(length(chars, max = 20_000))]
    pub description: Option<String>,
    #[garde(skip)]
    pub status: Option<TaskStatus>,
    #[garde(skip)]
    pub priority: Option<TaskPriority>,
    #[garde(inner(length(min = 1, max = 64)))]
    #[serde(default, with = "tri", skip_serializing_if = "Option::is_none")]
    pub assignee: Option<Option<String>>,
    #[garde(range(min = 0.0, max = 100_000.0))]
    pub estimated_hours: Option<f64>,
    #[garde(range(min = 0.0, max = 100_000.0))]
    pub actual_hours: Option<f64>,
    #[garde(length(max = 50), inner(inner(length(chars, min = 1, max = 50))))]
    pub tags: Option<Vec<String>>,
    #[garde(skip)]
    #[serde(default, with = "tri", skip_serializing_if = "Option::is_none")]
    pub start_date: Option<Option<NaiveDate>>,
    #[garde(skip)]
    #[serde(default, with = "tri", skip_serializing_if = "Option::is_none")]
    pub end_date: Option<Option<NaiveDate>>,
}

/// The four dependency kinds: which end of the predecessor constrains which end of the
/// successor.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum DependencyKind {
    /// The successor starts after the predecessor finishes.
    #[default]
    FinishToStart,
    /// The successor starts no earlier than the predecessor starts.
    StartToStart,
    /// The successor finishes no earlier than the predecessor finishes.
    FinishToFinish,
    /// The successor finishes no earlier than the predecessor starts.
    StartToFinish,
}

wire_enum!(DependencyKind {
    FinishToStart = "finish_to_start",
    StartToStart = "start_to_start",
    FinishToFinish = "finish_to_finish",
    StartToFinish = "start_to_finish",
});

/// `POST /v1/planning/tasks/{id}/dependencies`: the task in the path depends on
/// `predecessorId` (any project of the same workspace).
#[derive(Debug, Clone, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct DependencyIn {
    #[garde(length(min = 1, max = 64))]
    pub predecessor_id: String,
    #[garde(skip)]
    #[serde(default)]
    pub kind: DependencyKind,
    /// Calendar days added to the constraint (negative: lead), −3650–3650.
    #[garde(range(min = -3650, max = 3650))]
    #[serde(default)]
    pub lag_days: i32,
}

/// A stored dependency.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct Dependency {
    pub id: String,
    pub predecessor_id: String,
    pub successor_id: String,
    pub kind: DependencyKind,
    pub lag_days: i32,
    pub created_at: DateTime<Utc>,
}

/// Serde for tri-state fields: absent → `None`, `null` → `Some(None)`, a value →
/// `Some(Some(v))`. Use with `#[serde(default, with = "tri")]`.
pub(crate) mod tri {
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    pub fn serialize<T: Serialize, S: Serializer>(
        value: &Option<Option<T>>,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        match value {
            Some(inner) => inner.serialize(serializer),
            None => serializer.serialize_none(),
        }
    }

    pub fn deserialize<'de, T: Deserialize<'de>, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<Option<Option<T>>, D::Error> {
        Option::<T>::deserialize(deserializer).map(Some)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn patch_tells_null_from_absent() {
        let p: TaskPatch = serde_json::from_str(r#"{"assignee":null}"#).unwrap();
        assert_eq!(p.assignee, Some(None));
        let p: TaskPatch = serde_json::from_str(r#"{}"#).unwrap();
        assert_eq!(p.assignee, None);
        let p: TaskPatch = serde_json::from_str(r#"{"startDate":"2026-01-05"}"#).unwrap();
        assert_eq!(p.start_date, Some(NaiveDate::from_ymd_opt(2026, 1, 5)));
    }

    #[test]
    fn dependency_kind_names_round_trip() {
        for kind in DependencyKind::ALL {
            let json = serde_json::to_string(kind).unwrap();
            assert_eq!(json, format!("\"{}\"", kind.as_str()));
            assert_eq!(DependencyKind::parse(kind.as_str()), Some(*kind));
        }
    }
}
