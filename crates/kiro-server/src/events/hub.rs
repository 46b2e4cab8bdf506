//! The event hub: one pump task per process that, whenever the store's head moves (a local
//! commit, or on PostgreSQL another process's NOTIFY), reads the events after the last one it
//! published — in id order, so none is skipped — and broadcasts them to every connection. A
//! connection that falls more than the buffer behind is told it lagged.

use std::sync::{Arc, Weak};
use std::time::Duration;

use axum::extract::ws::Utf8Bytes;
use kiro_core::Store;
use kiro_types::events::{Event, ServerMessage};
use tokio::sync::{broadcast, watch};

/// How often the pump re-reads the log even without a notification (a safety net for a
/// notification lost while the PostgreSQL listener reconnects).
const SAFETY_POLL: Duration = Duration::from_secs(2);
/// Events read per query.
const READ_BATCH: u32 = 500;

/// An event as broadcast: the record, and its `event` message serialised once for every
/// connection that forwards it.
#[derive(Debug)]
pub struct Published {
    pub event: Event,
    pub message: Utf8Bytes,
}

/// Fan-out of committed events within one process.
pub struct EventHub {
    sender: broadcast::Sender<Arc<Published>>,
    /// Turns `true` when the server shuts down: open connections close so that clients
    /// reconnect (to this server once it is back, or to another replica).
    closing: watch::Sender<bool>,
}

impl EventHub {
    /// Starts the pump; it stops when the hub is dropped.
    pub async fn start(store: Arc<dyn Store>, buffer: usize) -> Arc<Self> {
        let (sender, _) = broadcast::channel(buffer.max(16));
        let hub = Arc::new(Self {
            sender,
            closing: watch::Sender::new(false),
        });
        let start = store.events_head().await.unwrap_or(0);
        tokio::spawn(pump(store, Arc::downgrade(&hub), start));
        hub
    }

    /// A receiver of every event published from now on.
    pub fn subscribe(&self) -> broadcast::Receiver<Arc<Published>> {
        self.sender.subscribe()
    }

    /// Tells every open connection to close (the server is shutting down).
    pub fn close(&self) {
        self.closing.send_replace(true);
    }

    /// Completes once [`Self::close`] has been called.
    pub fn closing(&self) -> watch::Receiver<bool> {
        self.closing.subscribe()
    }
}

async fn pump(store: Arc<dyn Store>, hub: Weak<EventHub>, mut last: i64) {
    let mut head = store.watch_head();
    let mut poll = tokio::time::interval(SAFETY_POLL);
    loop {
        let Some(live) = hub.upgrade() else { return };
        loop {
            match store.list_events(None, last, READ_BATCH).await {
                Ok(batch) if batch.is_empty() => break,
                Ok(batch) => {
                    for event in batch {
                        last = event.id;
                        let message = ServerMessage::Event { event };
                        let Ok(json) = serde_json::to_string(&message) else {
                            continue;
                        };
                        let ServerMessage::Event { event } = message else {
                            continue;
                        };
                        let published = Published {
                            event,
                            message: Utf8Bytes::from(json),
                        };
                        let _ = live.sender.send(Arc::new(published));
                    }
                }
                Err(e) => {
                    tracing::warn!(error = %e, "cannot read new events");
                    break;
                }
            }
        }
        drop(live);
        tokio::select! {
            changed = head.changed() => if changed.is_err() { return },
            _ = poll.tick() => {}
        }
    }
}
