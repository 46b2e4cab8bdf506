//! Learning analytics: topic weaknesses, reports, mastery, spaced revisions, correction
//! lessons and batch results.

use chrono::{DateTime, Utc};
use garde::Validate;
use serde::{Deserialize, Serialize};

use super::document::PdfUploadResult;
use super::quiz::Assessment;
use crate::error::ErrorBody;

/// How weak a topic is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum WeaknessLevel {
    Mild,
    Moderate,
    Severe,
}

/// The design's `TopicWeakness`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct TopicWeakness {
    pub topic: String,
    pub weakness_level: WeaknessLevel,
    /// Smoothed accuracy 0–1 (answers seen plus a prior).
    pub estimated_accuracy: f64,
    pub attempts: u32,
    pub recommended_actions: Vec<String>,
    /// Pages of the document to read again, as `page N` references.
    pub related_resources: Vec<String>,
}

/// A closed time range.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct DateRange {
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
}

/// A topic's mastery band.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
#[serde(rename_all = "kebab-case")]
pub enum MasteryBand {
    Mastered,
    Improving,
    Learning,
    NeedsFocus,
}

/// A topic's direction over its history.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum Trend {
    Improving,
    Stable,
    Declining,
}

/// The design's `TopicMastery`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct TopicMastery {
    pub topic: String,
    /// 0–100.
    pub mastery_level: f64,
    pub band: MasteryBand,
    pub trend: Trend,
    pub assessment_count: u32,
}

/// What a recommendation asks the learner to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum RecommendationType {
    Review,
    Practice,
    Advance,
}

/// How urgent a recommendation is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum Priority {
    High,
    Medium,
    Low,
}

/// The design's `LearningRecommendation`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct LearningRecommendation {
    #[serde(rename = "type")]
    pub kind: RecommendationType,
    pub topic: String,
    pub priority: Priority,
    pub description: String,
    pub resources: Vec<String>,
}

/// The design's `LearningReport`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct LearningReport {
    pub student_id: String,
    pub timeframe: DateRange,
    /// 0–100: mean mastery over the topics seen in the timeframe.
    pub overall_progress: f64,
    pub assessments_taken: u32,
    pub topic_mastery: Vec<TopicMastery>,
    pub recommendations: Vec<LearningRecommendation>,
    pub generated_at: DateTime<Utc>,
}

/// One point of a score or retention series.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct SeriesPoint {
    pub at: DateTime<Utc>,
    /// 0–100.
    pub value: f64,
}

/// The design's `ProgressAnalytics`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct ProgressAnalytics {
    pub student_id: String,
    pub topics: Vec<TopicMastery>,
    pub mastered: u32,
    pub improving: u32,
    pub learning: u32,
    pub needs_focus: u32,
    /// Each result's percentage, oldest first.
    pub scores: Vec<SeriesPoint>,
    /// Predicted recall (FSRS retrievability) averaged over revised topics, per day.
    pub retention: Vec<SeriesPoint>,
    /// Consecutive days, ending today or yesterday, with a submission or a review.
    pub streak_days: u32,
    pub revisions_due: u32,
}

/// How well the learner recalled a topic, FSRS's four grades.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum Recall {
    Again,
    Hard,
    Good,
    Easy,
}

/// Which scheduler spaces revisions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum SchedulerKind {
    /// FSRS: intervals adapt to each recall.
    Fsrs,
    /// The original plan's fixed days 1, 3 and 7.
    Fixed,
}

/// A scheduled revision of one weak topic.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct Revision {
    pub id: String,
    pub topic: String,
    pub pdf_id: String,
    pub due_at: DateTime<Utc>,
    pub scheduler: SchedulerKind,
    /// FSRS memory state: days until recall falls to 90 %.
    pub stability: f64,
    /// FSRS difficulty 1–10.
    pub difficulty: f64,
    pub reviews: u32,
    pub lapses: u32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_reviewed_at: Option<DateTime<Utc>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_recall: Option<Recall>,
    pub version: i64,
}

/// `POST /v1/assessment/revisions/{id}/reviews`.
#[derive(Debug, Clone, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RevisionReview {
    #[garde(skip)]
    pub recall: Recall,
}

/// A passage quoted from the document, with its page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct Passage {
    pub text: String,
    pub page: u32,
}

/// A correction lesson for one weak topic, assembled from the document.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct Lesson {
    pub topic: String,
    pub pdf_id: String,
    /// What the topic is and why it matters.
    pub what: String,
    pub why: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub definition: Option<Passage>,
    pub explanation: Vec<Passage>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub example: Option<Passage>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub analogy: Option<Passage>,
    pub key_terms: Vec<String>,
    pub pages: Vec<u32>,
}

/// One file's outcome in a batch upload.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct BatchFileResult {
    pub filename: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub document: Option<PdfUploadResult>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<ErrorBody>,
}

/// The design's `BatchProcessingResult`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct BatchProcessingResult {
    pub items: Vec<BatchFileResult>,
    pub accepted: u32,
    pub failed: u32,
}

/// `POST /v1/assessment/assessments/batch`: the design's `generateBatchAssessments`.
#[derive(Debug, Clone, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct BatchAssessmentRequest {
    #[garde(length(min = 1, max = 50), inner(length(min = 1, max = 64)))]
    pub pdf_ids: Vec<String>,
    /// Questions per assessment (default 5).
    #[garde(range(min = 1, max = 100))]
    pub question_count: Option<u32>,
    #[garde(range(min = 0.0, max = 100.0))]
    pub passing_score: Option<f64>,
}

/// One document's outcome in a batch assessment generation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct BatchAssessmentItem {
    pub pdf_id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub assessment: Option<Assessment>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<ErrorBody>,
}

/// The design's `BatchAssessmentResult`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct BatchAssessmentResult {
    pub items: Vec<BatchAssessmentItem>,
    pub created: u32,
    pub failed: u32,
}
