//! The WebSocket subscribers of `kiro-bench fanout`.
//!
//! Each one opens `ws://ADDR/v1/events` with `Authorization: Bearer <token>`,
//! sends `{"type":"subscribe","topics":[TOPIC]}` and waits for `subscribed`
//! ([`connect`]); the run starts only once all of them have. Then each reads on
//! its own task ([`read`]), stamping every frame on arrival (before parsing),
//! taking the writer's sequence number from the event's `data.name`
//! (`bench-<seq>`) and checking that each number arrives exactly once and in
//! order. Once the writer is done it announces how many it wrote and a
//! deadline; a subscriber stops when it has all of them or at the deadline.

use std::borrow::Cow;
use std::time::Duration;

use anyhow::{Context, bail};
use chrono::{DateTime, Utc};
use futures::{SinkExt, StreamExt};
use hdrhistogram::Histogram;
use serde::Deserialize;
use serde_json::json;
use tokio::net::TcpStream;
use tokio::sync::watch;
use tokio::time::{Instant, timeout_at};
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::http::HeaderValue;
use tokio_tungstenite::tungstenite::http::header::AUTHORIZATION;
use tokio_tungstenite::tungstenite::protocol::WebSocketConfig;
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream};

use crate::writer::NAME_PREFIX;

/// An open, subscribed `/v1/events` connection.
pub type Socket = WebSocketStream<MaybeTlsStream<TcpStream>>;

/// How long the upgrade plus the `subscribed` answer may take.
const SUBSCRIBE_DEADLINE: Duration = Duration::from_secs(10);
/// Highest latency the histograms track exactly (larger values saturate).
const MAX_TRACKED_MICROS: u64 = 60_000_000;
/// Characters of an unexpected server message kept for the report.
const QUOTED_CHARS: usize = 300;
/// The socket read buffer. tungstenite zero-fills its whole read buffer (128
/// KiB by default) before every read, including the read that finds no data
/// after each message; with ~200,000 messages/s that memset alone took most of
/// the bench's CPU. Events are a few hundred bytes.
const READ_BUFFER_BYTES: usize = 8 * 1024;

/// Opens the stream at `ws_url` and subscribes to `topic`.
pub async fn connect(ws_url: &str, token: &str, topic: &str) -> anyhow::Result<Socket> {
    let deadline = Instant::now() + SUBSCRIBE_DEADLINE;
    let mut request = ws_url
        .into_client_request()
        .with_context(|| format!("building a WebSocket request for {ws_url}"))?;
    let bearer = HeaderValue::from_str(&format!("Bearer {token}"))
        .context("the access token is not a valid header value")?;
    request.headers_mut().insert(AUTHORIZATION, bearer);
    let config = WebSocketConfig::default().read_buffer_size(READ_BUFFER_BYTES);
    let opened = tokio_tungstenite::connect_async_with_config(request, Some(config), true);
    let (mut socket, _) = timeout_at(deadline, opened)
        .await
        .context("the WebSocket upgrade timed out")?
        .with_context(|| format!("opening {ws_url}"))?;
    let subscribe = json!({ "type": "subscribe", "topics": [topic] }).to_string();
    socket
        .send(Message::text(subscribe))
        .await
        .context("sending subscribe")?;
    loop {
        let frame = timeout_at(deadline, socket.next())
            .await
            .context("no `subscribed` answer in time")?;
        let text = match frame {
            None => bail!("the server closed the connection before `subscribed`"),
            Some(Err(e)) => return Err(e).context("reading the answer to subscribe"),
            Some(Ok(Message::Text(text))) => text,
            Some(Ok(_)) => continue,
        };
        let message: Incoming<'_> = serde_json::from_str(text.as_str())
            .with_context(|| format!("the server sent a message that is not JSON: {text}"))?;
        match message.kind.as_ref() {
            "subscribed" => return Ok(socket),
            "error" => bail!("subscribe was refused: {text}"),
            _ => continue,
        }
    }
}

