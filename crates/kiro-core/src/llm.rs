//! The port to a large language model: one prompt in, the model's text out. The assessment
//! service asks it for questions and falls back to the local engine when it fails; the
//! adapters (Gemini, OpenAI-compatible servers) live in kiro-server, the prompts and the
//! checks of what comes back in kiro-assess.

use async_trait::async_trait;
use thiserror::Error;

/// What the model is asked.
#[derive(Debug, Clone, PartialEq)]
pub struct Completion {
    pub system: String,
    pub user: String,
    /// The JSON the reply must be: the adapter sends the matching schema.
    pub reply: ReplyKind,
}

/// The shape of reply a completion asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReplyKind {
    /// `{"questions": [...]}`: generated questions.
    Questions,
    /// `{"credit", "coveredTerms", "feedback"}`: the mark of one essay answer.
    EssayMark,
}

/// Why a provider gave no answer.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum LlmError {
    #[error("the provider is unreachable: {0}")]
    Unreachable(String),
    #[error("the provider did not answer within {0} s")]
    Timeout(u64),
    #[error("the provider refused the request ({status}): {message}")]
    Refused { status: u16, message: String },
    #[error("the provider's reply is not what its API returns: {0}")]
    Malformed(String),
}

/// A configured model.
#[async_trait]
pub trait LlmProvider: Send + Sync {
    /// `gemini` or `openai`.
    fn provider(&self) -> &str;
    /// The model's name, reported as the questions' `aiModel`.
    fn model(&self) -> &str;
    /// Asks for a JSON answer; returns the reply's text.
    async fn complete(&self, completion: &Completion) -> Result<String, LlmError>;
    /// A cheap check that the provider answers (its model list), for the health report.
    async fn check(&self) -> Result<(), LlmError>;
}
