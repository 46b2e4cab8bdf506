//! Which engine writes a set of questions: the local engine, or the configured LLM provider
//! with the local engine answering instead when the provider fails, is slow, or returns
//! questions that do not pass the checks. The result names the engine that produced it
//! (`aiModel`) and, after a fallback, why (`fallbackReason`).

use std::sync::Arc;

use kiro_assess::Document;
use kiro_assess::analysis::Analysis;
use kiro_assess::llm;
use kiro_assess::questions::{self, GenerateOptions, Generated, LOCAL_MODEL};
use kiro_core::llm::{Completion, LlmProvider, ReplyKind};
use kiro_types::ErrorCode;
use kiro_types::assessment::EngineChoice;

use super::AssessmentService;
use crate::error::ApiError;

/// Questions and the engine that wrote them.
pub(super) struct Produced {
    pub generated: Generated,
    pub ai_model: String,
    pub fallback_reason: Option<String>,
}

impl AssessmentService {
    /// Generates questions with the engine `choice` asks for.
    pub(super) async fn produce_questions(
        &self,
        choice: EngineChoice,
        document: Arc<Document>,
        analysis: Arc<Analysis>,
        options: GenerateOptions,
    ) -> Result<Produced, ApiError> {
        let provider = match (choice, &self.llm) {
            (EngineChoice::Local, _) | (EngineChoice::Auto, None) => None,
            (EngineChoice::Llm, None) => {
                return Err(ApiError::new(
                    ErrorCode::AssessmentLlmNotConfigured,
                    "no LLM provider is configured on this server; ask for engine \"local\" \
                     (or \"auto\"), or set assessment.llm_provider",
                ));
            }
            (_, Some(p)) => Some(p.clone()),
        };
        let fallback_reason = match provider {
            None => None,
            Some(provider) => {
                match ask(
                    provider.as_ref(),
                    document.clone(),
                    analysis.clone(),
                    &options,
                )
                .await
                {
                    Ok(generated) => {
                        return Ok(Produced {
                            generated,
                            ai_model: provider.model().to_owned(),
                            fallback_reason: None,
                        });
                    }
                    Err(reason) => {
                        tracing::warn!(
                            provider = provider.provider(),
                            model = provider.model(),
                            %reason,
                            "the LLM provider gave no usable questions; the local engine answers"
                        );
                        Some(format!(
                            "{} ({}): {reason}",
                            provider.provider(),
                            provider.model()
                        ))
                    }
                }
            }
        };
        let generated = tokio::task::spawn_blocking(move || {
            questions::generate(&document, &analysis, &options)
        })
        .await
        .map_err(ApiError::internal)?;
        Ok(Produced {
            generated,
            ai_model: LOCAL_MODEL.to_owned(),
            fallback_reason,
        })
    }
}

/// Asks the provider and checks its answer; the error is the reason to fall back.
async fn ask(
    provider: &dyn LlmProvider,
    document: Arc<Document>,
    analysis: Arc<Analysis>,
    options: &GenerateOptions,
) -> Result<Generated, String> {
    let prompt = {
        let (document, analysis, options) = (document.clone(), analysis.clone(), options.clone());
        tokio::task::spawn_blocking(move || llm::question_prompt(&document, &analysis, &options))
            .await
            .map_err(|e| e.to_string())?
    };
    let completion = Completion {
        system: prompt.system,
        user: prompt.user,
        reply: ReplyKind::Questions,
    };
    let reply = provider
        .complete(&completion)
        .await
        .map_err(|e| e.to_string())?;
    let options = options.clone();
    tokio::task::spawn_blocking(move || {
        llm::parse_questions(&reply, &document, &analysis, &options)
    })
    .await
    .map_err(|e| e.to_string())?
    .map(|parsed| Generated {
        questions: parsed.questions,
        confidence: parsed.confidence,
    })
    .map_err(|e| e.to_string())
}