/// What one subscriber received.
pub struct Received {
    /// Which server the subscriber was connected to (index into the scenario's servers).
    pub group: usize,
    /// `(seq, receipt)` per event of the writer, in arrival order; receipt in
    /// microseconds since the run's time base.
    pub deliveries: Vec<(u32, u64)>,
    /// Receipt minus the event's `at` (wall clocks, millisecond `at`), µs.
    pub since_at: Histogram<u64>,
    /// Sequence numbers received more than once (each extra copy counts).
    pub duplicates: u64,
    /// Deliveries of a number lower than one already received.
    pub out_of_order: u64,
    /// Sequence numbers never received.
    pub missing: u64,
    /// Events and messages that were not the writer's renames (e.g. `error`).
    pub unexpected: u64,
    /// The first unexpected message, or why the connection ended early.
    pub first_problem: Option<String>,
}

/// The end of the writes, announced by the writer when it is done.
#[derive(Clone, Copy)]
pub struct End {
    /// Renames written: sequence numbers `1..=written`.
    pub written: u32,
    /// Subscribers stop reading at this time at the latest.
    pub deadline: Instant,
}

/// Reads `socket` until, after `end` is announced, every written sequence
/// number has arrived or the deadline has passed. `capacity` bounds the
/// sequence numbers (the most the writer may write).
pub async fn read(
    mut socket: Socket,
    group: usize,
    capacity: u32,
    base: Instant,
    mut end: watch::Receiver<Option<End>>,
) -> anyhow::Result<Received> {
    let capacity = usize::try_from(capacity).unwrap_or(0);
    let mut received = Received {
        group,
        deliveries: Vec::with_capacity(capacity),
        since_at: new_histogram()?,
        duplicates: 0,
        out_of_order: 0,
        missing: 0,
        unexpected: 0,
        first_problem: None,
    };
    let mut seen = vec![false; capacity + 1];
    let mut distinct = 0u32;
    let mut highest = 0u32;
    loop {
        let announced = *end.borrow_and_update();
        if let Some(end) = announced
            && distinct >= end.written
        {
            break;
        }
        let frame = tokio::select! {
            frame = socket.next() => frame,
            () = sleep_until(announced.map(|e| e.deadline)) => break,
            changed = end.changed(), if announced.is_none() => {
                if changed.is_err() {
                    break;
                }
                continue;
            }
        };
        let arrived = Instant::now();
        let wall = Utc::now();
        let text = match frame {
            Some(Ok(Message::Text(text))) => text,
            Some(Ok(_)) => continue,
            None => {
                received.note("the server closed the connection".to_owned());
                break;
            }
            Some(Err(e)) => {
                received.note(format!("reading failed: {e}"));
                break;
            }
        };
        let Some(event) = parse_event(text.as_str()) else {
            received.unexpected += 1;
            received.note(format!("unexpected message: {}", quote(text.as_str())));
            continue;
        };
        let Some(slot) = seen.get_mut(event.seq as usize).filter(|_| event.seq >= 1) else {
            received.unexpected += 1;
            received.note(format!(
                "sequence number out of range: {}",
                quote(text.as_str())
            ));
            continue;
        };
        if *slot {
            received.duplicates += 1;
        } else {
            *slot = true;
            distinct += 1;
        }
        if event.seq < highest {
            received.out_of_order += 1;
        }
        highest = highest.max(event.seq);
        received
            .deliveries
            .push((event.seq, micros_since(base, arrived)));
        let since_at = (wall - event.at).num_microseconds().unwrap_or(i64::MAX);
        let since_at = u64::try_from(since_at).unwrap_or(0);
        received.since_at.saturating_record(since_at.max(1));
    }
    // A connection that ended early still owes every rename the writer wrote.
    let written = match end.wait_for(Option::is_some).await {
        Ok(announced) => announced.map_or(0, |e| e.written),
        Err(_) => 0,
    };
    let written = usize::try_from(written).unwrap_or(0);
    let missing = seen
        .iter()
        .skip(1)
        .take(written)
        .filter(|got| !**got)
        .count();
    received.missing = u64::try_from(missing).unwrap_or(u64::MAX);
    Ok(received)
}

