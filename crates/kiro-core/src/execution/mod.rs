//! The execution service's job queue as the domain sees it: the storage port
//! ([`ExecutionStore`]) and the events a job's life emits (`execution.job.queued`, `started`,
//! `output`, `completed`, `failed`, `cancelled`); the catalog of custom environments and
//! scripts ([`ExecutionCatalogStore`], `execution.environment.*`, `execution.script.*`).
//! Running code is kiro-sandbox's business and the server's; this module only says what is
//! stored and when.

pub mod catalog;
mod store;

pub use catalog::ExecutionCatalogStore;
pub use store::{EventFor, ExecutionStore, JobFilter, JobFinish};

/// The kinds of event the execution service emits.
pub mod kinds {
    use crate::events::EventKind;

    const fn kind(verb: &'static str) -> EventKind {
        of("job", verb)
    }

    const fn of(resource: &'static str, verb: &'static str) -> EventKind {
        EventKind {
            service: "execution",
            resource,
            verb,
        }
    }

    pub const JOB_QUEUED: EventKind = kind("queued");
    pub const JOB_STARTED: EventKind = kind("started");
    pub const JOB_OUTPUT: EventKind = kind("output");
    pub const JOB_COMPLETED: EventKind = kind("completed");
    pub const JOB_FAILED: EventKind = kind("failed");
    pub const JOB_CANCELLED: EventKind = kind("cancelled");
    pub const ENVIRONMENT_CREATED: EventKind = of("environment", "created");
    pub const ENVIRONMENT_UPDATED: EventKind = of("environment", "updated");
    pub const ENVIRONMENT_DELETED: EventKind = of("environment", "deleted");
    pub const SCRIPT_CREATED: EventKind = of("script", "created");
    pub const SCRIPT_UPDATED: EventKind = of("script", "updated");
    pub const SCRIPT_DELETED: EventKind = of("script", "deleted");
}
