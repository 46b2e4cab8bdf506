//! Assessments and answers: creating assessments from generated questions (one at a time or
//! for many documents), reading and changing them, grading submissions (stored once per
//! learner, scheduling revisions of weak topics) or evaluations (not stored), and the
//! per-question statistics instructors see.

use chrono::Duration;
use kiro_core::PageRequest;
use kiro_core::assessment::{AssessmentRecord, ResultRecord, RevisionRecord, kinds};
use kiro_core::tenancy::{Access, Tenant};
use kiro_core::{Paged, StoreError};
use kiro_types::ErrorCode;
use kiro_types::assessment::{
    Assessment, AssessmentCreateRequest, AssessmentPatch, AssessmentResult, AssessmentStatus,
    BatchAssessmentItem, BatchAssessmentRequest, BatchAssessmentResult, QuestionGenerationOptions,
    QuestionStatistics, Revision, StudentAnswers,
};
use serde_json::json;

use super::{AssessmentService, is_instructor, new_id, not_found, require};
use crate::error::ApiError;

/// Passing percentage when the request names none.
const DEFAULT_PASSING_SCORE: f64 = 60.0;
/// Attempts before a question is flagged as too easy or too hard.
const FLAG_AFTER: u32 = 3;

impl AssessmentService {
    pub async fn create_assessment(
        &self,
        tenant: &Tenant,
        request: AssessmentCreateRequest,
    ) -> Result<Assessment, ApiError> {
        require(tenant, Access::Write)?;
        let document = self.completed(tenant, &request.pdf_id).await?;
        let set = match &request.questions_id {
            Some(id) => self.store.get_question_set(tenant.workspace_id, id).await,
            None => {
                self.store
                    .latest_question_set(tenant.workspace_id, &request.pdf_id)
                    .await
            }
        }
        .map_err(not_found(
            ErrorCode::AssessmentQuestionsNotFound,
            "questions",
        ))?;
        if set.set.pdf_id != request.pdf_id {
            return Err(ApiError::new(
                ErrorCode::AssessmentQuestionsNotFound,
                "these questions were generated for another document",
            ));
        }
        if set.set.questions.is_empty() {
            return Err(ApiError::new(
                ErrorCode::AssessmentQuestionsNotFound,
                "this generation has no questions; generate questions again with other options",
            ));
        }
        let doc = &document.document;
        let title = request.title.unwrap_or_else(|| {
            let about = doc.topic.clone().unwrap_or_else(|| doc.filename.clone());
            format!("Quiz: {about}")
        });
        let assessment = Assessment {
            id: new_id(),
            title: title.trim().to_owned(),
            pdf_id: request.pdf_id,
            questions: set.set.questions,
            time_limit: request.time_limit,
            passing_score: request.passing_score.unwrap_or(DEFAULT_PASSING_SCORE),
            created_at: self.now(),
            status: request.status.unwrap_or(AssessmentStatus::Active),
            version: 1,
        };
        let record = AssessmentRecord {
            workspace_id: tenant.workspace_id,
            created_by: tenant.principal.student_id(),
            assessment,
        };
        let event = self.event(
            tenant,
            kinds::ASSESSMENT_CREATED,
            &record.assessment.id,
            1,
            json!({ "pdfId": record.assessment.pdf_id, "title": record.assessment.title,
                    "questionCount": record.assessment.questions.len() }),
        );
        self.store.insert_assessment(&record, &event).await?;
        Ok(record.assessment)
    }

    /// An assessment for many documents: each generates its own questions; one document's
    /// failure is reported in its item and does not stop the others.
    pub async fn create_batch(
        &self,
        tenant: &Tenant,
        request: BatchAssessmentRequest,
        request_id: &str,
    ) -> Result<BatchAssessmentResult, ApiError> {
        require(tenant, Access::Write)?;
        let mut items = Vec::with_capacity(request.pdf_ids.len());
        for pdf_id in request.pdf_ids {
            let outcome = async {
                let options = QuestionGenerationOptions {
                    count: request.question_count,
                    ..QuestionGenerationOptions::default()
                };
                let set = self.generate_questions(tenant, &pdf_id, options).await?;
                let create = AssessmentCreateRequest {
                    title: None,
                    pdf_id: pdf_id.clone(),
                    questions_id: Some(set.id),
                    time_limit: None,
                    passing_score: request.passing_score,
                    status: None,
                };
                self.create_assessment(tenant, create).await
            }
            .await;
            items.push(match outcome {
                Ok(assessment) => BatchAssessmentItem {
                    pdf_id,
                    assessment: Some(assessment),
                    error: None,
                },
                Err(e) => BatchAssessmentItem {
                    pdf_id,
                    assessment: None,
                    error: Some(e.to_body(request_id)),
                },
            });
        }
        let created = u32::try_from(items.iter().filter(|i| i.assessment.is_some()).count())
            .unwrap_or(u32::MAX);
        let failed = u32::try_from(items.len()).unwrap_or(u32::MAX) - created;
        Ok(BatchAssessmentResult {
            items,
            created,
            failed,
        })
    }

