//! [`KiroError`]: the one error type of the SDK, mirroring the wire error of DESIGN.md §3.
//!
//! Decodes both error body shapes the server answers with (the `{"error": {...}}` envelope and
//! the token endpoint's RFC 6749 body with the Kiro fields beside it) and keeps `Retry-After`
//! for the retry loop.

use std::time::Duration;

use kiro_types::auth::OAuthErrorOut;
use kiro_types::{ErrorBody, ErrorEnvelope, ErrorType};

/// An error answered by the server: the wire error's fields, its HTTP status and
/// `Retry-After`.
#[derive(Debug, Clone, PartialEq)]
pub struct ApiError {
    pub status: u16,
    pub error_type: ErrorType,
    pub code: String,
    pub message: String,
    pub details: Option<serde_json::Value>,
    pub request_id: String,
    pub service: Option<String>,
    pub retryable: bool,
    /// The `Retry-After` header, when the server sent one.
    pub retry_after: Option<Duration>,
}

/// Everything that can go wrong in a call.
#[derive(Debug, Clone, thiserror::Error)]
pub enum KiroError {
    /// The server answered with an error body (boxed: it is much larger than the others).
    #[error("{} {}: {} (request {})", .0.status, .0.code, .0.message, .0.request_id)]
    Api(Box<ApiError>),
    /// The server could not be reached.
    #[error("cannot reach the server: {0}")]
    Connection(String),
    /// The request timed out.
    #[error("the request timed out")]
    Timeout,
    /// The server's API version is outside the range this client supports.
    #[error("server API {server} is not supported by this client (supports {client})")]
    Incompatible { server: String, client: String },
    /// A response body did not have the expected shape.
    #[error("cannot decode the response: {0}")]
    Decode(String),
    /// The local token file could not be read or written.
    #[error("token storage: {0}")]
    Storage(String),
    /// The offline queue's local database could not be read or written.
    #[error("offline queue: {0}")]
    Offline(String),
}

impl KiroError {
    /// Whether the same request may be sent again unchanged.
    pub fn retryable(&self) -> bool {
        match self {
            KiroError::Api(api) => api.retryable,
            KiroError::Connection(_) | KiroError::Timeout => true,
            KiroError::Incompatible { .. }
            | KiroError::Decode(_)
            | KiroError::Storage(_)
            | KiroError::Offline(_) => false,
        }
    }

    /// The stable dotted code of a server error, e.g. `auth.token_expired`.
    pub fn code(&self) -> Option<&str> {
        match self {
            KiroError::Api(api) => Some(&api.code),
            _ => None,
        }
    }

    /// The HTTP status of a server error.
    pub fn status(&self) -> Option<u16> {
        match self {
            KiroError::Api(api) => Some(api.status),
            _ => None,
        }
    }

    /// How long the server asked to wait before a retry.
    pub fn retry_after(&self) -> Option<Duration> {
        match self {
            KiroError::Api(api) => api.retry_after,
            _ => None,
        }
    }

    /// Decodes an error response from its status, `Retry-After` header and body.
    pub(crate) fn from_response(status: u16, retry_after: Option<Duration>, body: &[u8]) -> Self {
        let decoded = serde_json::from_slice::<ErrorEnvelope>(body)
            .map(|e| e.error)
            .or_else(|_| serde_json::from_slice::<OAuthErrorOut>(body).map(|e| e.kiro));
        match decoded {
            Ok(body) => Self::from_body(status, retry_after, body),
            Err(_) => Self::undecodable(status, retry_after, body),
        }
    }

    fn from_body(status: u16, retry_after: Option<Duration>, body: ErrorBody) -> Self {
        KiroError::Api(Box::new(ApiError {
            status,
            error_type: body.error_type,
            code: body.code,
            message: body.message,
            details: body.details,
            request_id: body.request_id,
            service: body.service,
            retryable: body.retryable,
            retry_after,
        }))
    }

    /// A non-2xx answer without a Kiro body (a proxy, say): typed from its status alone.
    fn undecodable(status: u16, retry_after: Option<Duration>, body: &[u8]) -> Self {
        let (error_type, retryable) = match status {
            408 => (ErrorType::TimeoutError, true),
            429 => (ErrorType::RateLimitError, true),
            502..=504 => (ErrorType::ServiceUnavailable, true),
            500..=599 => (ErrorType::ApiError, true),
            401 => (ErrorType::AuthenticationError, false),
            403 => (ErrorType::PermissionError, false),
            404 => (ErrorType::NotFound, false),
            409 => (ErrorType::Conflict, false),
            _ => (ErrorType::ApiError, false),
        };
        let text = String::from_utf8_lossy(body);
        KiroError::Api(Box::new(ApiError {
            status,
            error_type,
            code: format!("http.{status}"),
            message: text.chars().take(200).collect(),
            details: None,
            request_id: String::new(),
            service: None,
            retryable,
            retry_after,
        }))
    }

    pub(crate) fn from_reqwest(e: &reqwest::Error) -> Self {
        if e.is_timeout() {
            KiroError::Timeout
        } else if e.is_decode() {
            KiroError::Decode(e.to_string())
        } else {
            KiroError::Connection(error_chain(e))
        }
    }
}

fn error_chain(e: &dyn std::error::Error) -> String {
    let mut text = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        text.push_str(": ");
        text.push_str(&s.to_string());
        source = s.source();
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_the_envelope() {
        let body = br#"{"error":{"type":"RATE_LIMIT_ERROR","code":"auth.rate_limited","message":"slow down","timestamp":"t","requestId":"r1","retryable":true}}"#;
        let e = KiroError::from_response(429, Some(Duration::from_secs(3)), body);
        assert_eq!(e.code(), Some("auth.rate_limited"));
        assert!(e.retryable());
        assert_eq!(e.retry_after(), Some(Duration::from_secs(3)));
    }

    #[test]
    fn decodes_the_token_endpoint_body() {
        let body = br#"{"error":"invalid_grant","error_description":"bad","type":"AUTHENTICATION_ERROR","code":"oauth.invalid_grant","message":"bad","timestamp":"t","requestId":"r2","retryable":false}"#;
        let e = KiroError::from_response(400, None, body);
        assert_eq!(e.code(), Some("oauth.invalid_grant"));
        assert!(!e.retryable());
    }

    #[test]
    fn types_a_foreign_body_by_status() {
        let e = KiroError::from_response(502, None, b"<html>bad gateway</html>");
        assert_eq!(e.code(), Some("http.502"));
        assert!(e.retryable());
        assert!(!KiroError::from_response(400, None, b"").retryable());
    }
}
