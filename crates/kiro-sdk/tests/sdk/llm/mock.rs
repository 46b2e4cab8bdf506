//! A stand-in for the cloud and local LLM servers the assessment service can ask, speaking
//! their real wire formats: Gemini's `generateContent` (API key in `x-goog-api-key`, JSON in
//! `candidates[0].content.parts`) and OpenAI's `/v1/chat/completions` (bearer key, JSON in
//! `choices[0].message.content`), plus the model lists the health check reads. It writes
//! cloze questions from the excerpts the prompt gives it and marks essays (credit 0.8, the
//! first two rubric terms), or fails the way real providers do: an error body, text that is
//! not the schema, or no answer at all.

#![allow(clippy::unwrap_used)]

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde_json::{Value, json};

pub const KEY: &str = "test-key";

/// How the mock answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Answer,
    Overloaded,
    NotTheSchema,
    Hang,
}

#[derive(Default)]
struct Seen {
    requests: Vec<Value>,
    headers: Vec<HeaderMap>,
}

struct Shared {
    mode: Mutex<Mode>,
    calls: AtomicUsize,
    seen: Mutex<Seen>,
}

/// A running mock provider.
#[derive(Clone)]
pub struct MockLlm {
    pub base_url: String,
    shared: Arc<Shared>,
}

