//! Real-time sync: `client.subscribe(topics)` over one shared `/v1/events` WebSocket per
//! client (bearer in `Authorization`). A background task owns the socket; it subscribes the
//! union of every stream's topics and hands each event to the streams whose patterns match.
//!
//! It keeps a cursor — the last event id seen, or the `head` of its first subscription — and
//! whenever it connects again (the socket dropped, the server went away and came back, the
//! server closed it on shutdown, nothing arrived within `event_idle_timeout`, the client
//! was reconfigured) it subscribes with `since` = the cursor after a backoff, so streams see
//! no gap; events at or below the cursor are dropped, so they see no duplicate. An
//! `events.lagged` error resumes the same way on the same socket. Every event also drops the
//! cache entries it may have made stale, and every connection attempt feeds the connection
//! status. The task ends when the last stream is dropped or the client is.

use std::collections::HashSet;
use std::pin::Pin;
use std::sync::{Mutex, Weak};
use std::task::{Context, Poll};

use futures::{SinkExt, Stream, StreamExt};
use kiro_types::events::{ClientMessage, Event, ServerMessage};
use tokio::net::TcpStream;
use tokio::sync::{mpsc, watch};
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::http::HeaderValue;
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream};

use crate::client::{Inner, KiroClient};
use crate::error::KiroError;
use crate::retry::Backoff;
use crate::status::Outcome;
use crate::topics::{check_topics, topic_matches};

type Socket = WebSocketStream<MaybeTlsStream<TcpStream>>;

/// What the streams tell the socket task.
enum Command {
    /// A new stream's topics, to add to the live subscription.
    Subscribe(Vec<String>),
    /// Topics no stream wants any more.
    Unsubscribe(Vec<String>),
    /// Connect again now (new credentials or server); `reset` forgets the cursor.
    Reconnect { reset: bool },
}

struct Subscriber {
    id: u64,
    topics: Vec<String>,
    events: mpsc::UnboundedSender<Event>,
    /// Turns `true` once the server has confirmed every topic of the stream.
    confirmed: watch::Sender<bool>,
}

#[derive(Default)]
struct HubState {
    subscribers: Vec<Subscriber>,
    next_id: u64,
    /// To the running socket task; dropping it stops the task.
    commands: Option<mpsc::UnboundedSender<Command>>,
}

/// The streams of one client and the handle of its socket task.
#[derive(Default)]
pub(crate) struct SyncHub {
    state: Mutex<HubState>,
}

impl SyncHub {
    /// Makes the socket task connect again, if it runs. With `reset` (another server) the
    /// position is forgotten and streams are not [`EventStream::ready`] until the new server
    /// confirms them.
    pub(crate) fn reconnect(&self, reset: bool) {
        if reset && let Ok(state) = self.state.lock() {
            for subscriber in &state.subscribers {
                subscriber.confirmed.send_replace(false);
            }
        }
        self.command(Command::Reconnect { reset });
    }

    fn command(&self, command: Command) {
        if let Ok(state) = self.state.lock()
            && let Some(commands) = &state.commands
        {
            let _ = commands.send(command);
        }
    }

    /// Every topic some stream wants.
    fn union(&self) -> Vec<String> {
        let Ok(state) = self.state.lock() else {
            return Vec::new();
        };
        let mut topics: Vec<String> = state
            .subscribers
            .iter()
            .flat_map(|s| s.topics.iter().cloned())
            .collect();
        topics.sort();
        topics.dedup();
        topics
    }

    fn dispatch(&self, event: &Event) {
        if let Ok(state) = self.state.lock() {
            for subscriber in &state.subscribers {
                if subscriber
                    .topics
                    .iter()
                    .any(|p| topic_matches(p, &event.topic))
                {
                    let _ = subscriber.events.send(event.clone());
                }
            }
        }
    }

    /// Marks the streams whose topics are all in `confirmed` as live.
    fn confirm(&self, confirmed: &HashSet<String>) {
        if let Ok(state) = self.state.lock() {
            for subscriber in &state.subscribers {
                if subscriber.topics.iter().all(|t| confirmed.contains(t)) {
                    subscriber
                        .confirmed
                        .send_if_modified(|live| !std::mem::replace(live, true));
                }
            }
        }
    }

    fn remove(&self, id: u64) {
        let Ok(mut state) = self.state.lock() else {
            return;
        };
        let Some(at) = state.subscribers.iter().position(|s| s.id == id) else {
            return;
        };
        let gone = state.subscribers.remove(at);
        if state.subscribers.is_empty() {
            state.commands = None;
            return;
        }
        let orphaned: Vec<String> = gone
            .topics
            .into_iter()
            .filter(|t| !state.subscribers.iter().any(|s| s.topics.contains(t)))
            .collect();
        if !orphaned.is_empty()
            && let Some(commands) = &state.commands
        {
            let _ = commands.send(Command::Unsubscribe(orphaned));
        }
    }
}

/// The events of one subscription, in id order, without gaps or duplicates across
/// reconnections. It ends only when dropped (or if the socket task could not be kept
/// running, which needs the runtime to be shutting down). Keeps its client alive.
pub struct EventStream {
    events: mpsc::UnboundedReceiver<Event>,
    id: u64,
    confirmed: watch::Receiver<bool>,
    client: KiroClient,
}