    pub(super) async fn assessment(
        &self,
        tenant: &Tenant,
        id: &str,
    ) -> Result<AssessmentRecord, ApiError> {
        self.store
            .get_assessment(tenant.workspace_id, id)
            .await
            .map_err(not_found(ErrorCode::AssessmentNotFound, "assessment"))
    }

    /// An assessment as the tenant may see it: learners taking someone else's assessment
    /// get the questions without answers, explanations or rubrics.
    pub async fn get_assessment(&self, tenant: &Tenant, id: &str) -> Result<Assessment, ApiError> {
        require(tenant, Access::Read)?;
        let record = self.assessment(tenant, id).await?;
        Ok(visible(tenant, record))
    }

    pub async fn list_assessments(
        &self,
        tenant: &Tenant,
        pdf_id: Option<&str>,
        page: &PageRequest,
    ) -> Result<Paged<Assessment>, ApiError> {
        require(tenant, Access::Read)?;
        let paged = self
            .store
            .list_assessments(tenant.workspace_id, pdf_id, page)
            .await?;
        Ok(paged.map(|r| visible(tenant, r)))
    }

    /// Changes title, time limit, passing score or status (the creator or an instructor).
    pub async fn update_assessment(
        &self,
        tenant: &Tenant,
        id: &str,
        patch: AssessmentPatch,
        expected: Option<i64>,
    ) -> Result<Assessment, ApiError> {
        require(tenant, Access::Write)?;
        let mut record = self.assessment(tenant, id).await?;
        if record.created_by != tenant.principal.student_id() && !is_instructor(tenant) {
            return Err(ApiError::new(
                ErrorCode::PermissionDenied,
                "only its creator or a workspace admin can change an assessment",
            ));
        }
        let current = record.assessment.version;
        if expected.is_some_and(|v| v != current) {
            return Err(stale(&record.assessment));
        }
        let a = &mut record.assessment;
        if let Some(title) = patch.title {
            a.title = title.trim().to_owned();
        }
        if patch.time_limit.is_some() {
            a.time_limit = patch.time_limit;
        }
        if let Some(score) = patch.passing_score {
            a.passing_score = score;
        }
        if let Some(status) = patch.status {
            a.status = status;
        }
        a.version = current + 1;
        let event = self.event(
            tenant,
            kinds::ASSESSMENT_UPDATED,
            id,
            a.version,
            json!({ "status": a.status, "title": a.title }),
        );
        match self.store.update_assessment(&record, current, &event).await {
            Ok(()) => Ok(record.assessment),
            Err(StoreError::Stale) => {
                let now = self.assessment(tenant, id).await?;
                Err(stale(&now.assessment))
            }
            Err(e) => Err(e.into()),
        }
    }

    /// Grades and stores a learner's answers (once per learner), scheduling revisions of the
    /// topics they are weak in.
    pub async fn submit(
        &self,
        tenant: &Tenant,
        id: &str,
        answers: StudentAnswers,
    ) -> Result<AssessmentResult, ApiError> {
        require(tenant, Access::Write)?;
        let record = self.assessment(tenant, id).await?;
        if record.assessment.status != AssessmentStatus::Active {
            return Err(ApiError::new(
                ErrorCode::AssessmentNotActive,
                format!(
                    "the assessment is {}; only active assessments take answers",
                    record.assessment.status.as_str()
                ),
            ));
        }
        let mut result = self.grade(tenant, &record.assessment, answers).await?;
        result.id = new_id();
        let revisions = self.revisions_for(tenant, &record.assessment, &result);
        let stored = ResultRecord {
            workspace_id: tenant.workspace_id,
            pdf_id: record.assessment.pdf_id.clone(),
            result,
        };
        let event = self.event(
            tenant,
            kinds::RESULT_SUBMITTED,
            &stored.result.id,
            1,
            json!({ "assessmentId": id, "percentage": stored.result.percentage,
                    "passed": stored.result.passed }),
        );
        match self.store.insert_result(&stored, &revisions, &event).await {
            Ok(()) => Ok(stored.result),
            Err(StoreError::Conflict { .. }) => Err(ApiError::new(
                ErrorCode::AssessmentAlreadySubmitted,
                "you already submitted this assessment; generate a new one from the document to \
                 try again",
            )),
            Err(e) => Err(e.into()),
        }
    }

