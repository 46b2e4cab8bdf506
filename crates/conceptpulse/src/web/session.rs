//! Browser sessions: a random id in an `HttpOnly`, `SameSite=Lax` cookie maps to a signed-in
//! [`KiroClient`] held in memory. The browser never sees a Kiro token; signing out revokes
//! the Kiro session and forgets the client. Sessions end when the process stops (the user
//! signs in again).

use std::collections::HashMap;
use std::sync::Arc;

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::CookieJar;
use axum_extra::extract::cookie::{Cookie, SameSite};
use std::path::Path;

use kiro_sdk::{ConflictPolicy, ConnectionStatus, KiroClient, KiroError, OfflineQueue};
use tokio::sync::{Mutex, RwLock, watch};
use tokio::task::JoinHandle;

use super::WebState;
use super::learn::LearnState;
use super::sync::ConflictRow;

/// The session cookie's name.
pub const COOKIE: &str = "cp_session";

/// One signed-in browser: its Kiro client, and the offline queue its changes go through
/// (they wait there while Kiro is unreachable and are replayed, in order, when it returns).
pub struct Session {
    pub client: KiroClient,
    pub name: String,
    pub email: String,
    pub queue: OfflineQueue,
    /// The learning pages' state in flight (quiz answers, the last upload).
    pub learn: LearnState,
    conflicts: Arc<Mutex<Vec<ConflictRow>>>,
    tasks: Vec<JoinHandle<()>>,
}

impl Session {
    /// A session of `client` (signed in as `name` <`email`>) whose changes queue in `queue_file`.
    pub async fn start(
        client: KiroClient,
        name: String,
        email: String,
        queue_file: &Path,
    ) -> Result<Self, KiroError> {
        let queue =
            OfflineQueue::open(queue_file, client.clone(), ConflictPolicy::ServerWins).await?;
        let conflicts = Arc::new(Mutex::new(Vec::new()));
        let mut reports = queue.conflicts();
        let kept = conflicts.clone();
        let collect = tokio::spawn(async move {
            while let Ok(report) = reports.recv().await {
                kept.lock().await.push(ConflictRow::of(&report));
            }
        });
        let (connected_tx, connected_rx) = watch::channel(false);
        let mut status = client.on_connection_change();
        let follow = tokio::spawn(async move {
            loop {
                let connected = *status.borrow_and_update() != ConnectionStatus::Offline;
                connected_tx.send_if_modified(|c| std::mem::replace(c, connected) != connected);
                if status.changed().await.is_err() {
                    return;
                }
            }
        });
        let replay = queue.replay_on(connected_rx);
        Ok(Self {
            client,
            name,
            email,
            queue,
            learn: LearnState::default(),
            conflicts,
            tasks: vec![collect, follow, replay],
        })
    }

    /// Changes made in this session that wait to reach the server.
    pub async fn pending(&self) -> usize {
        self.queue.len().await.unwrap_or(0)
    }

    /// Conflicts resolved while syncing this session's changes.
    pub async fn conflicts(&self) -> Vec<ConflictRow> {
        self.conflicts.lock().await.clone()
    }
}

impl Drop for Session {
    fn drop(&mut self) {
        for task in &self.tasks {
            task.abort();
        }
    }
}

/// Every live session, by id.
#[derive(Default, Clone)]
pub struct SessionStore {
    sessions: Arc<RwLock<HashMap<String, Arc<Session>>>>,
}

impl SessionStore {
    /// Keeps `session` and returns the cookie that names it.
    pub async fn insert(&self, session: Session) -> Cookie<'static> {
        let id = kiro_core::secret::generate("");
        self.sessions
            .write()
            .await
            .insert(id.clone(), Arc::new(session));
        Cookie::build((COOKIE, id))
            .path("/")
            .http_only(true)
            .same_site(SameSite::Lax)
            .build()
    }

    pub async fn get(&self, id: &str) -> Option<Arc<Session>> {
        self.sessions.read().await.get(id).cloned()
    }

    pub async fn remove(&self, id: &str) -> Option<Arc<Session>> {
        self.sessions.write().await.remove(id)
    }

    /// The one live session; an error when there are none or several (for tests and
    /// single-user tools).
    pub async fn only(&self) -> anyhow::Result<Arc<Session>> {
        let sessions = self.sessions.read().await;
        let mut all = sessions.values();
        match (all.next(), all.next()) {
            (Some(session), None) => Ok(session.clone()),
            _ => anyhow::bail!("{} sessions, not one", sessions.len()),
        }
    }

    /// The live session signed in as `email` (the first found), for tests and tools.
    pub async fn of(&self, email: &str) -> Option<Arc<Session>> {
        let sessions = self.sessions.read().await;
        sessions.values().find(|s| s.email == email).cloned()
    }

    pub async fn len(&self) -> usize {
        self.sessions.read().await.len()
    }

    pub async fn is_empty(&self) -> bool {
        self.len().await == 0
    }
}

/// The cookie that removes the session cookie.
pub fn expired_cookie() -> Cookie<'static> {
    let mut cookie = Cookie::build((COOKIE, "")).path("/").build();
    cookie.make_removal();
    cookie
}

/// The signed-in session of a request; pages that need one take it as an extractor, and a
/// request without one is sent to the sign-in page.
pub struct SignedIn {
    pub id: String,
    pub session: Arc<Session>,
}

impl FromRequestParts<WebState> for SignedIn {
    type Rejection = Response;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &WebState,
    ) -> Result<Self, Self::Rejection> {
        let jar = CookieJar::from_headers(&parts.headers);
        let Some(id) = jar.get(COOKIE).map(|c| c.value().to_owned()) else {
            return Err(Redirect::to("/signin").into_response());
        };
        match state.sessions.get(&id).await {
            Some(session) => Ok(Self { id, session }),
            None => Err((jar.add(expired_cookie()), Redirect::to("/signin")).into_response()),
        }
    }
}

/// The session of a request, if any (pages that render differently when signed in).
pub async fn current(state: &WebState, jar: &CookieJar) -> Option<Arc<Session>> {
    let id = jar.get(COOKIE)?.value().to_owned();
    state.sessions.get(&id).await
}
