//! The assessment service's domain records and storage port. The records wrap the wire DTOs
//! of `kiro_types::assessment` with what only the server knows (the workspace, who owns
//! what); the rules that build them live with the engine (`kiro-assess`) and the service in
//! kiro-server.

mod records;
mod store;

pub use records::*;
pub use store::{AssessmentStore, DocumentJob};

/// The kinds of event the assessment service emits.
pub mod kinds {
    use crate::events::EventKind;

    const fn kind(resource: &'static str, verb: &'static str) -> EventKind {
        EventKind {
            service: "assessment",
            resource,
            verb,
        }
    }

    pub const DOCUMENT_UPLOADED: EventKind = kind("document", "uploaded");
    pub const DOCUMENT_PROGRESS: EventKind = kind("document", "progress");
    pub const DOCUMENT_COMPLETED: EventKind = kind("document", "completed");
    pub const DOCUMENT_FAILED: EventKind = kind("document", "failed");
    pub const DOCUMENT_DELETED: EventKind = kind("document", "deleted");
    pub const QUESTIONS_GENERATED: EventKind = kind("questions", "generated");
    pub const ASSESSMENT_CREATED: EventKind = kind("assessment", "created");
    pub const ASSESSMENT_UPDATED: EventKind = kind("assessment", "updated");
    pub const RESULT_SUBMITTED: EventKind = kind("result", "submitted");
    pub const REVISION_REVIEWED: EventKind = kind("revision", "reviewed");
}
