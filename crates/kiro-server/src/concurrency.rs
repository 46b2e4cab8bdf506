//! Optimistic concurrency on the wire (DESIGN.md §3) for every resource with a `version`:
//! responses carry `ETag: "<version>"`, a `GET` whose `If-None-Match` already names the
//! current version answers 304 with no body, and a write's `If-Match: "<version>"` is the
//! version it expects (a stale one becomes a 409 in the service).
//!
//! Handlers of a versioned resource answer with [`Tagged`] (writes) or [`conditional_get`]
//! (reads), and read `If-Match` with [`if_match_version`].

use axum::Json;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use kiro_types::ErrorCode;
use serde::Serialize;

use crate::error::ApiError;

/// The strong entity tag of a version: `"3"`.
pub fn etag(version: i64) -> HeaderValue {
    // Digits, a minus sign and quotes are always a valid header value.
    HeaderValue::try_from(format!("\"{version}\"")).unwrap_or(HeaderValue::from_static("\"\""))
}

/// A versioned resource as a response: its JSON, with its `ETag`.
#[derive(Debug, Clone)]
pub struct Tagged<T> {
    pub status: StatusCode,
    pub version: i64,
    pub body: T,
}

impl<T> Tagged<T> {
    /// A 200 response of `body` at `version`.
    pub fn ok(version: i64, body: T) -> Self {
        Self {
            status: StatusCode::OK,
            version,
            body,
        }
    }
}

impl<T: Serialize> IntoResponse for Tagged<T> {
    fn into_response(self) -> Response {
        (
            self.status,
            [(header::ETAG, etag(self.version))],
            Json(self.body),
        )
            .into_response()
    }
}

/// A `GET` of a versioned resource: 304 Not Modified (with the `ETag`, no body) when the
/// request's `If-None-Match` names the current version or is `*`, else the resource.
pub fn conditional_get<T: Serialize>(headers: &HeaderMap, tagged: Tagged<T>) -> Response {
    if if_none_match(headers, tagged.version) {
        (
            StatusCode::NOT_MODIFIED,
            [(header::ETAG, etag(tagged.version))],
        )
            .into_response()
    } else {
        tagged.into_response()
    }
}

/// Whether `If-None-Match` matches `version`: a list of entity tags (weak ones compare by
/// their value, as RFC 9110 asks for this header) or `*`. An absent or unreadable header
/// matches nothing, so the full resource is sent.
pub fn if_none_match(headers: &HeaderMap, version: i64) -> bool {
    let current = version.to_string();
    headers
        .get_all(header::IF_NONE_MATCH)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(','))
        .map(str::trim)
        .any(|tag| tag == "*" || entity_tag_value(tag) == current)
}

/// The value inside an entity tag, accepting `"3"`, `W/"3"` and a bare `3`.
fn entity_tag_value(tag: &str) -> &str {
    tag.trim().trim_start_matches("W/").trim_matches('"')
}

/// The version an `If-Match: "<version>"` header expects; `None` without the header or for
/// `*` (any current version).
pub fn if_match_version(headers: &HeaderMap) -> Result<Option<i64>, ApiError> {
    let Some(value) = headers.get(header::IF_MATCH) else {
        return Ok(None);
    };
    let invalid = || {
        ApiError::new(
            ErrorCode::RequestInvalidHeader,
            "If-Match must be a resource version in quotes, like \"3\"",
        )
    };
    let value = value.to_str().map_err(|_| invalid())?.trim();
    if value == "*" {
        return Ok(None);
    }
    entity_tag_value(value)
        .parse::<i64>()
        .map(Some)
        .map_err(|_| invalid())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn with(name: header::HeaderName, values: &[&str]) -> HeaderMap {
        let mut headers = HeaderMap::new();
        for v in values {
            headers.append(name.clone(), HeaderValue::from_str(v).unwrap_or(etag(0)));
        }
        headers
    }

    #[test]
    fn if_none_match_takes_lists_weak_tags_and_a_star() {
        let matching = [
            vec!["\"3\""],
            vec!["W/\"3\""],
            vec!["\"1\", \"3\""],
            vec!["\"1\"", "\"3\""],
            vec!["*"],
        ];
        for values in matching {
            assert!(
                if_none_match(&with(header::IF_NONE_MATCH, &values), 3),
                "{values:?}"
            );
        }
        for values in [vec![], vec!["\"2\""], vec!["\"33\""], vec!["\"\""]] {
            assert!(
                !if_none_match(&with(header::IF_NONE_MATCH, &values), 3),
                "{values:?}"
            );
        }
    }

    #[test]
    fn if_match_is_a_quoted_version_or_a_star() {
        let read = |v: &[&str]| if_match_version(&with(header::IF_MATCH, v)).ok();
        assert_eq!(read(&[]), Some(None));
        assert_eq!(read(&["\"4\""]), Some(Some(4)));
        assert_eq!(read(&["W/\"4\""]), Some(Some(4)));
        assert_eq!(read(&["*"]), Some(None));
        assert_eq!(read(&["\"four\""]), None);
    }

    #[test]
    fn the_etag_is_the_quoted_version() {
        assert_eq!(etag(12), HeaderValue::from_static("\"12\""));
    }
}
