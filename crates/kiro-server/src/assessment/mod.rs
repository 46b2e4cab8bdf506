//! The assessment service: documents and their processing jobs, questions, assessments,
//! grading and learning analytics. The engine (`kiro-assess`) does the reading, analysing,
//! generating and marking; this module owns the rules around it — who may do what, what is
//! stored when, which event says so — and runs CPU-heavy engine work on blocking threads so
//! the server stays responsive while a large PDF is processed.

mod analytics;
mod documents;
mod engine;
mod failure;
mod grading;
pub mod llm;
mod quizzes;
mod worker;

use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Utc};
use kiro_assess::extract::{Engine, ExtractOptions};
use kiro_core::events::{EventDraft, EventKind};
use kiro_core::llm::LlmProvider;
use kiro_core::tenancy::{Access, Tenant};
use kiro_core::{Clock, Store, StoreError};
use kiro_types::ErrorCode;
use kiro_types::assessment::SchedulerKind;
use kiro_types::workspace::Role;
use serde_json::Value;
use tokio::sync::Notify;

pub use documents::Upload;

use crate::config::AssessmentConfig;
use crate::error::ApiError;

/// The service's name in scopes, events and errors.
pub const SERVICE: &str = "assessment";

/// The assessment service.
pub struct AssessmentService {
    store: Arc<dyn Store>,
    clock: Arc<dyn Clock>,
    extract: ExtractOptions,
    workers: usize,
    scheduler: SchedulerKind,
    /// The LLM provider asked for questions, when one is configured.
    llm: Option<Arc<dyn LlmProvider>>,
    /// Woken when a document is queued, so an idle worker starts at once.
    wake: Arc<Notify>,
}

impl AssessmentService {
    /// The service for a configuration, asking `llm` for questions when given; call
    /// [`AssessmentService::start_workers`] to process.
    pub fn new(
        store: Arc<dyn Store>,
        clock: Arc<dyn Clock>,
        config: &AssessmentConfig,
        llm: Option<Arc<dyn LlmProvider>>,
    ) -> Self {
        let engine = match config.extractor.as_str() {
            "pdf-extract" => Engine::PdfExtract,
            "pdftotext" => Engine::Pdftotext,
            _ => Engine::Auto,
        };
        let extract = ExtractOptions {
            password: None,
            max_bytes: kiro_types::assessment::MAX_PDF_BYTES,
            max_pages: config.max_pages,
            timeout: Duration::from_secs(config.extract_timeout_secs),
            engine,
            pdftotext: (!config.pdftotext.is_empty())
                .then(|| std::path::PathBuf::from(&config.pdftotext)),
        };
        let scheduler = match config.scheduler.as_str() {
            "fixed" => SchedulerKind::Fixed,
            _ => SchedulerKind::Fsrs,
        };
        Self {
            store,
            clock,
            extract,
            workers: usize::try_from(config.workers).unwrap_or(1).max(1),
            scheduler,
            llm,
            wake: Arc::new(Notify::new()),
        }
    }

    /// The configured LLM provider, for the health report.
    pub fn llm(&self) -> Option<&Arc<dyn LlmProvider>> {
        self.llm.as_ref()
    }

    fn now(&self) -> DateTime<Utc> {
        self.clock.now()
    }

    /// An event on a resource of this service, by the tenant.
    fn event(
        &self,
        tenant: &Tenant,
        kind: EventKind,
        id: &str,
        version: i64,
        data: Value,
    ) -> EventDraft {
        EventDraft::new(
            tenant.workspace_id,
            kind,
            id,
            version,
            tenant.principal.key(),
            self.now(),
            data,
        )
    }
}

/// Checks the tenant may read (any member) or write (member or above) assessment data.
fn require(tenant: &Tenant, access: Access) -> Result<(), ApiError> {
    let min = match access {
        Access::Read => Role::Viewer,
        Access::Write => Role::Member,
    };
    tenant.require(SERVICE, access, min).map_err(ApiError::from)
}

/// Whether the tenant sees answers and statistics of assessments others made.
fn is_instructor(tenant: &Tenant) -> bool {
    tenant.role.at_least(Role::Admin)
}

/// A store error with `NotFound` answered as `code`.
fn not_found(code: ErrorCode, what: &str) -> impl Fn(StoreError) -> ApiError {
    let message = format!("no {what} with this id in the workspace");
    move |e| match e {
        StoreError::NotFound => ApiError::new(code, message.clone()),
        other => ApiError::from(other),
    }
}

/// A fresh resource id.
fn new_id() -> String {
    uuid::Uuid::now_v7().to_string()
}