    /// Grades answers without storing anything.
    pub async fn evaluate(
        &self,
        tenant: &Tenant,
        id: &str,
        answers: StudentAnswers,
    ) -> Result<AssessmentResult, ApiError> {
        require(tenant, Access::Read)?;
        let record = self.assessment(tenant, id).await?;
        self.grade(tenant, &record.assessment, answers).await
    }

    /// New revisions for the weak topics of a result, first due a day later.
    fn revisions_for(
        &self,
        tenant: &Tenant,
        assessment: &Assessment,
        result: &AssessmentResult,
    ) -> Vec<RevisionRecord> {
        let now = self.now();
        result
            .topic_scores
            .iter()
            .filter(|t| t.weakness)
            .map(|t| RevisionRecord {
                workspace_id: tenant.workspace_id,
                student_id: result.student_id.clone(),
                revision: Revision {
                    id: new_id(),
                    topic: t.topic.clone(),
                    pdf_id: assessment.pdf_id.clone(),
                    due_at: now + Duration::days(1),
                    scheduler: self.scheduler,
                    stability: 0.0,
                    difficulty: 0.0,
                    reviews: 0,
                    lapses: 0,
                    last_reviewed_at: None,
                    last_recall: None,
                    version: 1,
                },
            })
            .collect()
    }

    /// How often each question was answered correctly (the creator or an instructor).
    pub async fn statistics(
        &self,
        tenant: &Tenant,
        id: &str,
    ) -> Result<Vec<QuestionStatistics>, ApiError> {
        require(tenant, Access::Read)?;
        let record = self.assessment(tenant, id).await?;
        if record.created_by != tenant.principal.student_id() && !is_instructor(tenant) {
            return Err(ApiError::new(
                ErrorCode::PermissionDenied,
                "question statistics are for the assessment's creator and workspace admins",
            ));
        }
        let results = self
            .store
            .list_assessment_results(tenant.workspace_id, id)
            .await?;
        Ok(record
            .assessment
            .questions
            .iter()
            .map(|q| {
                let answers = results
                    .iter()
                    .flat_map(|r| r.result.answers.iter())
                    .filter(|a| a.question_id == q.id);
                let (attempts, correct) = answers.fold((0u32, 0u32), |(n, c), a| {
                    (n + 1, c + u32::from(a.is_correct))
                });
                let facility = if attempts == 0 {
                    0.0
                } else {
                    f64::from(correct) / f64::from(attempts)
                };
                let flag = match correct {
                    _ if attempts < FLAG_AFTER => None,
                    0 => Some("too-hard".to_owned()),
                    c if c == attempts => Some("too-easy".to_owned()),
                    _ => None,
                };
                QuestionStatistics {
                    question_id: q.id.clone(),
                    text: q.text.clone(),
                    attempts,
                    correct,
                    facility,
                    flag,
                }
            })
            .collect())
    }
}

fn stale(current: &Assessment) -> ApiError {
    ApiError::new(
        ErrorCode::ResourceConflict,
        "the assessment changed since you read it; fetch it again and retry",
    )
    .with_details(json!({ "current": current }))
}

/// The assessment with answers hidden from learners who did not make it.
fn visible(tenant: &Tenant, record: AssessmentRecord) -> Assessment {
    let mut assessment = record.assessment;
    if record.created_by != tenant.principal.student_id() && !is_instructor(tenant) {
        for q in &mut assessment.questions {
            q.correct_answer = None;
            q.explanation = String::new();
            q.rubric.clear();
        }
    }
    assessment
}
