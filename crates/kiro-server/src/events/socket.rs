//! One `/v1/events` WebSocket connection: parses client messages, subscribes (replaying
//! stored events after `since` with no gap and no duplicate against live delivery), forwards
//! live events its subscriptions want, answers pings, sends heartbeats, re-checks the
//! credential and the caller's workspaces on each heartbeat, and closes idle connections.
//! Bad messages get an `error` message; the connection stays up.

use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::extract::ws::{Message, Utf8Bytes, WebSocket};
use kiro_core::auth::Credential;
use kiro_core::events::TopicPattern;
use kiro_core::principal::Principal;
use kiro_types::events::{ClientMessage, Event, ServerMessage};
use kiro_types::{ErrorCode, WorkspaceId};
use tokio::sync::broadcast::{self, error::RecvError};

use super::hub::Published;
use super::subscription::{Subscription, Subscriptions};
use crate::state::AppState;

/// Replay reads this many events per query.
const REPLAY_BATCH: u32 = 500;

/// Why the loop ends.
enum Close {
    /// The client went away or the socket failed.
    Gone,
}

struct Connection {
    socket: WebSocket,
    state: AppState,
    credential: Credential,
    principal: Principal,
    subs: Subscriptions,
    live: Option<broadcast::Receiver<Arc<Published>>>,
    /// The id of the last live event processed, for the `lagged` hint.
    live_through: i64,
    last_heard: Instant,
}

/// Runs a connection to its end.
pub async fn run(socket: WebSocket, state: AppState, credential: Credential, principal: Principal) {
    let mut conn = Connection {
        socket,
        state,
        credential,
        principal,
        subs: Subscriptions::default(),
        live: None,
        live_through: 0,
        last_heard: Instant::now(),
    };
    let _ = conn.serve().await;
}

impl Connection {
    async fn serve(&mut self) -> Result<(), Close> {
        let config = self.state.config.events.clone();
        let mut heartbeat = tokio::time::interval(Duration::from_secs(config.heartbeat_secs));
        heartbeat.tick().await;
        let idle = Duration::from_secs(config.idle_timeout_secs);
        let max = usize::try_from(config.max_message_bytes).unwrap_or(usize::MAX);
        let mut closing = self.state.hub.closing();
        if *closing.borrow_and_update() {
            return Err(Close::Gone);
        }
        loop {
            tokio::select! {
                // The hub only ever turns to closing (or goes away with the server).
                _ = closing.changed() => {
                    let _ = self.socket.send(Message::Close(None)).await;
                    return Err(Close::Gone);
                }
                frame = self.socket.recv() => {
                    let Some(Ok(frame)) = frame else { return Err(Close::Gone) };
                    self.last_heard = Instant::now();
                    match frame {
                        Message::Text(text) if text.len() > max => {
                            self.error(ErrorCode::EventsMessageTooLarge,
                                format!("messages are limited to {max} bytes")).await?;
                        }
                        Message::Text(text) => self.handle(text.as_str()).await?,
                        Message::Binary(_) => {
                            self.error(ErrorCode::EventsInvalidMessage,
                                "send JSON text messages, not binary".into()).await?;
                        }
                        Message::Close(_) => return Err(Close::Gone),
                        Message::Ping(_) | Message::Pong(_) => {}
                    }
                }
                event = recv(&mut self.live) => self.on_live(event).await?,
                _ = heartbeat.tick() => {
                    if self.last_heard.elapsed() > idle {
                        let _ = self.socket.send(Message::Close(None)).await;
                        return Err(Close::Gone);
                    }
                    self.recheck().await?;
                    self.socket.send(Message::Ping(Default::default())).await.map_err(|_| Close::Gone)?;
                }
            }
        }
    }

    async fn send(&mut self, message: &ServerMessage) -> Result<(), Close> {
        let text = serde_json::to_string(message).map_err(|_| Close::Gone)?;
        self.socket
            .send(Message::Text(Utf8Bytes::from(text)))
            .await
            .map_err(|_| Close::Gone)
    }

    async fn error(&mut self, code: ErrorCode, message: String) -> Result<(), Close> {
        self.send(&ServerMessage::Error {
            code: code.as_str().to_owned(),
            message,
        })
        .await
    }

    async fn handle(&mut self, text: &str) -> Result<(), Close> {
        let message = match serde_json::from_str::<ClientMessage>(text) {
            Ok(m) => m,
            Err(e) => {
                return self
                    .error(
                        ErrorCode::EventsInvalidMessage,
                        format!(
                            "expected {{\"type\": \"subscribe\"|\"unsubscribe\"|\"ping\", …}}: {e}"
                        ),
                    )
                    .await;
            }
        };
        match message {
            ClientMessage::Ping => self.send(&ServerMessage::Pong).await,
            ClientMessage::Unsubscribe { topics } => {
                self.subs.remove(&topics);
                if self.subs.is_empty() {
                    self.live = None;
                }
                self.send(&ServerMessage::Unsubscribed { topics }).await
            }
            ClientMessage::Subscribe {
                topics,
                since,
                workspace_id,
            } => self.subscribe(topics, since, workspace_id).await,
        }
    }

