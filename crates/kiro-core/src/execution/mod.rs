//! The execution service's job queue as the domain sees it: the storage port
//! ([`ExecutionStore`]) and the events a job's life emits (`execution.job.queued`, `started`,
//! `output`, `completed`, `failed`, `cancelled`). Running code is kiro-sandbox's business
//! and the server's; this module only says what is stored and when.

mod store;

pub use store::{EventFor, ExecutionStore, JobFilter, JobFinish};

/// The kinds of event the execution service emits.
pub mod kinds {
    use crate::events::EventKind;

    const fn kind(verb: &'static str) -> EventKind {
        EventKind {
            service: "execution",
            resource: "job",
            verb,
        }
    }

    pub const JOB_QUEUED: EventKind = kind("queued");
    pub const JOB_STARTED: EventKind = kind("started");
    pub const JOB_OUTPUT: EventKind = kind("output");
    pub const JOB_COMPLETED: EventKind = kind("completed");
    pub const JOB_FAILED: EventKind = kind("failed");
    pub const JOB_CANCELLED: EventKind = kind("cancelled");
}
