//! Document processing: workers claim queued documents (from any process sharing the
//! database), extract their text, analyse it and generate the default questions on blocking
//! threads, reporting progress as events, and finish each document completed or failed —
//! never half-way.

use std::sync::{Arc, Weak};
use std::time::Duration;

use kiro_assess::analysis::{self, Analysis};
use kiro_assess::questions::GenerateOptions;
use kiro_assess::{Document, extract};
use kiro_core::assessment::{DocumentJob, DocumentRecord, QuestionSetRecord, kinds};
use kiro_core::events::{EventDraft, EventKind};
use kiro_types::assessment::{
    DEFAULT_QUESTION_COUNT, DocumentFailure, DocumentStatus, EngineChoice, ExtractedText,
    GeneratedQuestions, QuestionType, TopicAnalysis,
};
use serde_json::json;

use super::engine::Produced;
use super::{AssessmentService, failure, new_id};

/// The actor named in events the workers emit.
const WORKER_ACTOR: &str = "system:assessment-worker";
/// How often an idle worker looks for jobs queued by other processes or left by crashed ones.
const POLL: Duration = Duration::from_secs(1);
/// Claims after which a document that keeps failing is given up.
const MAX_ATTEMPTS: u32 = 3;

impl AssessmentService {
    /// Starts this process's workers; they stop when the service is dropped.
    pub fn start_workers(self: &Arc<Self>) {
        for _ in 0..self.workers {
            let service = Arc::downgrade(self);
            tokio::spawn(run(service));
        }
    }
}

async fn run(service: Weak<AssessmentService>) {
    loop {
        let Some(this) = service.upgrade() else {
            return;
        };
        let worked = match this.claim().await {
            Ok(Some(job)) => {
                this.process(job).await;
                true
            }
            Ok(None) => false,
            Err(e) => {
                tracing::warn!(error = %e, "cannot claim an assessment job");
                false
            }
        };
        if !worked {
            // Wait for a wake-up or the poll interval, without keeping the service alive.
            let wake = this.wake.clone();
            drop(this);
            let _ = tokio::time::timeout(POLL, wake.notified()).await;
        }
    }
}

impl AssessmentService {
    async fn claim(&self) -> Result<Option<DocumentJob>, kiro_core::StoreError> {
        let now = self.now();
        let lease = self.extract.timeout + Duration::from_secs(120);
        let until = now + chrono::Duration::from_std(lease).unwrap_or(chrono::Duration::hours(1));
        self.store.claim_document_job(now, until).await
    }

    fn worker_event(
        &self,
        doc: &DocumentRecord,
        kind: EventKind,
        data: serde_json::Value,
    ) -> EventDraft {
        EventDraft::new(
            doc.workspace_id,
            kind,
            doc.document.id.as_str(),
            doc.document.version,
            WORKER_ACTOR,
            self.now(),
            data,
        )
    }

    /// Writes progress (and what is known so far) with a progress event.
    async fn report_progress(&self, doc: &mut DocumentRecord, progress: u8, stage: &str) {
        doc.document.progress = progress;
        doc.document.version += 1;
        let event = self.worker_event(
            doc,
            kinds::DOCUMENT_PROGRESS,
            json!({ "progress": progress, "stage": stage, "pageCount": doc.document.page_count }),
        );
        if let Err(e) = self.store.update_document(doc, &event).await {
            tracing::warn!(error = %e, document = %doc.document.id, "cannot record progress");
        }
    }

    async fn process(&self, job: DocumentJob) {
        let mut doc = job.document;
        if job.attempts > MAX_ATTEMPTS {
            let failure = DocumentFailure {
                code: kiro_types::ErrorCode::AssessmentPdfMalformed
                    .as_str()
                    .to_owned(),
                message: format!("processing stopped {MAX_ATTEMPTS} times before finishing"),
                suggestion: "Open the PDF in a viewer, print it to a new PDF and upload that."
                    .to_owned(),
            };
            self.fail(&mut doc, failure).await;
            return;
        }
        self.report_progress(&mut doc, 10, "extracting").await;
        let mut options = self.extract.clone();
        options.password = job.password;
        let file = job.file;
        let extracted =
            tokio::task::spawn_blocking(move || extract::extract(&file, &options)).await;
        let document = match extracted {
            Ok(Ok(document)) => document,
            Ok(Err(e)) => {
                self.fail(&mut doc, failure::document_failure(&e)).await;
                return;
            }
            Err(e) => {
                tracing::error!(error = %e, "the extraction thread failed");
                let failure = failure::document_failure(&extract::ExtractError::Malformed(
                    "the reader stopped unexpectedly".to_owned(),
                ));
                self.fail(&mut doc, failure).await;
                return;
            }
        };
        doc.document.page_count = u32::try_from(document.pages.len()).unwrap_or(u32::MAX);
        doc.document.language = Some(document.language.clone());
        doc.document.extractor = Some(document.extractor.clone());
        self.report_progress(&mut doc, 50, "analysing").await;

        let seed = seed_of(&doc.document.content_hash);
        let document = Arc::new(document);
        let analysed = {
            let document = document.clone();
            tokio::task::spawn_blocking(move || analysis::analyze(&document)).await
        };
        let Ok(analysis) = analysed else {
            let failure = failure::document_failure(&extract::ExtractError::Malformed(
                "the analysis stopped unexpectedly".to_owned(),
            ));
            self.fail(&mut doc, failure).await;
            return;
        };
        let analysis = Arc::new(analysis);
        let options = GenerateOptions {
            count: DEFAULT_QUESTION_COUNT as usize,
            types: QuestionType::ALL.to_vec(),
            difficulty: None,
            seed,
        };
        let produced = self
            .produce_questions(
                EngineChoice::Auto,
                document.clone(),
                analysis.clone(),
                options,
            )
            .await;
        let Ok(produced) = produced else {
            let failure = failure::document_failure(&extract::ExtractError::Malformed(
                "question generation stopped unexpectedly".to_owned(),
            ));
            self.fail(&mut doc, failure).await;
            return;
        };
        let generated = &produced.generated;
        if generated.questions.is_empty() && analysis.topics.is_empty() {
            let failure = DocumentFailure {
                code: kiro_types::ErrorCode::AssessmentPdfTooLittleText
                    .as_str()
                    .to_owned(),
                message: format!(
                    "the {} pages hold {} words, too little prose to find topics or ask questions",
                    document.pages.len(),
                    document.word_count()
                ),
                suggestion:
                    "Upload notes or a chapter with full sentences (a few paragraphs at least)."
                        .to_owned(),
            };
            self.fail(&mut doc, failure).await;
            return;
        }
        let analysis = Arc::unwrap_or_clone(analysis);
        self.complete(doc, &document, analysis, produced, seed)
            .await;
    }

