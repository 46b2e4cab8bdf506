//! The planning service's domain: the critical-path scheduler and cycle detection as pure
//! functions, a project's schedule, utilisation, metrics and reports, the input rules, and
//! the storage port ([`PlanningStore`]). Calendar days throughout. Must not import axum,
//! sqlx or HTTP types.

pub mod graph;
pub mod plan;
pub mod render;
pub mod report;
pub mod rules;
pub mod schedule;
mod store;
pub mod utilization;

pub use store::{PlanningStore, TaskFilter};

/// The kinds of event the planning service emits.
pub mod kinds {
    use crate::events::EventKind;

    const fn kind(resource: &'static str, verb: &'static str) -> EventKind {
        EventKind {
            service: "planning",
            resource,
            verb,
        }
    }

    pub const PROJECT_CREATED: EventKind = kind("project", "created");
    pub const PROJECT_UPDATED: EventKind = kind("project", "updated");
    pub const PROJECT_DELETED: EventKind = kind("project", "deleted");
    pub const TASK_CREATED: EventKind = kind("task", "created");
    pub const TASK_UPDATED: EventKind = kind("task", "updated");
    pub const TASK_DELETED: EventKind = kind("task", "deleted");
    pub const DEPENDENCY_ADDED: EventKind = kind("dependency", "added");
    pub const DEPENDENCY_REMOVED: EventKind = kind("dependency", "removed");
    pub const MILESTONE_CREATED: EventKind = kind("milestone", "created");
    pub const MILESTONE_UPDATED: EventKind = kind("milestone", "updated");
    pub const MILESTONE_DELETED: EventKind = kind("milestone", "deleted");
    pub const ALLOCATION_CREATED: EventKind = kind("allocation", "created");
    pub const ALLOCATION_UPDATED: EventKind = kind("allocation", "updated");
    pub const ALLOCATION_DELETED: EventKind = kind("allocation", "deleted");
}

#[cfg(test)]
mod props;
