//! `PageQuery<L>`: the `?limit=&cursor=` of a list endpoint, checked and turned into a
//! kiro-core [`PageRequest`], and the opaque cursor codec.
//!
//! A cursor is URL-safe base64 (no padding) of a small JSON object naming the list it
//! belongs to and the sort key of the last item returned, e.g.
//! `{"list":"apiKeys","at":1750000000000,"id":"0190a5c2-…"}`. Clients must treat it as
//! opaque; the list name is there so a cursor handed to another list is refused instead of
//! silently meaning something else there. Each list is a marker type in [`lists`].

use std::marker::PhantomData;

use axum::extract::{FromRequestParts, Query};
use axum::http::request::Parts;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use kiro_core::{PageRequest, Paged, SortKey};
use kiro_types::{DEFAULT_PAGE_LIMIT, ErrorCode, FieldError, MAX_PAGE_LIMIT, Page};
use serde::{Deserialize, Serialize};

use crate::error::ApiError;

/// A paged list, named in its cursors.
pub trait Listing: Send + Sync + 'static {
    /// The list's name inside its cursors; unique among lists.
    const NAME: &'static str;
}

/// The paged lists, one marker type each.
pub mod lists {
    use super::Listing;

    macro_rules! listing {
        ($($(#[$doc:meta])* $name:ident = $wire:literal;)+) => {
            $(
                $(#[$doc])*
                #[derive(Debug, Clone, Copy)]
                pub struct $name;

                impl Listing for $name {
                    const NAME: &'static str = $wire;
                }
            )+
        };
    }

    listing! {
        /// `GET /v1/auth/api-keys`.
        ApiKeys = "apiKeys";
        /// `GET /v1/auth/clients`.
        Clients = "clients";
        /// `GET /v1/workspaces`.
        Workspaces = "workspaces";
        /// `GET /v1/workspaces/{id}/members`.
        Members = "members";
        /// `GET /v1/assessment/documents`.
        Documents = "documents";
        /// `GET /v1/assessment/assessments`.
        Assessments = "assessments";
        /// `GET /v1/planning/projects`.
        PlanningProjects = "planningProjects";
        /// `GET /v1/planning/projects/{id}/tasks`.
        PlanningTasks = "planningTasks";
        /// `GET /v1/execution/jobs`.
        ExecutionJobs = "executionJobs";
        /// `GET /v1/execution/scripts`.
        ExecutionScripts = "executionScripts";
    }
}

/// The checked paging parameters of a request to list `L`.
#[derive(Debug, Clone)]
pub struct PageQuery<L> {
    pub request: PageRequest,
    list: PhantomData<L>,
}

impl<L: Listing> PageQuery<L> {
    /// The wire page for a page of records, its `nextCursor` continuing list `L`.
    pub fn page<T, U>(&self, paged: Paged<T>, out: impl FnMut(&T) -> U) -> Page<U> {
        Page {
            items: paged.items.iter().map(out).collect(),
            next_cursor: paged.next.map(|key| encode_cursor(L::NAME, key)),
        }
    }
}

/// The query as sent, before checking: text, so a bad `limit` gets our own message.
#[derive(Debug, Deserialize)]
struct RawPageParams {
    limit: Option<String>,
    cursor: Option<String>,
}

/// The JSON inside a cursor.
#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct CursorBody {
    list: String,
    at: i64,
    id: String,
}

impl<L: Listing, S: Send + Sync> FromRequestParts<S> for PageQuery<L> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, ApiError> {
        let Query(raw) = Query::<RawPageParams>::try_from_uri(&parts.uri).map_err(|e| {
            ApiError::new(
                ErrorCode::RequestInvalidQuery,
                format!("the query string is malformed: {}", e.body_text()),
            )
        })?;
        let limit = parse_limit(raw.limit.as_deref())?;
        let after = match raw.cursor.as_deref() {
            None | Some("") => None,
            Some(cursor) => Some(decode_cursor(L::NAME, cursor)?),
        };
        Ok(PageQuery {
            request: PageRequest { limit, after },
            list: PhantomData,
        })
    }
}

fn field_error(code: ErrorCode, field: &str, message: String) -> ApiError {
    let details = serde_json::json!({
        "fields": [FieldError { field: field.into(), message: message.clone() }]
    });
    ApiError::new(code, message).with_details(details)
}

/// `limit`: absent means the default; otherwise a whole number within the bounds.
fn parse_limit(raw: Option<&str>) -> Result<u32, ApiError> {
    let Some(raw) = raw else {
        return Ok(DEFAULT_PAGE_LIMIT);
    };
    match raw.parse::<u32>() {
        Ok(limit) if (1..=MAX_PAGE_LIMIT).contains(&limit) => Ok(limit),
        _ => Err(field_error(
            ErrorCode::RequestInvalidQuery,
            "limit",
            format!(
                "`limit` must be a whole number from 1 to {MAX_PAGE_LIMIT} \
                 (default {DEFAULT_PAGE_LIMIT})"
            ),
        )),
    }
}

/// The cursor continuing list `list` after `key`.
fn encode_cursor(list: &str, key: SortKey) -> String {
    let body = CursorBody {
        list: list.to_owned(),
        at: key.at_ms,
        id: key.id,
    };
    // Serialising a struct of a string, an integer and a string cannot fail.
    let json = serde_json::to_vec(&body).unwrap_or_default();
    URL_SAFE_NO_PAD.encode(json)
}

/// The sort key inside a cursor for list `list`; `request.invalid_cursor` when the text is
/// not a cursor at all or belongs to another list.
fn decode_cursor(list: &str, cursor: &str) -> Result<SortKey, ApiError> {
    let body = URL_SAFE_NO_PAD
        .decode(cursor)
        .ok()
        .and_then(|json| serde_json::from_slice::<CursorBody>(&json).ok())
        .ok_or_else(|| {
            field_error(
                ErrorCode::RequestInvalidCursor,
                "cursor",
                "`cursor` is not a cursor this server gave out: pass a `nextCursor` back \
                 unchanged, or omit `cursor` to start from the first page"
                    .into(),
            )
        })?;
    if body.list != list {
        return Err(field_error(
            ErrorCode::RequestInvalidCursor,
            "cursor",
            format!(
                "this cursor continues the `{}` list, not `{list}`: a cursor only works on \
                 the list that returned it",
                body.list
            ),
        ));
    }
    Ok(SortKey {
        at_ms: body.at,
        id: body.id,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key() -> SortKey {
        SortKey {
            at_ms: 1_750_000_000_000,
            id: "0190a5c2-7b1e-7c3d-9f00-1a2b3c4d5e6f".into(),
        }
    }

    #[test]
    fn a_cursor_round_trips_on_its_own_list_only() {
        let cursor = encode_cursor("apiKeys", key());
        assert!(
            cursor
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'),
            "{cursor} is URL-safe"
        );
        assert_eq!(decode_cursor("apiKeys", &cursor).ok(), Some(key()));
        let elsewhere = decode_cursor("workspaces", &cursor).err();
        assert_eq!(
            elsewhere.map(|e| e.code),
            Some(ErrorCode::RequestInvalidCursor)
        );
    }

    #[test]
    fn garbage_is_not_a_cursor() {
        let not_json = URL_SAFE_NO_PAD.encode("{nope");
        let wrong_shape = URL_SAFE_NO_PAD.encode(r#"{"list":"apiKeys","at":"x","id":"y"}"#);
        for garbage in ["!!!", "abc", not_json.as_str(), wrong_shape.as_str()] {
            let code = decode_cursor("apiKeys", garbage).err().map(|e| e.code);
            assert_eq!(code, Some(ErrorCode::RequestInvalidCursor), "{garbage}");
        }
    }

    #[test]
    fn limits_outside_one_to_two_hundred_are_refused() {
        assert_eq!(parse_limit(None).ok(), Some(DEFAULT_PAGE_LIMIT));
        assert_eq!(parse_limit(Some("1")).ok(), Some(1));
        assert_eq!(parse_limit(Some("200")).ok(), Some(200));
        for bad in ["0", "201", "-1", "ten", "", "1.5"] {
            let code = parse_limit(Some(bad)).err().map(|e| e.code);
            assert_eq!(code, Some(ErrorCode::RequestInvalidQuery), "{bad}");
        }
    }
}