impl MockLlm {
    pub async fn start() -> anyhow::Result<MockLlm> {
        let shared = Arc::new(Shared {
            mode: Mutex::new(Mode::Answer),
            calls: AtomicUsize::new(0),
            seen: Mutex::new(Seen::default()),
        });
        let app = Router::new()
            .route("/v1beta/models/{call}", post(gemini).get(gemini_model))
            .route("/v1/chat/completions", post(openai))
            .route("/v1/models", get(openai_models))
            .with_state(shared.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
        let base_url = format!("http://{}", listener.local_addr()?);
        tokio::spawn(async move { axum::serve(listener, app).await });
        Ok(MockLlm { base_url, shared })
    }

    pub fn set_mode(&self, mode: Mode) {
        *self.shared.mode.lock().unwrap() = mode;
    }

    /// Completion requests received.
    pub fn calls(&self) -> usize {
        self.shared.calls.load(Ordering::SeqCst)
    }

    /// The last completion request's body and headers.
    pub fn last(&self) -> (Value, HeaderMap) {
        let seen = self.shared.seen.lock().unwrap();
        (
            seen.requests.last().cloned().unwrap_or_default(),
            seen.headers.last().cloned().unwrap_or_default(),
        )
    }
}

/// The excerpts of a prompt: `(page, topic, sentence)`.
pub fn excerpts(prompt: &str) -> Vec<(u32, String, String)> {
    prompt
        .lines()
        .filter_map(|line| {
            let (_, rest) = line.split_once(". [page ")?;
            let (page, rest) = rest.split_once("] [topic ")?;
            let (topic, sentence) = rest.split_once("] ")?;
            Some((page.parse().ok()?, topic.to_owned(), sentence.to_owned()))
        })
        .collect()
}

/// Cloze questions from the prompt's excerpts, as many as it asks for.
fn questions(prompt: &str) -> Value {
    let count: usize = prompt
        .strip_prefix("Write ")
        .and_then(|r| r.split_once(' '))
        .and_then(|(n, _)| n.parse().ok())
        .unwrap_or(5);
    let questions: Vec<Value> = excerpts(prompt)
        .into_iter()
        .filter_map(|(page, topic, sentence)| {
            let answer = sentence
                .split_whitespace()
                .map(|w| w.trim_matches(|c: char| !c.is_alphanumeric()))
                .filter(|w| w.chars().all(char::is_alphabetic))
                .max_by_key(|w| w.chars().count())?
                .to_owned();
            Some(json!({
                "type": "cloze",
                "text": sentence.replacen(&answer, "_____", 1),
                "options": [],
                "correctAnswer": answer,
                "difficulty": "medium",
                "topic": topic,
                "learningObjective": format!("Recall the key terms of {topic}"),
                "sourcePage": page,
                "sourceSentence": sentence,
                "explanation": format!("Page {page} says: {sentence}"),
                "rubric": []
            }))
        })
        .take(count)
        .collect();
    json!({ "questions": questions })
}

/// Records a completion request; `None` when the mock is to fail instead of answering.
async fn record(shared: &Shared, body: &Value, headers: &HeaderMap) -> Option<(StatusCode, Value)> {
    shared.calls.fetch_add(1, Ordering::SeqCst);
    {
        let mut seen = shared.seen.lock().unwrap();
        seen.requests.push(body.clone());
        seen.headers.push(headers.clone());
    }
    let mode = *shared.mode.lock().unwrap();
    match mode {
        Mode::Answer | Mode::NotTheSchema => None,
        Mode::Overloaded => Some((
            StatusCode::SERVICE_UNAVAILABLE,
            json!({"error": {"code": 503, "message": "The model is overloaded. Please try again later.", "status": "UNAVAILABLE"}}),
        )),
        Mode::Hang => std::future::pending().await,
    }
}

/// An essay mark: credit 0.8, the first two rubric terms covered.
fn essay_mark(prompt: &str) -> Value {
    let rubric: Vec<&str> = prompt
        .lines()
        .find_map(|l| l.strip_prefix("Rubric: "))
        .map(|r| r.split("; ").collect())
        .unwrap_or_default();
    json!({
        "credit": 0.8,
        "coveredTerms": rubric.iter().take(2).collect::<Vec<_>>(),
        "feedback": "Mock marker: a clear explanation; say more about the last key term."
    })
}

fn reply_text(shared: &Shared, prompt: &str, essay: bool) -> String {
    if *shared.mode.lock().unwrap() == Mode::NotTheSchema {
        "Sure! Here is what I think of it.".to_owned()
    } else if essay {
        essay_mark(prompt).to_string()
    } else {
        questions(prompt).to_string()
    }
}

async fn gemini(
    State(shared): State<Arc<Shared>>,
    Path(call): Path<String>,
    headers: HeaderMap,
    Json(body): Json<Value>,
) -> (StatusCode, Json<Value>) {
    if headers.get("x-goog-api-key").and_then(|v| v.to_str().ok()) != Some(KEY) {
        let error = json!({"error": {"code": 403, "message": "API key not valid.", "status": "PERMISSION_DENIED"}});
        return (StatusCode::FORBIDDEN, Json(error));
    }
    let Some(model) = call.strip_suffix(":generateContent") else {
        return (
            StatusCode::NOT_FOUND,
            Json(json!({"error": {"code": 404, "message": "not found"}})),
        );
    };
    if let Some((status, error)) = record(&shared, &body, &headers).await {
        return (status, Json(error));
    }
    let prompt = body["contents"][0]["parts"][0]["text"]
        .as_str()
        .unwrap_or_default();
    let essay = body["generationConfig"]["responseSchema"]["properties"]
        .get("credit")
        .is_some();
    let text = reply_text(&shared, prompt, essay);
    (
        StatusCode::OK,
        Json(json!({
            "candidates": [{
                "content": {"role": "model", "parts": [{"text": text}]},
                "finishReason": "STOP",
                "index": 0
            }],
            "usageMetadata": {"promptTokenCount": 900, "candidatesTokenCount": 400, "totalTokenCount": 1300},
            "modelVersion": model
        })),
    )
}

async fn gemini_model(Path(name): Path<String>, headers: HeaderMap) -> (StatusCode, Json<Value>) {
    if headers.get("x-goog-api-key").and_then(|v| v.to_str().ok()) != Some(KEY) {
        return (
            StatusCode::FORBIDDEN,
            Json(json!({"error": {"code": 403, "message": "API key not valid."}})),
        );
    }
    (
        StatusCode::OK,
        Json(json!({"name": format!("models/{name}"), "displayName": name})),
    )
}

async fn openai(
    State(shared): State<Arc<Shared>>,
    headers: HeaderMap,
    Json(body): Json<Value>,
) -> (StatusCode, Json<Value>) {
    let bearer = format!("Bearer {KEY}");
    if headers.get("authorization").and_then(|v| v.to_str().ok()) != Some(bearer.as_str()) {
        let error = json!({"error": {"message": "Incorrect API key provided.", "type": "invalid_request_error", "code": "invalid_api_key"}});
        return (StatusCode::UNAUTHORIZED, Json(error));
    }
    if let Some((status, error)) = record(&shared, &body, &headers).await {
        return (status, Json(error));
    }
    let prompt = body["messages"][1]["content"].as_str().unwrap_or_default();
    let essay = body["response_format"]["json_schema"]["name"] == "essay_mark";
    let text = reply_text(&shared, prompt, essay);
    (
        StatusCode::OK,
        Json(json!({
            "id": "chatcmpl-1",
            "object": "chat.completion",
            "created": 1_764_000_000,
            "model": body["model"],
            "choices": [{
                "index": 0,
                "message": {"role": "assistant", "content": text},
                "finish_reason": "stop"
            }],
            "usage": {"prompt_tokens": 900, "completion_tokens": 400, "total_tokens": 1300}
        })),
    )
}

async fn openai_models() -> Json<Value> {
    Json(
        json!({"object": "list", "data": [{"id": "llama3.1", "object": "model", "owned_by": "library"}]}),
    )
}
