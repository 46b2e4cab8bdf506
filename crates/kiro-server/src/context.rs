//! The outermost middleware: gives every request an id (`X-Request-Id`, a client's own when
//! it is short and plain), a tracing span, a log line and metrics, and writes the body of
//! every error response in the wire format — including errors raised outside handlers
//! (unknown routes' 405s, panics, timeouts), so no response leaves without the envelope.

use std::time::Instant;

use axum::body::Body;
use axum::extract::{MatchedPath, Request};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use kiro_types::auth::OAuthErrorOut;
use kiro_types::{ErrorCode, ErrorEnvelope};
use tracing::Instrument;

use crate::error::{ApiError, ErrorReport};

/// The request id, in request extensions.
#[derive(Debug, Clone)]
pub struct RequestId(pub String);

/// Marks a response whose body is already final (an error body written early so it could be
/// stored, or a replayed response): [`finalize`] passes it through untouched.
#[derive(Debug, Clone, Copy)]
pub struct Rendered;

const REQUEST_ID: &str = "x-request-id";

fn accept_client_id(value: &HeaderValue) -> Option<String> {
    let s = value.to_str().ok()?;
    let plain = !s.is_empty()
        && s.len() <= 64
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-_.".contains(&b));
    plain.then(|| s.to_owned())
}

/// The middleware.
pub async fn request_context(mut request: Request, next: Next) -> Response {
    let id = request
        .headers()
        .get(REQUEST_ID)
        .and_then(accept_client_id)
        .unwrap_or_else(|| uuid::Uuid::now_v7().to_string());
    request.extensions_mut().insert(RequestId(id.clone()));
    let method = request.method().clone();
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map_or_else(|| "unmatched".to_owned(), |p| p.as_str().to_owned());
    let span = tracing::info_span!("request", request_id = %id, %method, %route);
    let started = Instant::now();
    span.in_scope(|| tracing::debug!("request started"));

    let response = next.run(request).instrument(span.clone()).await;
    let mut response = span.in_scope(|| finalize(response, &id, &method));

    if let Ok(value) = HeaderValue::from_str(&id) {
        response.headers_mut().insert(REQUEST_ID, value);
    }
    let status = response.status().as_u16();
    let elapsed = started.elapsed();
    crate::metrics::record_request(method.as_str(), &route, status, elapsed);
    span.in_scope(|| {
        tracing::info!(
            status,
            latency_ms = elapsed.as_secs_f64() * 1000.0,
            "request done"
        );
    });
    response
}

/// Writes the wire body of an error response, once: the result is marked [`Rendered`].
pub(crate) fn finalize(
    response: Response,
    request_id: &str,
    method: &axum::http::Method,
) -> Response {
    if response.extensions().get::<Rendered>().is_some() {
        return response;
    }
    let status = response.status();
    if let Some(ErrorReport(error)) = response.extensions().get::<ErrorReport>().cloned() {
        return render(response, &error, request_id);
    }
    if !(status.is_client_error() || status.is_server_error()) {
        return response;
    }
    // An error raised outside a handler: name it by its status.
    let error = match status {
        StatusCode::METHOD_NOT_ALLOWED => ApiError::new(
            ErrorCode::RouteMethodNotAllowed,
            format!(
                "{method} is not allowed on this route; the Allow header lists the methods it accepts"
            ),
        ),
        StatusCode::NOT_FOUND => ApiError::new(ErrorCode::RouteNotFound, "no such route"),
        StatusCode::PAYLOAD_TOO_LARGE => ApiError::new(
            ErrorCode::RequestPayloadTooLarge,
            "the request body is larger than this route accepts",
        ),
        StatusCode::REQUEST_TIMEOUT => ApiError::new(
            ErrorCode::RequestTimeout,
            "the request took too long and was stopped; try again",
        ),
        s if s.is_server_error() => ApiError::internal(format!("{s} raised outside a handler")),
        _ => ApiError::new(ErrorCode::RequestInvalidHeader, "the request was refused"),
    };
    let (parts, _) = error.clone().into_response().into_parts();
    let mut fresh = Response::from_parts(parts, Body::empty());
    for (name, value) in response.headers() {
        if name != header::CONTENT_TYPE && name != header::CONTENT_LENGTH {
            fresh.headers_mut().insert(name.clone(), value.clone());
        }
    }
    render(fresh, &error, request_id)
}

fn render(response: Response, error: &ApiError, request_id: &str) -> Response {
    if error.code.status() >= 500 {
        tracing::error!(
            code = %error.code,
            cause = error.cause.as_deref().unwrap_or("unknown"),
            "request failed"
        );
    }
    let body = error.to_body(request_id);
    let json = match error.oauth {
        Some(name) => serde_json::to_vec(&OAuthErrorOut {
            error: name.to_owned(),
            error_description: body.message.clone(),
            kiro: body,
        }),
        None => serde_json::to_vec(&ErrorEnvelope { error: body }),
    }
    .unwrap_or_default();
    let (mut parts, _) = response.into_parts();
    parts.headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    parts.headers.remove(header::CONTENT_LENGTH);
    parts.extensions.insert(Rendered);
    Response::from_parts(parts, Body::from(json))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    async fn body_json(response: Response) -> serde_json::Value {
        let bytes = axum::body::to_bytes(response.into_body(), 1 << 20)
            .await
            .unwrap();
        serde_json::from_slice(&bytes).unwrap()
    }

    #[tokio::test]
    async fn a_raw_500_is_rewritten_without_its_internals() {
        let raw = (
            StatusCode::INTERNAL_SERVER_ERROR,
            "panic at db.rs:42: password=hunter2",
        )
            .into_response();
        let response = finalize(raw, "req-1", &axum::http::Method::GET);
        assert_eq!(response.status(), StatusCode::INTERNAL_SERVER_ERROR);
        let body = body_json(response).await;
        assert_eq!(body["error"]["code"], "server.internal");
        assert_eq!(body["error"]["requestId"], "req-1");
        assert!(!body.to_string().contains("hunter2") && !body.to_string().contains("db.rs"));
    }

    #[tokio::test]
    async fn an_internal_api_error_logs_its_cause_but_sends_a_generic_message() {
        let error = ApiError::internal("connection refused to 10.0.0.5:5432");
        let response = finalize(error.into_response(), "req-2", &axum::http::Method::POST);
        let body = body_json(response).await;
        assert_eq!(body["error"]["retryable"], true);
        assert!(!body.to_string().contains("10.0.0.5"));
    }

    #[tokio::test]
    async fn an_error_body_is_written_once() {
        let error = ApiError::new(ErrorCode::ValidationFailed, "bad");
        let first = finalize(error.into_response(), "req-3", &axum::http::Method::POST);
        let again = finalize(first, "req-4", &axum::http::Method::POST);
        let body = body_json(again).await;
        assert_eq!(body["error"]["requestId"], "req-3");
    }

    #[test]
    fn client_request_ids_are_kept_only_when_plain() {
        let ok = HeaderValue::from_static("abc-123_x.y");
        assert_eq!(accept_client_id(&ok).as_deref(), Some("abc-123_x.y"));
        let hostile = HeaderValue::from_static("a b\"c");
        assert_eq!(accept_client_id(&hostile), None);
        let long = HeaderValue::from_str(&"a".repeat(65)).ok();
        assert_eq!(long.as_ref().and_then(accept_client_id), None);
    }
}
