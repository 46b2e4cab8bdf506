//! Assessments, answers and results.

use chrono::{DateTime, Utc};
use garde::Validate;
use serde::{Deserialize, Serialize};

use super::question::Question;

/// An assessment's life cycle.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum AssessmentStatus {
    Draft,
    Active,
    Archived,
}

impl AssessmentStatus {
    /// The lower-case name stored and sent on the wire.
    pub fn as_str(self) -> &'static str {
        match self {
            AssessmentStatus::Draft => "draft",
            AssessmentStatus::Active => "active",
            AssessmentStatus::Archived => "archived",
        }
    }

    /// Parses the lower-case name.
    pub fn parse(name: &str) -> Option<AssessmentStatus> {
        [Self::Draft, Self::Active, Self::Archived]
            .into_iter()
            .find(|s| s.as_str() == name)
    }
}

/// The design's `Assessment`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct Assessment {
    pub id: String,
    pub title: String,
    pub pdf_id: String,
    pub questions: Vec<Question>,
    /// Seconds allowed for the whole assessment.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub time_limit: Option<u32>,
    /// Percentage needed to pass, 0–100.
    pub passing_score: f64,
    pub created_at: DateTime<Utc>,
    pub status: AssessmentStatus,
    pub version: i64,
}

/// `POST /v1/assessment/assessments`: the design's `AssessmentCreateRequest`.
#[derive(Debug, Clone, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct AssessmentCreateRequest {
    #[garde(length(chars, min = 1, max = 200))]
    pub title: Option<String>,
    #[garde(length(min = 1, max = 64))]
    pub pdf_id: String,
    /// Questions from this generation (default: the document's latest).
    #[garde(length(min = 1, max = 64))]
    pub questions_id: Option<String>,
    /// Seconds, 10 s to 24 h.
    #[garde(range(min = 10, max = 86_400))]
    pub time_limit: Option<u32>,
    /// Percentage, 0–100 (default 60).
    #[garde(range(min = 0.0, max = 100.0))]
    pub passing_score: Option<f64>,
    #[garde(skip)]
    pub status: Option<AssessmentStatus>,
}

/// `PATCH /v1/assessment/assessments/{id}`.
#[derive(Debug, Clone, Default, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct AssessmentPatch {
    #[garde(length(chars, min = 1, max = 200))]
    pub title: Option<String>,
    #[garde(range(min = 10, max = 86_400))]
    pub time_limit: Option<u32>,
    #[garde(range(min = 0.0, max = 100.0))]
    pub passing_score: Option<f64>,
    #[garde(skip)]
    pub status: Option<AssessmentStatus>,
}

/// One answer as the learner gives it.
#[derive(Debug, Clone, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct AnswerIn {
    #[garde(length(min = 1, max = 64))]
    pub question_id: String,
    #[garde(length(chars, max = 20_000))]
    pub answer: String,
    /// Seconds spent on the question.
    #[garde(range(max = 86_400))]
    #[serde(default)]
    pub time_spent: u32,
}

/// `POST …/submissions` and `…/evaluations`: the design's `StudentAnswers`.
#[derive(Debug, Clone, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct StudentAnswers {
    #[garde(length(min = 1, max = 200), dive)]
    pub answers: Vec<AnswerIn>,
}

/// The design's `StudentAnswer`: an answer as graded.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct StudentAnswer {
    pub question_id: String,
    pub answer: String,
    pub is_correct: bool,
    /// Credit 0–1 (partial for essays and near-miss short answers).
    pub credit: f64,
    pub time_spent: u32,
    /// True when the grade is the local engine's rubric check, to be confirmed by a person.
    pub provisional: bool,
    pub feedback: String,
}

/// The design's `TopicScore`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct TopicScore {
    pub topic: String,
    pub score: f64,
    pub max_score: f64,
    pub percentage: f64,
    pub weakness: bool,
}

/// The design's `AssessmentResult`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct AssessmentResult {
    /// Empty for an evaluation that was not stored.
    pub id: String,
    pub assessment_id: String,
    pub student_id: String,
    pub answers: Vec<StudentAnswer>,
    pub score: f64,
    pub max_score: f64,
    pub percentage: f64,
    pub passed: bool,
    /// Seconds, summed over the answers.
    pub time_spent: u32,
    pub completed_at: DateTime<Utc>,
    pub topic_scores: Vec<TopicScore>,
}

/// Per-question statistics an instructor sees.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct QuestionStatistics {
    pub question_id: String,
    pub text: String,
    pub attempts: u32,
    pub correct: u32,
    /// Correct answers / attempts, 0–1.
    pub facility: f64,
    /// `too-hard` when nobody answers it right, `too-easy` when everybody does (3+ attempts).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub flag: Option<String>,
}
