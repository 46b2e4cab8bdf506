//! `GET /live`: Server-Sent Events for the open pages, fed by kiro-sdk. The stream sends the
//! connection badge (`status`) the moment the UI client's status changes, the service table
//! (`health`) and the sync panel (`sync`) when they change (checked once a second, as the
//! health monitor polls), and the signed-in user's Kiro events (`kiro`) as the session's
//! subscription delivers them, after a `ready` event once that subscription is confirmed
//! (a page that must not miss a change, such as a document being processed, re-reads its
//! state then: every later change arrives as an event).

use std::convert::Infallible;
use std::time::Duration;

use axum::extract::State;
use axum::response::sse::{Event, KeepAlive, Sse};
use futures::{Stream, StreamExt};
use tokio::sync::mpsc;

use super::session::SignedIn;
use super::sync::SyncView;
use super::{WebState, view};

/// How often the health table and the sync panel are compared with what was last sent.
const REFRESH: Duration = Duration::from_secs(1);

pub async fn stream(
    State(state): State<WebState>,
    signed_in: SignedIn,
) -> Sse<impl Stream<Item = Result<Event, Infallible>>> {
    let (tx, rx) = mpsc::channel::<Event>(64);
    tokio::spawn(feed(state, signed_in, tx));
    let events = futures::stream::unfold(rx, |mut rx| async move {
        rx.recv().await.map(|event| (Ok(event), rx))
    });
    Sse::new(events).keep_alive(KeepAlive::default())
}

/// Sends the page's updates until the browser goes away (the channel closes).
async fn feed(state: WebState, signed_in: SignedIn, tx: mpsc::Sender<Event>) {
    let session = signed_in.session;
    let mut status = state.system.on_connection_change();
    // A subscription that cannot start (e.g. Kiro is down) leaves the other updates running;
    // the SDK's stream itself reconnects once it exists.
    if let Ok(kiro) = session.client.subscribe(["*"]) {
        tokio::spawn(relay(kiro, tx.clone()));
    }
    let mut tick = tokio::time::interval(REFRESH);
    let (mut last_health, mut last_sync) = (String::new(), String::new());
    status.mark_changed();
    loop {
        let event = tokio::select! {
            changed = status.changed() => {
                if changed.is_err() {
                    return;
                }
                let view = view::status_view(*status.borrow_and_update());
                json_event("status", &view)
            }
            _ = tick.tick() => {
                let health = serde_json::json!({ "services": view::overview(&state).services });
                let sync = SyncView::of(&session).await;
                let health_text = health.to_string();
                let sync_text = serde_json::to_string(&sync).unwrap_or_default();
                if health_text != last_health {
                    last_health = health_text.clone();
                    if tx.send(Event::default().event("health").data(health_text)).await.is_err() {
                        return;
                    }
                }
                if sync_text == last_sync {
                    continue;
                }
                last_sync = sync_text.clone();
                Event::default().event("sync").data(sync_text)
            }
        };
        if tx.send(event).await.is_err() {
            return;
        }
    }
}

/// Sends `ready` once `kiro` is confirmed, then each of its events, until the browser goes
/// away.
async fn relay(mut kiro: kiro_sdk::EventStream, tx: mpsc::Sender<Event>) {
    let ready = tokio::select! {
        ready = kiro.ready() => ready,
        () = tx.closed() => return,
    };
    if ready.is_ok()
        && tx
            .send(Event::default().event("ready").data("{}"))
            .await
            .is_err()
    {
        return;
    }
    loop {
        let event = tokio::select! {
            event = kiro.next() => event,
            () = tx.closed() => return,
        };
        let Some(event) = event else { return };
        if tx.send(json_event("kiro", &event)).await.is_err() {
            return;
        }
    }
}

fn json_event(kind: &str, value: &impl serde::Serialize) -> Event {
    Event::default()
        .event(kind)
        .data(serde_json::to_string(value).unwrap_or_default())
}
