//! `GET /live`: Server-Sent Events for the open pages. The stream sends the connection
//! badge (`status`) and the service table (`health`) whenever they change, and the signed-in
//! user's Kiro events (`kiro`) as kiro-sdk's subscription delivers them.

use std::convert::Infallible;
use std::time::Duration;

use axum::extract::State;
use axum::response::sse::{Event, KeepAlive, Sse};
use futures::{Stream, StreamExt};

use super::WebState;
use super::session::SignedIn;
use super::view;

/// How often the stream re-reads the server's health.
pub const HEALTH_INTERVAL: Duration = Duration::from_secs(1);

pub async fn stream(
    State(state): State<WebState>,
    _signed_in: SignedIn,
) -> Sse<impl Stream<Item = Result<Event, Infallible>>> {
    let events = async_stream(state);
    Sse::new(events).keep_alive(KeepAlive::default())
}

fn async_stream(state: WebState) -> impl Stream<Item = Result<Event, Infallible>> {
    futures::stream::unfold(
        (state, None::<String>, None::<String>),
        |(state, mut last_status, mut last_health)| async move {
            loop {
                let overview = view::overview(&state).await;
                let status = serde_json::to_string(&overview.connection).unwrap_or_default();
                let health = serde_json::to_string(&serde_json::json!({
                    "services": overview.services
                }))
                .unwrap_or_default();
                let mut batch = Vec::new();
                if last_status.as_deref() != Some(status.as_str()) {
                    batch.push(Event::default().event("status").data(status.clone()));
                    last_status = Some(status);
                }
                if last_health.as_deref() != Some(health.as_str()) {
                    batch.push(Event::default().event("health").data(health.clone()));
                    last_health = Some(health);
                }
                if !batch.is_empty() {
                    let items = futures::stream::iter(batch.into_iter().map(Ok));
                    return Some((items, (state, last_status, last_health)));
                }
                tokio::time::sleep(HEALTH_INTERVAL).await;
            }
        },
    )
    .flatten()
}