    async fn complete(
        &self,
        mut doc: DocumentRecord,
        document: &Document,
        analysis: Analysis,
        produced: Produced,
        seed: u64,
    ) {
        let now = self.now();
        let id = doc.document.id.clone();
        let text = extracted_text(&id, document);
        let topics = topic_analysis(&id, document, analysis, now);
        if doc.document.topic.is_none() {
            doc.document.topic = topics.topics.first().map(|t| t.name.clone());
        }
        let set = QuestionSetRecord {
            workspace_id: doc.workspace_id,
            set: GeneratedQuestions {
                id: new_id(),
                pdf_id: id.clone(),
                questions: with_fresh_ids(produced.generated.questions),
                generated_at: now,
                ai_model: produced.ai_model,
                confidence: produced.generated.confidence,
                seed,
                fallback_reason: produced.fallback_reason,
            },
        };
        doc.document.status = DocumentStatus::Completed;
        doc.document.progress = 100;
        doc.document.version += 1;
        let event = self.worker_event(
            &doc,
            kinds::DOCUMENT_COMPLETED,
            json!({
                "pageCount": doc.document.page_count,
                "topic": doc.document.topic,
                "questionsId": set.set.id,
                "questionCount": set.set.questions.len(),
            }),
        );
        if let Err(e) = self
            .store
            .complete_document(&doc, &text, &topics, &set, &event)
            .await
        {
            tracing::error!(error = %e, document = %id, "cannot store a processed document");
        }
    }

    async fn fail(&self, doc: &mut DocumentRecord, failure: DocumentFailure) {
        doc.document.status = DocumentStatus::Failed;
        doc.document.version += 1;
        let event = self.worker_event(
            doc,
            kinds::DOCUMENT_FAILED,
            json!({ "code": failure.code, "message": failure.message }),
        );
        doc.document.failure = Some(failure);
        if let Err(e) = self.store.fail_document(doc, &event).await {
            tracing::error!(error = %e, document = %doc.document.id, "cannot record a failure");
        }
    }
}

/// The default seed of a document: derived from its content, so the same file always gets
/// the same first questions.
pub(super) fn seed_of(content_hash: &str) -> u64 {
    u64::from_str_radix(content_hash.get(..16).unwrap_or("0"), 16).unwrap_or(0)
}

/// Questions with server ids in place of the engine's.
pub(super) fn with_fresh_ids(
    questions: Vec<kiro_types::assessment::Question>,
) -> Vec<kiro_types::assessment::Question> {
    questions
        .into_iter()
        .map(|mut q| {
            q.id = new_id();
            q
        })
        .collect()
}

pub(super) fn extracted_text(id: &str, document: &Document) -> ExtractedText {
    ExtractedText {
        pdf_id: id.to_owned(),
        language: document.language.clone(),
        extractor: document.extractor.clone(),
        word_count: u32::try_from(document.word_count()).unwrap_or(u32::MAX),
        pages: document.pages.clone(),
    }
}

fn topic_analysis(
    id: &str,
    document: &Document,
    analysis: Analysis,
    now: chrono::DateTime<chrono::Utc>,
) -> TopicAnalysis {
    TopicAnalysis {
        id: new_id(),
        pdf_id: id.to_owned(),
        topics: analysis.topics,
        key_terms: analysis.key_terms,
        sections: analysis.sections,
        complexity: analysis.complexity,
        estimated_reading_time: analysis.estimated_reading_time,
        objectives: analysis.objectives,
        language: document.language.clone(),
        analyzed_at: now,
    }
}

/// The engine's analysis back from its stored form.
pub(super) fn engine_analysis(stored: &TopicAnalysis) -> Analysis {
    Analysis {
        sections: stored.sections.clone(),
        topics: stored.topics.clone(),
        key_terms: stored.key_terms.clone(),
        complexity: stored.complexity,
        estimated_reading_time: stored.estimated_reading_time,
        objectives: stored.objectives.clone(),
        phrases: Vec::new(),
    }
}

/// The engine's document back from its stored text.
pub(super) fn engine_document(text: &ExtractedText) -> Document {
    Document {
        pages: text.pages.clone(),
        language: text.language.clone(),
        extractor: text.extractor.clone(),
    }
}
