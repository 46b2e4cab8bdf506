//! The `Idempotency-Key` middleware (DESIGN.md §3): an authenticated `POST` carrying the
//! header runs once per principal and key, and a repeat of the same request gets the first
//! response again, marked `Idempotency-Replayed: true`. The rules (claim, replay, key reuse,
//! which statuses are kept) are kiro-core's [`IdempotencyService`]; this module reads the
//! header, buffers and hashes the request, and stores and replays responses.
//!
//! It sits inside the request context (replays get their own request id) and the timeout,
//! and outside panic catching, so a panic is a 500 it sees and does not store. A request
//! that is dropped midway (timeout, client gone) gives its key up from a drop guard; a server
//! that dies midway leaves a claim whose short lease runs out. [`spawn_sweeper`] deletes
//! expired keys every [`SWEEP_INTERVAL`].

use std::sync::Arc;
use std::time::Duration;

use axum::body::{Body, Bytes};
use axum::extract::{FromRequestParts, Request, State};
use axum::http::{HeaderMap, HeaderName, HeaderValue, Method, StatusCode, Uri, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use http_body_util::{BodyExt, LengthLimitError, Limited};
pub use kiro_core::idempotency::MAX_KEY_LEN;
use kiro_core::idempotency::{
    Begin, IdempotencyClaim, IdempotencyService, StoredResponse, is_stored, is_valid_key,
};
use kiro_core::principal::Principal;
use kiro_types::ErrorCode;
use sha2::{Digest, Sha256};
use tokio::task::JoinHandle;

use crate::context::{Rendered, RequestId, finalize};
use crate::error::ApiError;
use crate::extract::{Authenticated, WORKSPACE_HEADER};
use crate::state::AppState;

/// The request header naming the key.
pub const IDEMPOTENCY_KEY: HeaderName = HeaderName::from_static("idempotency-key");

/// The response header marking a replay.
pub const IDEMPOTENCY_REPLAYED: HeaderName = HeaderName::from_static("idempotency-replayed");

/// How often expired keys are deleted.
pub const SWEEP_INTERVAL: Duration = Duration::from_secs(10 * 60);

/// How much longer than the request timeout a running request holds its key.
const LEASE_MARGIN_SECS: u64 = 30;

/// The response headers stored and replayed; the rest (length, date, request id) are the
/// replay's own.
const REPLAYED_HEADERS: [HeaderName; 9] = [
    header::CONTENT_TYPE,
    header::LOCATION,
    header::ETAG,
    header::LAST_MODIFIED,
    header::CACHE_CONTROL,
    header::RETRY_AFTER,
    header::WWW_AUTHENTICATE,
    header::ALLOW,
    header::LINK,
];

/// How long a running request holds its key: past the request timeout, and never longer
/// than a stored response is kept.
pub fn lease(request_timeout_secs: u64) -> chrono::Duration {
    let ttl = kiro_core::idempotency::RESPONSE_TTL;
    let secs = request_timeout_secs.saturating_add(LEASE_MARGIN_SECS);
    i64::try_from(secs)
        .ok()
        .and_then(chrono::Duration::try_seconds)
        .map_or(ttl, |lease| lease.min(ttl))
}

/// The middleware.
pub async fn idempotency(State(state): State<AppState>, request: Request, next: Next) -> Response {
    if request.method() != Method::POST || !request.headers().contains_key(IDEMPOTENCY_KEY) {
        return next.run(request).await;
    }
    let (mut parts, body) = request.into_parts();
    // Without valid credentials the header is ignored: unauthenticated routes (register,
    // token) run as usual, and the others refuse the request themselves.
    let Ok(Authenticated(principal)) = Authenticated::from_request_parts(&mut parts, &state).await
    else {
        return next.run(Request::from_parts(parts, body)).await;
    };
    run_once(&state, &principal, Request::from_parts(parts, body), next)
        .await
        .unwrap_or_else(IntoResponse::into_response)
}

async fn run_once(
    state: &AppState,
    principal: &Principal,
    request: Request,
    next: Next,
) -> Result<Response, ApiError> {
    let (parts, body) = request.into_parts();
    let key = idempotency_key(&parts.headers)?;
    let limit = if crate::routes::assessment::is_upload_path(parts.uri.path()) {
        state.config.server.max_upload_bytes
    } else {
        state.config.server.max_body_bytes
    };
    let bytes = read_body(body, usize::try_from(limit).unwrap_or(usize::MAX)).await?;
    let hash = request_hash(
        &parts.method,
        &parts.uri,
        parts.headers.get(WORKSPACE_HEADER),
        &bytes,
    );
    let begun = begin_detached(state.idempotency.clone(), principal.clone(), key, hash).await?;
    let claim = match begun {
        Begin::Run(claim) => claim,
        Begin::Replay(stored) => return Ok(replay(stored)),
        Begin::InProgress => {
            return Err(ApiError::new(
                ErrorCode::IdempotencyInProgress,
                "a request with this Idempotency-Key is still running; retry shortly to get its response",
            )
            .with_retry_after(1));
        }
        Begin::KeyReused => {
            return Err(ApiError::new(
                ErrorCode::IdempotencyKeyReused,
                "this Idempotency-Key was already used with a different request; \
                 send a new key with a new request",
            ));
        }
    };
    let held = Held::new(state.idempotency.clone(), claim);
    let request_id = parts
        .extensions
        .get::<RequestId>()
        .map(|id| id.0.clone())
        .unwrap_or_default();
    let method = parts.method.clone();

    let response = next
        .run(Request::from_parts(parts, Body::from(bytes)))
        .await;

    if !is_stored(response.status().as_u16()) {
        held.release().await;
        return Ok(response);
    }
    // The error body is written now, with this request's id, so the replay is the same bytes.
    let (parts, body) = finalize(response, &request_id, &method).into_parts();
    let body = match body.collect().await {
        Ok(collected) => collected.to_bytes(),
        Err(e) => {
            held.release().await;
            return Err(ApiError::internal(format!(
                "cannot buffer the response to store it: {e}"
            )));
        }
    };
    let stored = StoredResponse {
        status: parts.status.as_u16(),
        headers: replayed_headers(&parts.headers),
        body: body.to_vec(),
    };
    held.complete(&stored).await;
    Ok(Response::from_parts(parts, Body::from(body)))
}

/// The key, or a 400 when the header is not 1 to 255 visible ASCII characters (or repeated).
fn idempotency_key(headers: &HeaderMap) -> Result<String, ApiError> {
    let invalid = || {
        ApiError::new(
            ErrorCode::RequestInvalidHeader,
            "Idempotency-Key must be one header of 1 to 255 visible ASCII characters",
        )
    };
    let mut values = headers.get_all(IDEMPOTENCY_KEY).iter();
    let (Some(value), None) = (values.next(), values.next()) else {
        return Err(invalid());
    };
    match value.to_str() {
        Ok(key) if is_valid_key(key) => Ok(key.to_owned()),
        _ => Err(invalid()),
    }
}

/// Buffers the body, refusing more than `limit` bytes as the routes' body limit would.
async fn read_body(body: Body, limit: usize) -> Result<Bytes, ApiError> {
    match Limited::new(body, limit).collect().await {
        Ok(collected) => Ok(collected.to_bytes()),
        Err(e) if e.is::<LengthLimitError>() => Err(ApiError::new(
            ErrorCode::RequestPayloadTooLarge,
            "the request body is larger than this route accepts",
        )),
        Err(e) => Err(ApiError::new(
            ErrorCode::RequestInvalidJson,
            format!("the request body could not be read: {e}"),
        )),
    }
}

/// What makes two requests "the same": SHA-256 (hex) over the method, path, query, the
/// workspace header (it picks the tenant the request acts in) and the body bytes, each part
/// length-prefixed so that no two different requests run together into one input.
pub fn request_hash(
    method: &Method,
    uri: &Uri,
    workspace: Option<&HeaderValue>,
    body: &[u8],
) -> String {
    let mut hasher = Sha256::new();
    let parts: [&[u8]; 5] = [
        method.as_str().as_bytes(),
        uri.path().as_bytes(),
        uri.query().unwrap_or("").as_bytes(),
        workspace.map_or(&[][..], HeaderValue::as_bytes),
        body,
    ];
    for part in parts {
        hasher.update(u64::try_from(part.len()).unwrap_or(u64::MAX).to_be_bytes());
        hasher.update(part);
    }
    hasher
        .finalize()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

fn replayed_headers(headers: &HeaderMap) -> Vec<(String, String)> {
    REPLAYED_HEADERS
        .iter()
        .flat_map(|name| {
            headers.get_all(name).iter().filter_map(move |value| {
                Some((name.as_str().to_owned(), value.to_str().ok()?.to_owned()))
            })
        })
        .collect()
}

/// The stored response, marked as a replay.
fn replay(stored: StoredResponse) -> Response {
    let mut response = Response::new(Body::from(stored.body));
    *response.status_mut() =
        StatusCode::from_u16(stored.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let headers = response.headers_mut();
    for (name, value) in stored.headers {
        if let (Ok(name), Ok(value)) = (
            HeaderName::from_bytes(name.as_bytes()),
            HeaderValue::from_str(&value),
        ) {
            headers.append(name, value);
        }
    }
    headers.insert(IDEMPOTENCY_REPLAYED, HeaderValue::from_static("true"));
    response.extensions_mut().insert(Rendered);
    response
}

/// [`IdempotencyService::begin`], run to its end even when the request is dropped while it
/// runs (a timeout, a client gone): a claim that nobody waits for any more is released at
/// once, instead of holding the key until its lease runs out. Once the claim is handed over,
/// [`Held`] takes care of it with no await in between.
async fn begin_detached(
    service: Arc<IdempotencyService>,
    principal: Principal,
    key: String,
    hash: String,
) -> Result<Begin, ApiError> {
    let (tx, rx) = tokio::sync::oneshot::channel();
    tokio::spawn(async move {
        let begun = service.begin(&principal, &key, &hash).await;
        if let Err(Ok(Begin::Run(claim))) = tx.send(begun)
            && let Err(e) = service.release(&claim).await
        {
            tracing::warn!(error = %e, "cannot release an abandoned idempotency key");
        }
    });
    match rx.await {
        Ok(begun) => Ok(begun?),
        Err(_) => Err(ApiError::new(
            ErrorCode::ServerInternal,
            "the idempotency check stopped unexpectedly",
        )),
    }
}

/// A claimed key: completed or released explicitly, released from `Drop` when the request
/// is abandoned midway.
struct Held {
    service: Arc<IdempotencyService>,
    claim: Option<IdempotencyClaim>,
}

impl Held {
    fn new(service: Arc<IdempotencyService>, claim: IdempotencyClaim) -> Self {
        Self {
            service,
            claim: Some(claim),
        }
    }

    async fn release(mut self) {
        if let Some(claim) = self.claim.take()
            && let Err(e) = self.service.release(&claim).await
        {
            tracing::warn!(error = %e, "cannot release an idempotency key; its lease will end");
        }
    }

    /// Stores the response; when that fails the key is given up, so a retry runs again.
    async fn complete(mut self, response: &StoredResponse) {
        let Some(claim) = self.claim.take() else {
            return;
        };
        if let Err(e) = self.service.complete(&claim, response).await {
            tracing::warn!(error = %e, "cannot store a response for replay; releasing its key");
            if let Err(e) = self.service.release(&claim).await {
                tracing::warn!(error = %e, "cannot release an idempotency key; its lease will end");
            }
        }
    }
}

impl Drop for Held {
    fn drop(&mut self) {
        let Some(claim) = self.claim.take() else {
            return;
        };
        let service = self.service.clone();
        if let Ok(runtime) = tokio::runtime::Handle::try_current() {
            runtime.spawn(async move {
                if let Err(e) = service.release(&claim).await {
                    tracing::warn!(error = %e, "cannot release an abandoned idempotency key");
                }
            });
        }
    }
}

/// The periodic sweep of expired keys; stops when dropped.
#[derive(Debug)]
pub struct Sweeper(JoinHandle<()>);

impl Drop for Sweeper {
    fn drop(&mut self) {
        self.0.abort();
    }
}

/// Deletes expired keys now and every [`SWEEP_INTERVAL`].
pub fn spawn_sweeper(service: Arc<IdempotencyService>) -> Sweeper {
    Sweeper(tokio::spawn(async move {
        let mut ticks = tokio::time::interval(SWEEP_INTERVAL);
        ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            ticks.tick().await;
            match service.sweep().await {
                Ok(0) => {}
                Ok(swept) => tracing::debug!(swept, "deleted expired idempotency keys"),
                Err(e) => tracing::warn!(error = %e, "cannot delete expired idempotency keys"),
            }
        }
    }))
}

#[cfg(test)]
mod tests;
