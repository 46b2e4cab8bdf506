//! Batch DTOs: `POST /v1/batch` runs up to [`MAX_BATCH_REQUESTS`] API requests in one round
//! trip and answers each in the order sent.

use std::collections::BTreeMap;

use garde::Validate;
use serde::{Deserialize, Serialize};

/// The most requests one batch may carry.
pub const MAX_BATCH_REQUESTS: usize = 100;

/// `POST /v1/batch`.
#[derive(Debug, Clone, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct BatchIn {
    /// Run one after another, in this order; 1 to 100 of them.
    #[garde(custom(batch_size))]
    pub requests: Vec<BatchRequestIn>,
}

/// One request of a batch. It acts as the caller of the batch; a bad method, path or header
/// fails this request alone (a 400 in its place), never the batch.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct BatchRequestIn {
    /// `GET`, `HEAD`, `POST`, `PUT`, `PATCH` or `DELETE`.
    pub method: String,
    /// An API path under `/v1/` with an optional query, e.g. `/v1/workspaces?limit=10`.
    pub path: String,
    /// Sent as `application/json`; absent or `null` sends no body.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub body: Option<serde_json::Value>,
    /// Extra request headers (`X-Kiro-Workspace`, `If-Match`, `Idempotency-Key`, …). The
    /// caller's credentials and workspace are passed on; credentials cannot be set here.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub headers: Option<BTreeMap<String, String>>,
}

/// The answer to `POST /v1/batch`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct BatchOut {
    /// One per request, in the order of the requests.
    pub responses: Vec<BatchResponseOut>,
}

/// The response to one request of a batch.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct BatchResponseOut {
    pub status: u16,
    /// Response headers, lower-case names; repeated headers joined with `, `.
    pub headers: BTreeMap<String, String>,
    /// The JSON body; `null` when empty, a string when the body is not JSON.
    pub body: serde_json::Value,
}

fn batch_size(requests: &[BatchRequestIn], _: &()) -> garde::Result {
    match requests.len() {
        0 => Err(garde::Error::new(format!(
            "a batch needs at least 1 request (and at most {MAX_BATCH_REQUESTS})"
        ))),
        n if n > MAX_BATCH_REQUESTS => Err(garde::Error::new(format!(
            "a batch takes at most {MAX_BATCH_REQUESTS} requests, this one has {n}"
        ))),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn batch(n: usize) -> BatchIn {
        BatchIn {
            requests: (0..n)
                .map(|_| BatchRequestIn {
                    method: "GET".into(),
                    path: "/v1/workspaces".into(),
                    body: None,
                    headers: None,
                })
                .collect(),
        }
    }

    #[test]
    fn a_batch_takes_one_to_a_hundred_requests() {
        assert!(batch(1).validate().is_ok());
        assert!(batch(MAX_BATCH_REQUESTS).validate().is_ok());
        let too_many = batch(MAX_BATCH_REQUESTS + 1)
            .validate()
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(too_many.contains("at most 100"), "{too_many}");
        assert!(batch(0).validate().is_err());
    }

    #[test]
    fn items_read_the_wire_shape() {
        let item: Result<BatchRequestIn, _> = serde_json::from_str(
            r#"{"method":"POST","path":"/v1/workspaces","body":{"name":"x"},"headers":{"If-Match":"\"1\""}}"#,
        );
        assert!(item.is_ok_and(|i| i.body.is_some() && i.headers.is_some()));
    }
}
