//! The two provider wire formats, as JSON values: request bodies and the text of a reply.
//!
//! - Gemini: `POST {base}/v1beta/models/{model}:generateContent` with `x-goog-api-key`;
//!   `systemInstruction`, `contents`, and `generationConfig` with
//!   `responseMimeType: application/json` and a `responseSchema`. The reply's text is in
//!   `candidates[0].content.parts[*].text`; a blocked prompt has no candidates and a
//!   `promptFeedback.blockReason`.
//! - OpenAI-compatible (`/v1/chat/completions`: OpenAI, Ollama, vLLM, llama.cpp server):
//!   `messages` and `response_format: {type: json_schema, json_schema: {name, strict,
//!   schema}}`; the reply's text is `choices[0].message.content`.
//!
//! Both report errors as `{"error": {"message": …}}`, which [`error_message`] reads.

use serde_json::{Value, json};

use super::Prompt;

/// Sampling temperature: low, so questions stay close to the excerpts.
const TEMPERATURE: f64 = 0.3;

/// The path of Gemini's `generateContent` for `model`, below the base URL.
pub fn gemini_path(model: &str) -> String {
    let model = model.strip_prefix("models/").unwrap_or(model);
    format!("/v1beta/models/{model}:generateContent")
}

/// The body of a Gemini `generateContent` request whose reply must match `schema` (see
/// [`super::schema`]).
pub fn gemini_request(prompt: &Prompt, schema: Value) -> Value {
    json!({
        "systemInstruction": {"parts": [{"text": prompt.system}]},
        "contents": [{"role": "user", "parts": [{"text": prompt.user}]}],
        "generationConfig": {
            "temperature": TEMPERATURE,
            "responseMimeType": "application/json",
            "responseSchema": schema
        }
    })
}

/// The text of a Gemini reply, or why there is none.
pub fn gemini_reply_text(body: &Value) -> Result<String, String> {
    let Some(candidate) = body["candidates"].as_array().and_then(|c| c.first()) else {
        return Err(match body["promptFeedback"]["blockReason"].as_str() {
            Some(reason) => format!("the provider blocked the prompt ({reason})"),
            None => "the reply has no candidates".to_owned(),
        });
    };
    let text: String = candidate["content"]["parts"]
        .as_array()
        .map(|parts| parts.iter().filter_map(|p| p["text"].as_str()).collect())
        .unwrap_or_default();
    if text.trim().is_empty() {
        let reason = candidate["finishReason"].as_str().unwrap_or("unknown");
        return Err(format!("the reply has no text (finishReason {reason})"));
    }
    Ok(text)
}

/// The path of the chat completions endpoint below a base URL that may already end in `/v1`.
pub fn openai_path(base_url: &str) -> &'static str {
    if base_url.trim_end_matches('/').ends_with("/v1") {
        "/chat/completions"
    } else {
        "/v1/chat/completions"
    }
}

/// The body of an OpenAI-compatible chat completions request whose reply must match the JSON
/// Schema `schema`, named `name`.
pub fn openai_request(prompt: &Prompt, model: &str, name: &str, schema: Value) -> Value {
    json!({
        "model": model,
        "temperature": TEMPERATURE,
        "messages": [
            {"role": "system", "content": prompt.system},
            {"role": "user", "content": prompt.user}
        ],
        "response_format": {
            "type": "json_schema",
            "json_schema": {"name": name, "strict": true, "schema": schema}
        }
    })
}

/// The text of a chat completions reply, or why there is none.
pub fn openai_reply_text(body: &Value) -> Result<String, String> {
    let Some(choice) = body["choices"].as_array().and_then(|c| c.first()) else {
        return Err("the reply has no choices".to_owned());
    };
    if let Some(refusal) = choice["message"]["refusal"].as_str() {
        return Err(format!("the model refused: {refusal}"));
    }
    match choice["message"]["content"].as_str() {
        Some(text) if !text.trim().is_empty() => Ok(text.to_owned()),
        _ => {
            let reason = choice["finish_reason"].as_str().unwrap_or("unknown");
            Err(format!("the reply has no content (finish_reason {reason})"))
        }
    }
}

/// The message of either provider's error body, if it has one.
pub fn error_message(body: &Value) -> Option<String> {
    let error = &body["error"];
    error["message"]
        .as_str()
        .or_else(|| error.as_str())
        .map(str::to_owned)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn prompt() -> Prompt {
        Prompt {
            system: "sys".into(),
            user: "user".into(),
        }
    }

    #[test]
    fn gemini_requests_ask_for_json_in_the_schema() {
        let body = gemini_request(&prompt(), super::super::schema::gemini_schema());
        assert_eq!(body["systemInstruction"]["parts"][0]["text"], "sys");
        assert_eq!(body["contents"][0]["parts"][0]["text"], "user");
        assert_eq!(
            body["generationConfig"]["responseMimeType"],
            "application/json"
        );
        assert_eq!(body["generationConfig"]["responseSchema"]["type"], "OBJECT");
        assert_eq!(
            gemini_path("models/gemini-2.5-flash"),
            "/v1beta/models/gemini-2.5-flash:generateContent"
        );
    }

    #[test]
    fn gemini_replies_give_their_text_or_the_reason_there_is_none() {
        let ok = json!({"candidates": [{"content": {"role": "model", "parts": [{"text": "{\"a\":"}, {"text": "1}"}]}, "finishReason": "STOP"}]});
        assert_eq!(gemini_reply_text(&ok).as_deref(), Ok("{\"a\":1}"));
        let blocked = json!({"promptFeedback": {"blockReason": "SAFETY"}});
        assert!(gemini_reply_text(&blocked).unwrap_err().contains("SAFETY"));
        let cut = json!({"candidates": [{"content": {"parts": []}, "finishReason": "MAX_TOKENS"}]});
        assert!(gemini_reply_text(&cut).unwrap_err().contains("MAX_TOKENS"));
    }

    #[test]
    fn openai_requests_use_strict_json_schema_and_paths_do_not_double_v1() {
        let body = openai_request(&prompt(), "llama3.1", "questions", json!({}));
        assert_eq!(body["model"], "llama3.1");
        assert_eq!(body["messages"][0]["role"], "system");
        assert_eq!(body["response_format"]["type"], "json_schema");
        assert_eq!(body["response_format"]["json_schema"]["strict"], true);
        assert_eq!(
            openai_path("http://127.0.0.1:11434"),
            "/v1/chat/completions"
        );
        assert_eq!(
            openai_path("http://127.0.0.1:8000/v1/"),
            "/chat/completions"
        );
    }

    #[test]
    fn openai_replies_give_their_content_or_the_refusal() {
        let ok = json!({"choices": [{"index": 0, "message": {"role": "assistant", "content": "{}"}, "finish_reason": "stop"}]});
        assert_eq!(openai_reply_text(&ok).as_deref(), Ok("{}"));
        let refused = json!({"choices": [{"message": {"role": "assistant", "content": null, "refusal": "no"}}]});
        assert!(openai_reply_text(&refused).unwrap_err().contains("refused"));
        assert_eq!(
            error_message(&json!({"error": {"message": "bad key", "code": 401}})).as_deref(),
            Some("bad key")
        );
    }
}
