//! `POST /v1/batch`: up to 100 API requests in one round trip, run one after another through
//! the real router (the same routes, extractors and middleware) as the caller, answered in
//! order. One authentication check up front: every request carries the caller's principal
//! and credentials, and the caller's workspace unless it names its own. A request that fails
//! (including a malformed one) fails alone; the batch answers 200.
//!
//! The router batch requests run through is built without `/v1/batch` ([`BatchTarget`]), so
//! a batch can never reach another one whatever its path says.

use std::collections::BTreeMap;
use std::net::SocketAddr;

use axum::body::Body;
use axum::extract::{ConnectInfo, Extension, Request};
use axum::http::{Extensions, HeaderMap, HeaderName, HeaderValue, Method, Uri, header};
use axum::response::{IntoResponse, Response};
use axum::{Json, Router};
use http_body_util::BodyExt;
use kiro_types::batch::{BatchIn, BatchOut, BatchRequestIn, BatchResponseOut};
use kiro_types::{ErrorCode, ErrorEnvelope};
use serde_json::Value;
use tower::ServiceExt;

use crate::context::{RequestId, finalize};
use crate::error::ApiError;
use crate::extract::{Authenticated, ValidJson, WORKSPACE_HEADER};

/// The router batch requests run through: every route but the batch itself.
#[derive(Clone)]
pub struct BatchTarget(pub Router);

/// The caller's headers every request of the batch carries.
const INHERITED: [&str; 3] = ["authorization", "x-api-key", WORKSPACE_HEADER];

/// Headers a request of a batch may not set: it acts with the batch's credentials, and its
/// body is the `body` field, sent as JSON.
const RESERVED: [&str; 8] = [
    "authorization",
    "x-api-key",
    "cookie",
    "content-type",
    "content-length",
    "transfer-encoding",
    "host",
    "connection",
];

/// Run several API requests in one round trip, in order.
#[utoipa::path(post, path = "/v1/batch", tag = "batch", request_body = BatchIn,
    security(("bearer" = []), ("apiKey" = [])),
    params(("X-Kiro-Workspace" = Option<String>, Header,
        description = "Workspace id every request acts in unless it sets its own")),
    responses(
        (status = 200, description = "One response per request, in order", body = BatchOut),
        (status = 401, body = ErrorEnvelope),
        (status = 422, description = "Not 1 to 100 requests, or a malformed body", body = ErrorEnvelope),
    ))]
pub async fn batch(
    Extension(target): Extension<BatchTarget>,
    Authenticated(principal): Authenticated,
    extensions: Extensions,
    headers: HeaderMap,
    ValidJson(input): ValidJson<BatchIn>,
) -> Result<Json<BatchOut>, ApiError> {
    let request_id = extensions
        .get::<RequestId>()
        .map(|id| id.0.clone())
        .unwrap_or_default();
    let caller = Caller {
        principal: Authenticated(principal),
        headers: &headers,
        request_id: &request_id,
        peer: extensions.get::<ConnectInfo<SocketAddr>>().cloned(),
    };
    let mut responses = Vec::with_capacity(input.requests.len());
    for item in &input.requests {
        let response = match caller.request(item) {
            Ok(request) => match target.0.clone().oneshot(request).await {
                Ok(response) => response,
                Err(never) => match never {},
            },
            Err(error) => finalize(error.into_response(), &request_id, &Method::POST),
        };
        responses.push(response_out(response).await);
    }
    Ok(Json(BatchOut { responses }))
}

/// Who sent the batch, as each of its requests inherits it.
struct Caller<'a> {
    principal: Authenticated,
    headers: &'a HeaderMap,
    request_id: &'a str,
    peer: Option<ConnectInfo<SocketAddr>>,
}

impl Caller<'_> {
    /// One request of the batch, or the 400 that answers it.
    fn request(&self, item: &BatchRequestIn) -> Result<Request, ApiError> {
        let method = method(&item.method)?;
        let uri = path(&item.path)?;
        let mut request = Request::new(match &item.body {
            Some(body) => Body::from(serde_json::to_vec(body).map_err(ApiError::internal)?),
            None => Body::empty(),
        });
        *request.method_mut() = method;
        *request.uri_mut() = uri;
        let headers = request.headers_mut();
        for name in INHERITED {
            if let Some(value) = self.headers.get(name) {
                headers.insert(name, value.clone());
            }
        }
        if let Ok(id) = HeaderValue::from_str(self.request_id) {
            headers.insert("x-request-id", id);
        }
        if item.body.is_some() {
            headers.insert(
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/json"),
            );
        }
        for (name, value) in item.headers.iter().flatten() {
            let (name, value) = item_header(name, value)?;
            headers.insert(name, value);
        }
        request.extensions_mut().insert(self.principal.clone());
        if let Some(peer) = self.peer {
            request.extensions_mut().insert(peer);
        }
        Ok(request)
    }
}

