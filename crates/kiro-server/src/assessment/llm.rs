//! The LLM providers over HTTP: [`HttpProvider`] implements kiro-core's [`LlmProvider`] port
//! for Gemini (`generateContent`) and any OpenAI-compatible server (`/v1/chat/completions`:
//! OpenAI, Ollama, vLLM, llama.cpp server), with the request bodies and reply parsing of
//! `kiro_assess::llm::wire`. Built from `[assessment]` configuration; absent when no provider
//! is configured.

use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;
use kiro_assess::llm::{Prompt, schema, wire};
use kiro_core::llm::{Completion, LlmError, LlmProvider, ReplyKind};
use serde_json::Value;

use crate::config::AssessmentConfig;

/// Gemini's public endpoint, used when no base URL is configured.
pub const GEMINI_BASE_URL: &str = "https://generativelanguage.googleapis.com";
/// The Gemini model used when none is configured.
pub const GEMINI_DEFAULT_MODEL: &str = "gemini-2.5-flash";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Gemini,
    OpenAi,
}

/// A provider reached over HTTP.
pub struct HttpProvider {
    kind: Kind,
    base_url: String,
    model: String,
    api_key: String,
    timeout: Duration,
    http: reqwest::Client,
}

impl HttpProvider {
    /// The configured provider, or `None` for the local engine only.
    pub fn from_config(config: &AssessmentConfig) -> anyhow::Result<Option<Arc<dyn LlmProvider>>> {
        let kind = match config.llm_provider.as_str() {
            "gemini" => Kind::Gemini,
            "openai" => Kind::OpenAi,
            _ => return Ok(None),
        };
        // Gemini is HTTPS; reqwest is built without a default TLS provider.
        let _ = rustls::crypto::ring::default_provider().install_default();
        let timeout = Duration::from_secs(config.llm_timeout_secs);
        let http = reqwest::Client::builder()
            .timeout(timeout)
            .connect_timeout(timeout.min(Duration::from_secs(5)))
            .build()?;
        let base_url = match (kind, config.llm_base_url.trim()) {
            (Kind::Gemini, "") => GEMINI_BASE_URL.to_owned(),
            (_, url) => url.trim_end_matches('/').to_owned(),
        };
        let model = match (kind, config.llm_model.trim()) {
            (Kind::Gemini, "") => GEMINI_DEFAULT_MODEL.to_owned(),
            (_, model) => model.to_owned(),
        };
        Ok(Some(Arc::new(Self {
            kind,
            base_url,
            model,
            api_key: config.llm_api_key.clone(),
            timeout,
            http,
        })))
    }

    fn request(&self, method: reqwest::Method, path: &str) -> reqwest::RequestBuilder {
        let request = self
            .http
            .request(method, format!("{}{path}", self.base_url));
        match self.kind {
            Kind::Gemini => request.header("x-goog-api-key", &self.api_key),
            Kind::OpenAi if self.api_key.is_empty() => request,
            Kind::OpenAi => request.bearer_auth(&self.api_key),
        }
    }

    /// Sends a request and reads its JSON body, mapping every failure to an [`LlmError`].
    async fn send(&self, request: reqwest::RequestBuilder) -> Result<Value, LlmError> {
        let response = request.send().await.map_err(|e| self.transport(&e))?;
        let status = response.status();
        let body = response.bytes().await.map_err(|e| self.transport(&e))?;
        let json: Option<Value> = serde_json::from_slice(&body).ok();
        if !status.is_success() {
            let message = json
                .as_ref()
                .and_then(wire::error_message)
                .unwrap_or_else(|| String::from_utf8_lossy(&body).chars().take(200).collect());
            return Err(LlmError::Refused {
                status: status.as_u16(),
                message,
            });
        }
        json.ok_or_else(|| LlmError::Malformed("the body is not JSON".to_owned()))
    }

    fn transport(&self, e: &reqwest::Error) -> LlmError {
        if e.is_timeout() {
            LlmError::Timeout(self.timeout.as_secs())
        } else {
            LlmError::Unreachable(format!("{}: {e}", self.base_url))
        }
    }
}

#[async_trait]
impl LlmProvider for HttpProvider {
    fn provider(&self) -> &str {
        match self.kind {
            Kind::Gemini => "gemini",
            Kind::OpenAi => "openai",
        }
    }

    fn model(&self) -> &str {
        &self.model
    }

    async fn complete(&self, completion: &Completion) -> Result<String, LlmError> {
        let prompt = Prompt {
            system: completion.system.clone(),
            user: completion.user.clone(),
        };
        let (name, json_schema, gemini_schema) = match completion.reply {
            ReplyKind::Questions => ("questions", schema::json_schema(), schema::gemini_schema()),
            ReplyKind::EssayMark => (
                "essay_mark",
                schema::essay_json_schema(),
                schema::essay_gemini_schema(),
            ),
        };
        let (path, body) = match self.kind {
            Kind::Gemini => (
                wire::gemini_path(&self.model),
                wire::gemini_request(&prompt, gemini_schema),
            ),
            Kind::OpenAi => (
                wire::openai_path(&self.base_url).to_owned(),
                wire::openai_request(&prompt, &self.model, name, json_schema),
            ),
        };
        let request = self.request(reqwest::Method::POST, &path).json(&body);
        // The client's timeout covers the whole exchange; this one also bounds a server that
        // trickles its body.
        let reply = tokio::time::timeout(self.timeout, self.send(request))
            .await
            .map_err(|_| LlmError::Timeout(self.timeout.as_secs()))??;
        match self.kind {
            Kind::Gemini => wire::gemini_reply_text(&reply),
            Kind::OpenAi => wire::openai_reply_text(&reply),
        }
        .map_err(LlmError::Malformed)
    }

    async fn check(&self) -> Result<(), LlmError> {
        let path = match self.kind {
            Kind::Gemini => {
                let model = self.model.strip_prefix("models/").unwrap_or(&self.model);
                format!("/v1beta/models/{model}")
            }
            Kind::OpenAi => wire::openai_path(&self.base_url).replace("chat/completions", "models"),
        };
        self.send(self.request(reqwest::Method::GET, &path))
            .await
            .map(|_| ())
    }
}