impl EventStream {
    /// Completes once the server has confirmed the subscription: every change committed
    /// after this is delivered. Fails only when the client is shutting down.
    pub async fn ready(&mut self) -> Result<(), KiroError> {
        self.confirmed
            .wait_for(|live| *live)
            .await
            .map(|_| ())
            .map_err(|_| KiroError::Connection("the event socket task has stopped".into()))
    }
}

impl std::fmt::Debug for EventStream {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("EventStream").field("id", &self.id).finish()
    }
}

impl Stream for EventStream {
    type Item = Event;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Event>> {
        self.events.poll_recv(cx)
    }
}

impl Drop for EventStream {
    fn drop(&mut self) {
        self.client.inner.sync.remove(self.id);
    }
}

impl KiroClient {
    /// Events of `topics` (`*`, `<service>`, `<service>.*`, `<service>.<resource>.*`,
    /// `<service>.<resource>.<id>`) from now on, over the client's one event socket (opened
    /// on the first subscription). Sign in first: the socket carries the bearer token.
    /// Needs a Tokio runtime.
    pub fn subscribe<I, S>(&self, topics: I) -> Result<EventStream, KiroError>
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        let topics: Vec<String> = topics.into_iter().map(Into::into).collect();
        check_topics(&topics)?;
        let (tx, rx) = mpsc::unbounded_channel();
        let (confirmed, confirmed_rx) = watch::channel(false);
        let hub = &self.inner.sync;
        let mut state = hub
            .state
            .lock()
            .map_err(|_| KiroError::Connection("the event hub is poisoned".into()))?;
        let id = state.next_id;
        state.next_id += 1;
        state.subscribers.push(Subscriber {
            id,
            topics: topics.clone(),
            events: tx,
            confirmed,
        });
        match &state.commands {
            Some(commands) if !commands.is_closed() => {
                let _ = commands.send(Command::Subscribe(topics));
            }
            _ => {
                let (commands, receiver) = mpsc::unbounded_channel();
                state.commands = Some(commands);
                let alive = self.inner.alive.subscribe();
                tokio::spawn(run(self.downgrade(), alive, receiver));
            }
        }
        drop(state);
        Ok(EventStream {
            events: rx,
            id,
            confirmed: confirmed_rx,
            client: self.clone(),
        })
    }
}

/// How a connection ended.
enum End {
    /// The client or every stream is gone.
    Stop,
    /// Connect again after a backoff.
    Lost,
    /// Connect again at once.
    Now,
}

struct Task {
    client: Weak<Inner>,
    alive: watch::Receiver<()>,
    commands: mpsc::UnboundedReceiver<Command>,
    /// The last event id seen (or the head when first subscribed).
    cursor: Option<i64>,
    /// The topics the server confirmed on the current connection.
    confirmed: HashSet<String>,
}

async fn run(
    client: Weak<Inner>,
    alive: watch::Receiver<()>,
    commands: mpsc::UnboundedReceiver<Command>,
) {
    let mut task = Task {
        client,
        alive,
        commands,
        cursor: None,
        confirmed: HashSet::new(),
    };
    let mut backoff: Option<Backoff> = None;
    loop {
        let end = match task.open().await {
            Ok(Some(socket)) => {
                backoff = None;
                task.serve(socket).await
            }
            Ok(None) => End::Stop,
            Err(_) => End::Lost,
        };
        match end {
            End::Stop => return,
            End::Now => continue,
            End::Lost => {}
        }
        let Some(inner) = task.client.upgrade() else {
            return;
        };
        let delay = backoff
            .get_or_insert_with(|| Backoff::new(&inner.transport.endpoint().retry))
            .next_delay(None);
        drop(inner);
        tokio::select! {
            _ = task.alive.changed() => return,
            () = tokio::time::sleep(delay) => {}
            command = task.commands.recv() => match command {
                None => return,
                Some(Command::Reconnect { reset: true }) => task.cursor = None,
                Some(_) => {}
            },
        }
    }
}

impl Task {
    /// Connects and subscribes every stream's topics since the cursor; `None` when there is
    /// no client or no stream left.
    async fn open(&mut self) -> Result<Option<Socket>, KiroError> {
        let Some(inner) = self.client.upgrade() else {
            return Ok(None);
        };
        let topics = inner.sync.union();
        if topics.is_empty() {
            return Ok(None);
        }
        let endpoint = inner.transport.endpoint();
        let connected = async {
            let bearer = inner.auth.bearer(&inner.transport).await?;
            let mut request = endpoint
                .events_url()
                .into_client_request()
                .map_err(|e| KiroError::Connection(e.to_string()))?;
            if let Some(token) = bearer {
                let value = HeaderValue::from_str(&format!("Bearer {token}"))
                    .map_err(|e| KiroError::Connection(e.to_string()))?;
                request.headers_mut().insert("authorization", value);
            }
            let handshake = tokio_tungstenite::connect_async(request);
            match tokio::time::timeout(endpoint.timeout, handshake).await {
                Err(_) => Err(KiroError::Timeout),
                Ok(Err(e)) => Err(handshake_error(e)),
                Ok(Ok((socket, _))) => Ok(socket),
            }
        };
        let result = tokio::select! {
            _ = self.alive.changed() => return Ok(None),
            result = connected => result,
        };
        let transport = &inner.transport;
        let outcome = match &result {
            Ok(_) => Outcome::Answered,
            Err(error) => Outcome::of_error(error),
        };
        transport
            .status
            .record_all(outcome, transport.health.connection_degraded());
        let mut socket = result?;
        let subscribe = ClientMessage::Subscribe {
            topics,
            since: self.cursor,
            workspace_id: None,
        };
        send(&mut socket, &subscribe).await?;
        Ok(Some(socket))
    }