fn invalid(message: String) -> ApiError {
    ApiError::new(ErrorCode::BatchInvalidRequest, message)
}

fn method(name: &str) -> Result<Method, ApiError> {
    const METHODS: [Method; 6] = [
        Method::GET,
        Method::HEAD,
        Method::POST,
        Method::PUT,
        Method::PATCH,
        Method::DELETE,
    ];
    METHODS
        .into_iter()
        .find(|m| m.as_str().eq_ignore_ascii_case(name))
        .ok_or_else(|| {
            invalid(format!(
                "unknown method `{name}`: use GET, HEAD, POST, PUT, PATCH or DELETE"
            ))
        })
}

fn path(path: &str) -> Result<Uri, ApiError> {
    let nested = path
        .strip_prefix("/v1/batch")
        .is_some_and(|rest| rest.is_empty() || rest.starts_with(['/', '?', '#']));
    if nested {
        return Err(ApiError::new(
            ErrorCode::BatchNested,
            "a batch cannot contain another batch",
        ));
    }
    if !path.starts_with("/v1/") {
        return Err(invalid(format!(
            "`{path}` is not an API path: it must start with /v1/"
        )));
    }
    path.parse::<Uri>()
        .ok()
        .filter(|uri| uri.scheme().is_none() && uri.authority().is_none())
        .ok_or_else(|| invalid(format!("`{path}` is not a valid path")))
}

fn item_header(name: &str, value: &str) -> Result<(HeaderName, HeaderValue), ApiError> {
    let name = HeaderName::from_bytes(name.as_bytes())
        .map_err(|_| invalid(format!("`{name}` is not a valid header name")))?;
    if RESERVED.contains(&name.as_str()) {
        return Err(invalid(format!(
            "a request in a batch cannot set `{name}`: it acts with the batch's credentials, \
             and its body is sent as JSON"
        )));
    }
    let value = HeaderValue::from_str(value)
        .map_err(|_| invalid(format!("the value of `{name}` is not a valid header value")))?;
    Ok((name, value))
}

/// A response as the batch reports it: headers joined per name, the body parsed as JSON.
async fn response_out(response: Response) -> BatchResponseOut {
    let (parts, body) = response.into_parts();
    let mut headers: BTreeMap<String, String> = BTreeMap::new();
    for (name, value) in &parts.headers {
        if name == header::CONTENT_LENGTH {
            continue;
        }
        let value = String::from_utf8_lossy(value.as_bytes());
        headers
            .entry(name.as_str().to_owned())
            .and_modify(|joined| {
                joined.push_str(", ");
                joined.push_str(&value);
            })
            .or_insert_with(|| value.into_owned());
    }
    let bytes = match body.collect().await {
        Ok(collected) => collected.to_bytes(),
        Err(e) => {
            tracing::warn!(error = %e, "cannot read the body of a batch response");
            Default::default()
        }
    };
    let body = if bytes.is_empty() {
        Value::Null
    } else {
        serde_json::from_slice(&bytes)
            .unwrap_or_else(|_| Value::String(String::from_utf8_lossy(&bytes).into_owned()))
    };
    BatchResponseOut {
        status: parts.status.as_u16(),
        headers,
        body,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_must_be_api_paths_and_not_batches() {
        let code = |p: &str| path(p).err().map(|e| e.code);
        assert_eq!(code("/v1/workspaces?limit=2"), None);
        assert_eq!(code("/v1/batchelors"), None);
        for nested in ["/v1/batch", "/v1/batch/", "/v1/batch?x=1"] {
            assert_eq!(code(nested), Some(ErrorCode::BatchNested), "{nested}");
        }
        for bad in [
            "/v2/workspaces",
            "v1/workspaces",
            "http://evil/v1/x",
            "/v1/a b",
            "",
        ] {
            assert_eq!(code(bad), Some(ErrorCode::BatchInvalidRequest), "{bad}");
        }
    }

    #[test]
    fn methods_are_the_usual_six_in_any_case() {
        assert_eq!(method("patch").ok(), Some(Method::PATCH));
        assert_eq!(method("GET").ok(), Some(Method::GET));
        assert!(method("BREW").is_err());
        assert!(method("CONNECT").is_err());
    }

    #[test]
    fn credentials_and_framing_cannot_be_set_per_request() {
        assert!(item_header("If-Match", "\"2\"").is_ok());
        assert!(item_header("X-Kiro-Workspace", "abc").is_ok());
        for reserved in ["Authorization", "x-api-key", "Content-Type", "Host"] {
            assert!(item_header(reserved, "x").is_err(), "{reserved}");
        }
        assert!(item_header("bad name", "x").is_err());
        assert!(item_header("x-ok", "line\nbreak").is_err());
    }
}
