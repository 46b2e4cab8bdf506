//! Grading a set of answers: unknown and repeated questions refused, every answer marked by
//! the engine (`kiro_assess::grade`), essays by the configured LLM provider when there is one
//! (a final mark; the engine's rubric check stays, provisional, when the provider fails), and
//! the result with its per-topic scores.

use std::collections::{HashMap, HashSet};

use futures::future::join_all;
use kiro_assess::grade::{self, Mark};
use kiro_assess::llm::essay;
use kiro_core::llm::{Completion, ReplyKind};
use kiro_core::tenancy::Tenant;
use kiro_types::ErrorCode;
use kiro_types::assessment::{
    Assessment, AssessmentResult, Question, QuestionType, StudentAnswer, StudentAnswers,
};
use serde_json::json;

use super::AssessmentService;
use crate::error::ApiError;

impl AssessmentService {
    pub(super) async fn grade(
        &self,
        tenant: &Tenant,
        assessment: &Assessment,
        answers: StudentAnswers,
    ) -> Result<AssessmentResult, ApiError> {
        let by_id: HashMap<&str, _> = assessment
            .questions
            .iter()
            .map(|q| (q.id.as_str(), q))
            .collect();
        let unknown: Vec<&str> = answers
            .answers
            .iter()
            .map(|a| a.question_id.as_str())
            .filter(|id| !by_id.contains_key(id))
            .collect();
        if !unknown.is_empty() {
            return Err(ApiError::new(
                ErrorCode::AssessmentUnknownQuestion,
                format!(
                    "{} answer(s) name questions this assessment does not have; answer only its \
                     questions (GET the assessment for their ids)",
                    unknown.len()
                ),
            )
            .with_details(json!({ "questionIds": unknown })));
        }
        let mut seen = HashSet::new();
        if let Some(dup) = answers
            .answers
            .iter()
            .find(|a| !seen.insert(a.question_id.as_str()))
        {
            return Err(ApiError::new(
                ErrorCode::AssessmentDuplicateAnswer,
                "a question is answered twice; send one answer per question",
            )
            .with_details(json!({ "questionId": dup.question_id })));
        }
        let given: HashMap<&str, _> = answers
            .answers
            .iter()
            .map(|a| (a.question_id.as_str(), a))
            .collect();
        let answered: Vec<(&Question, String, u32)> = assessment
            .questions
            .iter()
            .map(|q| {
                let (answer, time_spent) = given
                    .get(q.id.as_str())
                    .map_or((String::new(), 0), |a| (a.answer.clone(), a.time_spent));
                (q, answer, time_spent)
            })
            .collect();
        let marks = join_all(answered.iter().map(|(q, a, _)| self.mark(q, a))).await;
        let mut graded = Vec::with_capacity(assessment.questions.len());
        let mut credits = Vec::with_capacity(assessment.questions.len());
        for ((question, answer, time_spent), mark) in answered.into_iter().zip(marks) {
            credits.push((question.topic.clone(), mark.credit));
            graded.push(StudentAnswer {
                question_id: question.id.clone(),
                answer,
                is_correct: mark.correct,
                credit: mark.credit,
                time_spent,
                provisional: mark.provisional,
                feedback: mark.feedback,
            });
        }
        let score: f64 = graded.iter().map(|a| a.credit).sum();
        let max_score = graded.len() as f64;
        let percentage = if max_score > 0.0 {
            (score / max_score * 1000.0).round() / 10.0
        } else {
            0.0
        };
        Ok(AssessmentResult {
            id: String::new(),
            assessment_id: assessment.id.clone(),
            student_id: tenant.principal.student_id(),
            time_spent: graded.iter().map(|a| a.time_spent).sum(),
            answers: graded,
            score,
            max_score,
            percentage,
            passed: percentage >= assessment.passing_score,
            completed_at: self.now(),
            topic_scores: grade::topic_scores(&credits),
        })
    }

    /// One answer's mark: the engine's, or for an essay the provider's when it gives one.
    async fn mark(&self, question: &Question, answer: &str) -> Mark {
        let local = grade::mark(question, answer);
        let Some(provider) = &self.llm else {
            return local;
        };
        if question.kind != QuestionType::Essay || answer.trim().is_empty() {
            return local;
        }
        let prompt = essay::essay_prompt(question, answer);
        let completion = Completion {
            system: prompt.system,
            user: prompt.user,
            reply: ReplyKind::EssayMark,
        };
        let marked = match provider.complete(&completion).await {
            Ok(text) => essay::parse_essay_mark(&text, question).map_err(|e| e.to_string()),
            Err(e) => Err(e.to_string()),
        };
        match marked {
            Ok(mark) => mark,
            Err(reason) => {
                tracing::warn!(model = provider.model(), %reason, "the LLM could not mark an essay");
                Mark {
                    feedback: format!(
                        "{} (Marked by key terms only: the {} model could not mark it.)",
                        local.feedback,
                        provider.model()
                    ),
                    ..local
                }
            }
        }
    }
}