impl Received {
    fn note(&mut self, problem: String) {
        self.first_problem.get_or_insert(problem);
    }
}

/// A message from the server; only the fields the bench reads.
#[derive(Deserialize)]
struct Incoming<'a> {
    #[serde(rename = "type", borrow)]
    kind: Cow<'a, str>,
    #[serde(default, borrow)]
    event: Option<EventIn<'a>>,
}

#[derive(Deserialize)]
struct EventIn<'a> {
    #[serde(rename = "type", borrow)]
    kind: Cow<'a, str>,
    at: DateTime<Utc>,
    #[serde(borrow)]
    data: DataIn<'a>,
}

#[derive(Deserialize)]
struct DataIn<'a> {
    #[serde(borrow)]
    name: Cow<'a, str>,
}

/// A rename by the writer, as delivered.
struct Rename {
    seq: u32,
    at: DateTime<Utc>,
}

/// The writer's rename in `text`, or `None` for any other message.
fn parse_event(text: &str) -> Option<Rename> {
    let message: Incoming<'_> = serde_json::from_str(text).ok()?;
    let event = message.event.filter(|_| message.kind == "event")?;
    if event.kind != "tenancy.workspace.updated" {
        return None;
    }
    let seq = event.data.name.strip_prefix(NAME_PREFIX)?.parse().ok()?;
    Some(Rename { seq, at: event.at })
}

pub fn new_histogram() -> anyhow::Result<Histogram<u64>> {
    Histogram::new_with_bounds(1, MAX_TRACKED_MICROS, 3).context("creating a histogram")
}

pub fn micros_since(base: Instant, at: Instant) -> u64 {
    u64::try_from(at.saturating_duration_since(base).as_micros()).unwrap_or(u64::MAX)
}

async fn sleep_until(deadline: Option<Instant>) {
    match deadline {
        Some(deadline) => tokio::time::sleep_until(deadline).await,
        None => std::future::pending().await,
    }
}

fn quote(text: &str) -> String {
    match text.char_indices().nth(QUOTED_CHARS) {
        Some((cut, _)) => format!("{}…", &text[..cut]),
        None => text.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_rename_event_yields_its_sequence_number() {
        let text = r#"{"type":"event","event":{"id":7,"workspaceId":"w","topic":"tenancy.workspace.w",
            "type":"tenancy.workspace.updated","resourceId":"w","version":8,"actor":"user:u",
            "at":"2026-11-25T01:14:37.308Z","data":{"name":"bench-42"}}}"#;
        let rename = parse_event(text);
        assert_eq!(rename.as_ref().map(|r| r.seq), Some(42));
        assert_eq!(
            rename.map(|r| r.at.timestamp_millis()),
            Some(1_795_569_277_308)
        );
    }

    #[test]
    fn other_messages_are_not_renames() {
        assert!(parse_event(r#"{"type":"pong"}"#).is_none());
        assert!(parse_event(r#"{"type":"error","code":"events.lagged","message":"x"}"#).is_none());
        let other = r#"{"type":"event","event":{"type":"tenancy.workspace.updated",
            "at":"2026-11-25T01:14:37.308Z","data":{"name":"Renamed"}}}"#;
        assert!(parse_event(other).is_none());
    }

    #[test]
    fn long_messages_are_cut_when_quoted() {
        let long = "x".repeat(QUOTED_CHARS + 10);
        assert_eq!(quote(&long).chars().count(), QUOTED_CHARS + 1);
        assert_eq!(quote("short"), "short");
    }
}
