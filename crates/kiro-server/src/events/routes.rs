//! `GET /v1/events`: a WebSocket upgrade for the live stream (token in `Authorization`, or
//! `?access_token=` for browsers), or, without an upgrade, a page of stored events for
//! clients that poll.

use axum::Json;
use axum::extract::ws::WebSocketUpgrade;
use axum::extract::ws::rejection::WebSocketUpgradeRejection;
use axum::extract::{Query, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use kiro_core::auth::{AuthError, Credential};
use kiro_core::events::TopicPattern;
use kiro_types::events::EventsPage;
use kiro_types::{ErrorCode, ErrorEnvelope, FieldError, WorkspaceId};
use serde::Deserialize;

use crate::error::ApiError;
use crate::extract::{WORKSPACE_HEADER, credential_from_headers};
use crate::state::AppState;

/// The per-connection read buffer.
const READ_BUFFER_BYTES: usize = 8 * 1024;

/// Query parameters of `GET /v1/events`.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct EventsQuery {
    /// Events after this id (polling; default 0).
    pub since: Option<i64>,
    /// Comma-separated topic patterns (default `*`).
    pub topics: Option<String>,
    /// 1 to 1000 (default 100).
    pub limit: Option<u32>,
    /// For browsers, which cannot set headers on a WebSocket.
    pub access_token: Option<String>,
}

/// The live event stream (WebSocket) or, without an upgrade, stored events after `since`.
#[utoipa::path(get, path = "/v1/events", tag = "events",
    security(("bearer" = []), ("apiKey" = [])),
    params(EventsQuery, ("X-Kiro-Workspace" = Option<String>, Header, description = "Only this workspace")),
    responses(
        (status = 101, description = "Switching to the WebSocket protocol of DESIGN.md §5"),
        (status = 200, description = "Stored events (polling)", body = EventsPage),
        (status = 400, description = "Bad topics, limit, or since beyond the head", body = ErrorEnvelope),
        (status = 410, description = "since is older than retention", body = ErrorEnvelope),
    ))]
pub async fn events(
    State(state): State<AppState>,
    upgrade: Result<WebSocketUpgrade, WebSocketUpgradeRejection>,
    headers: HeaderMap,
    Query(query): Query<EventsQuery>,
) -> Result<Response, ApiError> {
    let credential = match (credential_from_headers(&headers), &query.access_token) {
        (Ok(c), _) => c,
        (Err(AuthError::MissingCredentials), Some(token)) => Credential::Bearer(token.clone()),
        (Err(e), _) => return Err(e.into()),
    };
    let principal = state.auth.authenticate(credential.clone()).await?;
    if let Ok(upgrade) = upgrade {
        let max = usize::try_from(state.config.events.max_message_bytes).unwrap_or(usize::MAX);
        // Client messages are small: a small read buffer, because tungstenite zero-fills the
        // whole buffer before each read (at the 128 KiB default that was half the CPU of
        // fanning out to 1,000 subscribers).
        return Ok(upgrade
            .read_buffer_size(READ_BUFFER_BYTES)
            .max_message_size(max.saturating_mul(4).max(1 << 20))
            .on_upgrade(move |socket| super::socket::run(socket, state, credential, principal))
            .into_response());
    }
    let limit = query.limit.unwrap_or(100);
    if !(1..=1000).contains(&limit) {
        return Err(invalid("limit", "must be between 1 and 1000"));
    }
    let patterns = query
        .topics
        .as_deref()
        .unwrap_or("*")
        .split(',')
        .map(|t| TopicPattern::parse(t.trim()))
        .collect::<Result<Vec<_>, _>>()
        .map_err(|why| ApiError::new(ErrorCode::EventsInvalidTopic, why))?;
    let mut workspaces: Vec<WorkspaceId> = state
        .tenancy
        .all_workspaces(&principal)
        .await?
        .into_iter()
        .map(|(w, _)| w.id)
        .collect();
    if let Some(value) = headers.get(WORKSPACE_HEADER) {
        let wanted: WorkspaceId = value
            .to_str()
            .ok()
            .and_then(|v| v.trim().parse().ok())
            .ok_or_else(|| {
                ApiError::new(
                    ErrorCode::RequestInvalidHeader,
                    "X-Kiro-Workspace must be a workspace id (a UUID)",
                )
            })?;
        if !workspaces.contains(&wanted) {
            return Err(ApiError::new(
                ErrorCode::WorkspaceNotFound,
                "no workspace with this id",
            ));
        }
        workspaces = vec![wanted];
    }
    let since = query.since.unwrap_or(0);
    let head = state.store.events_head().await?;
    let swept = state.store.events_swept_through().await?;
    if since > head {
        return Err(ApiError::new(
            ErrorCode::EventsSinceAhead,
            format!("since {since} is after the latest event {head}"),
        ));
    }
    if since < swept {
        return Err(ApiError::new(
            ErrorCode::EventsExpired,
            format!(
                "events up to {swept} are past retention; reload your data, then poll from {head}"
            ),
        ));
    }
    let batch = state
        .store
        .list_events(Some(&workspaces), since, limit)
        .await?;
    let next_since = batch.last().map_or(since, |e| e.id);
    let items = batch
        .into_iter()
        .filter(|e| patterns.iter().any(|p| p.matches(&e.topic)))
        .collect();
    Ok(Json(EventsPage {
        items,
        next_since,
        head,
    })
    .into_response())
}

fn invalid(field: &str, message: &str) -> ApiError {
    ApiError::new(ErrorCode::RequestInvalidQuery, format!("`{field}` {message}")).with_details(
        serde_json::json!({ "fields": [FieldError { field: field.into(), message: message.into() }] }),
    )
}