    async fn subscribe(
        &mut self,
        topics: Vec<String>,
        since: Option<i64>,
        workspace: Option<WorkspaceId>,
    ) -> Result<(), Close> {
        if topics.is_empty() || topics.len() > 100 {
            return self
                .error(
                    ErrorCode::EventsInvalidTopic,
                    "subscribe to 1 to 100 topics".into(),
                )
                .await;
        }
        let mut patterns = Vec::with_capacity(topics.len());
        for topic in &topics {
            match TopicPattern::parse(topic) {
                Ok(p) => patterns.push(p),
                Err(why) => return self.error(ErrorCode::EventsInvalidTopic, why).await,
            }
        }
        if !self.refresh_workspaces().await? {
            return Ok(());
        }
        if let Some(ws) = workspace
            && !self.subs.allowed.contains(&ws)
        {
            return self
                .error(
                    ErrorCode::WorkspaceNotFound,
                    "no workspace with this id".into(),
                )
                .await;
        }
        if self.live.is_none() {
            self.live = Some(self.state.hub.subscribe());
        }
        let store = self.state.store.clone();
        let (head, swept) = match (
            store.events_head().await,
            store.events_swept_through().await,
        ) {
            (Ok(h), Ok(s)) => (h, s),
            _ => {
                return self
                    .error(
                        ErrorCode::ServiceUnavailable,
                        "the event log is unavailable; retry".into(),
                    )
                    .await;
            }
        };
        if let Some(since) = since {
            if since > head {
                return self
                    .error(
                        ErrorCode::EventsSinceAhead,
                        format!("since {since} is after the latest event {head}; resume from {head} or less"),
                    )
                    .await;
            }
            if since < swept {
                return self
                    .error(
                        ErrorCode::EventsExpired,
                        format!("events up to {swept} are past retention; reload your data, then subscribe without since"),
                    )
                    .await;
            }
        }
        let fresh: Vec<Subscription> = patterns
            .into_iter()
            .map(|pattern| Subscription {
                pattern,
                workspace,
                start: head,
            })
            .collect();
        self.send(&ServerMessage::Subscribed { topics, head })
            .await?;
        if let Some(since) = since {
            self.replay(&fresh, since, head).await?;
        }
        self.subs.add(fresh);
        Ok(())
    }

    async fn replay(&mut self, fresh: &[Subscription], since: i64, head: i64) -> Result<(), Close> {
        let workspaces: Vec<WorkspaceId> = self.subs.allowed.iter().copied().collect();
        let mut after = since;
        while after < head {
            let batch = match self
                .state
                .store
                .list_events(Some(&workspaces), after, REPLAY_BATCH)
                .await
            {
                Ok(b) => b,
                Err(_) => {
                    return self
                        .error(
                            ErrorCode::ServiceUnavailable,
                            "the event log is unavailable; retry".into(),
                        )
                        .await;
                }
            };
            if batch.is_empty() {
                break;
            }
            for event in batch {
                if event.id > head {
                    return Ok(());
                }
                after = event.id;
                if self.subs.deliver_replay(fresh, &event) {
                    self.send(&ServerMessage::Event { event }).await?;
                }
            }
        }
        Ok(())
    }

    async fn on_live(&mut self, published: Result<Arc<Published>, RecvError>) -> Result<(), Close> {
        match published {
            Ok(published) => {
                self.live_through = published.event.id;
                if self.changes_my_workspaces(&published.event) {
                    self.refresh_workspaces().await?;
                }
                if self.subs.deliver_live(&published.event) {
                    self.socket
                        .send(Message::Text(published.message.clone()))
                        .await
                        .map_err(|_| Close::Gone)?;
                }
                Ok(())
            }
            Err(RecvError::Lagged(missed)) => {
                self.subs.clear();
                self.live = None;
                let resume = self.live_through;
                self.error(
                    ErrorCode::EventsLagged,
                    format!("this connection fell {missed} events behind and was unsubscribed; subscribe again with since={resume}"),
                )
                .await
            }
            Err(RecvError::Closed) => Err(Close::Gone),
        }
    }

    /// Whether `event` changes which workspaces the caller may see: one it created, or its
    /// own membership added to or removed from one. Checked before delivery, so the event of
    /// a new workspace and everything after it arrive at once (not at the next heartbeat).
    fn changes_my_workspaces(&self, event: &Event) -> bool {
        let me = self.principal.user_id().map(|id| id.to_string());
        match event.event_type.as_str() {
            "tenancy.workspace.created" => event.actor == self.principal.key(),
            "tenancy.member.added" | "tenancy.member.removed" => {
                me.as_deref() == Some(event.resource_id.as_str())
            }
            _ => false,
        }
    }

    /// Reloads the workspaces the caller may see; false (after telling the client) when the
    /// credential no longer works.
    async fn refresh_workspaces(&mut self) -> Result<bool, Close> {
        match self.state.tenancy.all_workspaces(&self.principal).await {
            Ok(list) => {
                self.subs.allowed = list.into_iter().map(|(w, _)| w.id).collect();
                Ok(true)
            }
            Err(e) => {
                let api = crate::error::ApiError::from(e);
                self.error(api.code, api.message.clone()).await?;
                Ok(false)
            }
        }
    }

    /// On each heartbeat: the credential must still be valid (expiry, sign-out, revoked key).
    async fn recheck(&mut self) -> Result<(), Close> {
        match self.state.auth.authenticate(self.credential.clone()).await {
            Ok(_) => {
                self.refresh_workspaces().await?;
                Ok(())
            }
            Err(e) => {
                let api = crate::error::ApiError::from(e);
                self.error(
                    api.code,
                    format!("{}; the connection is closing", api.message),
                )
                .await?;
                let _ = self.socket.send(Message::Close(None)).await;
                Err(Close::Gone)
            }
        }
    }
}

async fn recv(
    live: &mut Option<broadcast::Receiver<Arc<Published>>>,
) -> Result<Arc<Published>, RecvError> {
    match live {
        Some(rx) => rx.recv().await,
        None => std::future::pending().await,
    }
}