    /// Runs one connection to its end.
    async fn serve(&mut self, mut socket: Socket) -> End {
        self.confirmed.clear();
        let idle = match self.client.upgrade() {
            Some(inner) => KiroClient { inner }.config().event_idle_timeout,
            None => return End::Stop,
        };
        loop {
            tokio::select! {
                _ = self.alive.changed() => {
                    let _ = socket.close(None).await;
                    return End::Stop;
                }
                command = self.commands.recv() => {
                    let message = match command {
                        None => {
                            let _ = socket.close(None).await;
                            return End::Stop;
                        }
                        Some(Command::Reconnect { reset }) => {
                            if reset {
                                self.cursor = None;
                            }
                            let _ = socket.close(None).await;
                            return End::Now;
                        }
                        Some(Command::Subscribe(topics)) => ClientMessage::Subscribe {
                            topics,
                            since: None,
                            workspace_id: None,
                        },
                        Some(Command::Unsubscribe(topics)) => {
                            self.confirmed.retain(|t| !topics.contains(t));
                            ClientMessage::Unsubscribe { topics }
                        }
                    };
                    if send(&mut socket, &message).await.is_err() {
                        return End::Lost;
                    }
                }
                frame = tokio::time::timeout(idle, socket.next()) => {
                    let frame = match frame {
                        Ok(Some(Ok(frame))) => frame,
                        _ => return End::Lost,
                    };
                    let reply = match frame {
                        Message::Text(text) => match serde_json::from_str(text.as_str()) {
                            Ok(message) => self.on_message(message),
                            Err(_) => None,
                        },
                        Message::Ping(data) => {
                            if socket.send(Message::Pong(data)).await.is_err() {
                                return End::Lost;
                            }
                            None
                        }
                        Message::Close(_) => return End::Lost,
                        Message::Binary(_) | Message::Pong(_) | Message::Frame(_) => None,
                    };
                    if let Some(reply) = reply
                        && send(&mut socket, &reply).await.is_err()
                    {
                        return End::Lost;
                    }
                }
            }
        }
    }

    /// Handles one server message; returns what to send back, if anything.
    fn on_message(&mut self, message: ServerMessage) -> Option<ClientMessage> {
        let inner = self.client.upgrade()?;
        match message {
            ServerMessage::Event { event } => {
                if self.cursor.is_some_and(|seen| event.id <= seen) {
                    return None;
                }
                self.cursor = Some(event.id);
                inner.cache.invalidate_event(&event);
                inner.sync.dispatch(&event);
                None
            }
            ServerMessage::Subscribed { head, topics } => {
                self.cursor.get_or_insert(head);
                self.confirmed.extend(topics);
                inner.sync.confirm(&self.confirmed);
                None
            }
            ServerMessage::Error { code, .. } => {
                let since = match code.as_str() {
                    // Unsubscribed by the server: resume where this client is.
                    "events.lagged" => {
                        self.confirmed.clear();
                        self.cursor
                    }
                    // Another event log (a new database): start over at its head.
                    "events.since_ahead" => None,
                    // Events were lost to retention: cached answers may be stale.
                    "events.expired" => {
                        inner.cache.clear();
                        None
                    }
                    _ => return None,
                };
                if since.is_none() {
                    self.cursor = None;
                }
                Some(ClientMessage::Subscribe {
                    topics: inner.sync.union(),
                    since,
                    workspace_id: None,
                })
            }
            ServerMessage::Unsubscribed { .. } | ServerMessage::Pong => None,
        }
    }
}

async fn send(socket: &mut Socket, message: &ClientMessage) -> Result<(), KiroError> {
    let text = serde_json::to_string(message).map_err(|e| KiroError::Decode(e.to_string()))?;
    socket
        .send(Message::text(text))
        .await
        .map_err(|e| KiroError::Connection(e.to_string()))
}

/// A failed WebSocket handshake as a [`KiroError`]: the server's error body when it answered.
fn handshake_error(error: tokio_tungstenite::tungstenite::Error) -> KiroError {
    use tokio_tungstenite::tungstenite::Error;
    match error {
        Error::Http(response) => {
            let status = response.status().as_u16();
            let body = response.body().clone().unwrap_or_default();
            KiroError::from_response(status, None, &body)
        }
        other => KiroError::Connection(other.to_string()),
    }
}
