//! Questions and question generation.

use chrono::{DateTime, Utc};
use garde::Validate;
use serde::{Deserialize, Serialize};

/// The kind of a question.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
#[serde(rename_all = "kebab-case")]
pub enum QuestionType {
    MultipleChoice,
    TrueFalse,
    ShortAnswer,
    Cloze,
    Essay,
}

impl QuestionType {
    /// Every kind, in the order the local engine prefers them.
    pub const ALL: [QuestionType; 5] = [
        QuestionType::MultipleChoice,
        QuestionType::TrueFalse,
        QuestionType::ShortAnswer,
        QuestionType::Cloze,
        QuestionType::Essay,
    ];

    /// The kebab-case name sent on the wire.
    pub fn as_str(self) -> &'static str {
        match self {
            QuestionType::MultipleChoice => "multiple-choice",
            QuestionType::TrueFalse => "true-false",
            QuestionType::ShortAnswer => "short-answer",
            QuestionType::Cloze => "cloze",
            QuestionType::Essay => "essay",
        }
    }

    /// Whether an answer is checked by exact comparison with one of the options.
    pub fn is_choice(self) -> bool {
        matches!(self, QuestionType::MultipleChoice | QuestionType::TrueFalse)
    }
}

/// How hard a question is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum Difficulty {
    Easy,
    Medium,
    Hard,
}

/// Where in the document a question comes from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct QuestionSource {
    /// 1-based page number.
    pub page: u32,
    /// The sentence the question was made from, as the document has it.
    pub sentence: String,
}

/// The design's `Question`, with its source, explanation and (for essays) rubric.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct Question {
    pub id: String,
    pub text: String,
    #[serde(rename = "type")]
    pub kind: QuestionType,
    /// The choices, for multiple-choice (four) and true/false (two).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub options: Option<Vec<String>>,
    /// The expected answer; essays have a rubric instead.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub correct_answer: Option<String>,
    pub difficulty: Difficulty,
    pub topic: String,
    pub learning_objective: String,
    pub source: QuestionSource,
    pub explanation: String,
    /// Key terms an essay answer should cover.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub rubric: Vec<String>,
}

/// Which engine generates questions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum EngineChoice {
    /// The configured LLM provider if there is one, else the local engine.
    Auto,
    /// The local rule-based engine: deterministic, no network.
    Local,
    /// The configured LLM provider, falling back to the local engine if it fails.
    Llm,
}

/// `POST /v1/assessment/documents/{id}/questions`: the design's `QuestionGenerationOptions`.
#[derive(Debug, Clone, Default, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct QuestionGenerationOptions {
    /// How many questions (1–100, default 5).
    #[garde(range(min = 1, max = 100))]
    pub count: Option<u32>,
    /// Which kinds to make (default: all).
    #[garde(length(min = 1, max = 5))]
    pub types: Option<Vec<QuestionType>>,
    #[garde(skip)]
    pub difficulty: Option<Difficulty>,
    #[garde(skip)]
    pub engine: Option<EngineChoice>,
    /// Seed for the local engine: the same document and seed give the same questions.
    #[garde(skip)]
    pub seed: Option<u64>,
}

/// The design's `GeneratedQuestions`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct GeneratedQuestions {
    pub id: String,
    pub pdf_id: String,
    pub questions: Vec<Question>,
    pub generated_at: DateTime<Utc>,
    /// The engine that produced them: `local-rules-1` or the provider's model name.
    pub ai_model: String,
    /// 0–1: the engine's mean confidence in its questions.
    pub confidence: f64,
    pub seed: u64,
    /// Set when an LLM provider was asked but failed and the local engine answered.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fallback_reason: Option<String>,
}
