//! `client.batch()`: many calls in one round trip over `POST /v1/batch` (DESIGN.md §3),
//! answered per call in the order sent. More than [`MAX_BATCH_REQUESTS`] calls go as several
//! batches, one after another. The batch itself is one `POST` through the request path
//! (retried with one `Idempotency-Key`, so a retry replays rather than re-runs it); each
//! call's answer is a [`Reply`] or the [`KiroError`] decoded from its error body.

use std::collections::BTreeMap;

use kiro_types::batch::{BatchIn, BatchOut, BatchRequestIn, BatchResponseOut, MAX_BATCH_REQUESTS};
use reqwest::Method;

use crate::call::{Call, Reply};
use crate::client::KiroClient;
use crate::error::KiroError;
use crate::retry::parse_retry_after;

impl KiroClient {
    /// Sends `calls` as batches of up to 100 and returns one result per call, in order. The
    /// outer error is a failure of a batch request itself (unreachable server, 401, …).
    pub async fn batch(
        &self,
        calls: Vec<Call>,
    ) -> Result<Vec<Result<Reply, KiroError>>, KiroError> {
        let mut results = Vec::with_capacity(calls.len());
        for chunk in calls.chunks(MAX_BATCH_REQUESTS) {
            let input = BatchIn {
                requests: chunk.iter().map(request_in).collect(),
            };
            let body =
                serde_json::to_value(&input).map_err(|e| KiroError::Decode(e.to_string()))?;
            let out: BatchOut = self
                .call(Call::post("/v1/batch").json(body))
                .await?
                .json()?;
            if out.responses.len() != chunk.len() {
                return Err(KiroError::Decode(format!(
                    "a batch of {} requests got {} responses",
                    chunk.len(),
                    out.responses.len()
                )));
            }
            for (call, response) in chunk.iter().zip(out.responses) {
                let result = result_of(response);
                if result.is_ok() && call.method != Method::GET && call.method != Method::HEAD {
                    self.inner.cache.invalidate_path(&call.path);
                }
                results.push(result);
            }
        }
        Ok(results)
    }
}

fn request_in(call: &Call) -> BatchRequestIn {
    let mut headers = BTreeMap::new();
    if let Some(etag) = &call.if_match {
        headers.insert("If-Match".to_owned(), etag.clone());
    }
    if let Some(etag) = &call.if_none_match {
        headers.insert("If-None-Match".to_owned(), etag.clone());
    }
    if let Some(key) = &call.idempotency_key {
        headers.insert("Idempotency-Key".to_owned(), key.clone());
    }
    BatchRequestIn {
        method: call.method.as_str().to_owned(),
        path: call.path.clone(),
        body: call.body.clone(),
        headers: (!headers.is_empty()).then_some(headers),
    }
}

fn result_of(response: BatchResponseOut) -> Result<Reply, KiroError> {
    let body = match &response.body {
        serde_json::Value::Null => Vec::new(),
        value => serde_json::to_vec(value).map_err(|e| KiroError::Decode(e.to_string()))?,
    };
    if (200..300).contains(&response.status) || response.status == 304 {
        Ok(Reply {
            status: response.status,
            etag: response.headers.get("etag").cloned(),
            body,
        })
    } else {
        let retry_after = response
            .headers
            .get("retry-after")
            .and_then(|v| reqwest::header::HeaderValue::from_str(v).ok());
        Err(KiroError::from_response(
            response.status,
            parse_retry_after(retry_after.as_ref()),
            &body,
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn calls_become_batch_items_with_their_headers() {
        let call = Call::patch("/v1/workspaces/w")
            .json(serde_json::json!({"name": "n"}))
            .if_match("\"2\"");
        let item = request_in(&call);
        assert_eq!(item.method, "PATCH");
        assert_eq!(
            item.headers.and_then(|h| h.get("If-Match").cloned()),
            Some("\"2\"".to_owned())
        );
        assert!(request_in(&Call::get("/v1/workspaces")).headers.is_none());
    }

    #[test]
    fn responses_become_replies_or_errors() {
        let ok = BatchResponseOut {
            status: 200,
            headers: BTreeMap::from([("etag".to_owned(), "\"4\"".to_owned())]),
            body: serde_json::json!({"a": 1}),
        };
        let reply = result_of(ok).ok();
        assert_eq!(
            reply.as_ref().and_then(|r| r.etag.clone()),
            Some("\"4\"".into())
        );
        let failed = BatchResponseOut {
            status: 404,
            headers: BTreeMap::new(),
            body: serde_json::json!({"error": {"type": "NOT_FOUND", "code": "workspace.not_found",
                "message": "no", "timestamp": "t", "requestId": "r", "retryable": false}}),
        };
        assert_eq!(
            result_of(failed).err().as_ref().and_then(KiroError::code),
            Some("workspace.not_found")
        );
    }
}
