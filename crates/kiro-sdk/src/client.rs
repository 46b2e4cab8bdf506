//! [`KiroClient`]: discovery and the compatibility check, the one request path every typed
//! call goes through (bearer auth, `Idempotency-Key` on each `POST`, retries), the live state
//! a client keeps (connection status, health book, `ETag` cache, event socket) and live
//! reconfiguration. The HTTP plumbing of one attempt is [`Transport`]; reads through the
//! cache, batches, pages, events, the health monitor and service handles have modules of
//! their own that extend this type.

use std::sync::atomic::Ordering;
use std::sync::{Arc, Mutex, RwLock, Weak};

use kiro_types::auth::MeOut;
use kiro_types::discovery::{HealthOut, ServiceInfo, ServicesOut};
use reqwest::Method;
use serde::de::DeserializeOwned;
use tokio::sync::watch;

use crate::auth::{AuthBridge, Credentials};
use crate::cache::{CacheStats, EtagCache};
use crate::call::{Call, Reply};
use crate::config::ClientConfig;
use crate::error::KiroError;
use crate::health::HealthReport;
use crate::monitor::HealthMonitor;
use crate::retry::Backoff;
use crate::status::ConnectionStatus;
use crate::store::TokenStore;
use crate::sync::SyncHub;
use crate::transport::{Attempt, Endpoint, Transport};

/// The code that makes the client refresh its token and try once more.
const TOKEN_EXPIRED: &str = "auth.token_expired";

/// A connection to one Kiro server. Cheap to clone: clones share the connection pool, the
/// tokens, the retry budget, the statistics, the cache, the event socket and the
/// configuration (a `reconfigure` through one clone is seen by all). Background tasks stop
/// when the last clone (or the last event stream) is dropped.
#[derive(Clone)]
pub struct KiroClient {
    pub(crate) inner: Arc<Inner>,
}

pub(crate) struct Inner {
    config: RwLock<ClientConfig>,
    pub(crate) transport: Transport,
    pub(crate) auth: AuthBridge,
    discovery: RwLock<Option<ServicesOut>>,
    pub(crate) cache: EtagCache,
    pub(crate) sync: SyncHub,
    /// The monitor started from `ClientConfig::health_interval`.
    monitor: Mutex<Option<HealthMonitor>>,
    /// Never sent on: background tasks await its closing, which is this client's end.
    pub(crate) alive: watch::Sender<()>,
    /// The workspace every request names (`X-Kiro-Workspace`), when one was chosen.
    workspace: RwLock<Option<String>>,
}

impl KiroClient {
    /// A client for `config` that has not talked to the server yet.
    pub fn new(config: ClientConfig) -> Result<Self, KiroError> {
        let transport = Transport::new(&config)?;
        let auth = AuthBridge::new(config.token_file.clone().map(TokenStore::new));
        Ok(Self {
            inner: Arc::new(Inner {
                cache: EtagCache::new(config.cache_capacity),
                config: RwLock::new(config),
                transport,
                auth,
                discovery: RwLock::new(None),
                sync: SyncHub::default(),
                monitor: Mutex::new(None),
                alive: watch::Sender::new(()),
                workspace: RwLock::new(None),
            }),
        })
    }

    /// Discovers the server's services (with retries), checks that its API version is one
    /// this client supports, and starts the health monitor when the configuration asks.
    pub async fn connect(config: ClientConfig) -> Result<Self, KiroError> {
        let interval = config.health_interval;
        let client = Self::new(config)?;
        client.fetch_services().await?;
        if let Some(interval) = interval {
            let monitor = client.start_health_monitor(interval);
            if let Ok(mut slot) = client.inner.monitor.lock() {
                *slot = Some(monitor);
            }
        }
        Ok(client)
    }

    pub(crate) fn downgrade(&self) -> Weak<Inner> {
        Arc::downgrade(&self.inner)
    }

    /// The client behind `weak`, while any clone lives.
    pub(crate) fn upgrade(weak: &Weak<Inner>) -> Option<Self> {
        weak.upgrade().map(|inner| Self { inner })
    }

    /// The configuration in force (the latest `reconfigure`).
    pub fn config(&self) -> ClientConfig {
        match self.inner.config.read() {
            Ok(config) => config.clone(),
            Err(poisoned) => poisoned.into_inner().clone(),
        }
    }

    /// The services found by the last discovery (empty before `connect`).
    pub fn services(&self) -> Vec<ServiceInfo> {
        self.discovery().map(|d| d.services).unwrap_or_default()
    }

    /// The last discovery answer, if any.
    pub fn discovery(&self) -> Option<ServicesOut> {
        self.inner.discovery.read().ok().and_then(|d| d.clone())
    }

    pub(crate) fn set_discovery(&self, out: ServicesOut) {
        if let Ok(mut discovery) = self.inner.discovery.write() {
            *discovery = Some(out);
        }
    }

    /// `GET /v1/services`: checks compatibility and keeps the answer for [`Self::services`].
    pub async fn fetch_services(&self) -> Result<ServicesOut, KiroError> {
        let out: ServicesOut = self.request(Method::GET, "/v1/services", None).await?;
        self.config().check_compatible(&out.api_version)?;
        self.set_discovery(out.clone());
        Ok(out)
    }

    /// `GET /v1/health`.
    pub async fn health(&self) -> Result<HealthOut, KiroError> {
        self.request(Method::GET, "/v1/health", None).await
    }

    /// `GET /v1/auth/me`: who the client is signed in as.
    pub async fn me(&self) -> Result<MeOut, KiroError> {
        self.request(Method::GET, "/v1/auth/me", None).await
    }

    /// Makes every request from now on act in `workspace` (sent as `X-Kiro-Workspace`), or
    /// in the principal's default one with `None`. A principal with several workspaces and
    /// no default must name one. A change drops the cached answers, which belong to the
    /// workspace they were read in.
    pub fn use_workspace(&self, workspace: Option<String>) {
        let changed = match self.inner.workspace.write() {
            Ok(mut current) => std::mem::replace(&mut *current, workspace.clone()) != workspace,
            Err(poisoned) => {
                std::mem::replace(&mut *poisoned.into_inner(), workspace.clone()) != workspace
            }
        };
        if changed {
            self.inner.cache.clear();
        }
    }

    /// The workspace requests name, if one was chosen with [`Self::use_workspace`].
    pub fn workspace(&self) -> Option<String> {
        match self.inner.workspace.read() {
            Ok(workspace) => workspace.clone(),
            Err(poisoned) => poisoned.into_inner().clone(),
        }
    }

    /// Signs in: the password grant, or an API key kept as the bearer token. Cached answers
    /// of whoever was signed in before are dropped.
    pub async fn authenticate(&self, credentials: Credentials) -> Result<(), KiroError> {
        let inner = &self.inner;
        inner.cache.clear();
        inner
            .auth
            .authenticate(&inner.transport, credentials)
            .await?;
        inner.sync.reconnect(false);
        Ok(())
    }

    /// Signs in with the tokens of the configured token file; `false` when there are none.
    pub async fn authenticate_from_store(&self) -> Result<bool, KiroError> {
        self.inner.cache.clear();
        self.inner.auth.authenticate_from_store().await
    }

    /// Revokes the session server-side and forgets the tokens (and the token file) and the
    /// cached answers.
    pub async fn logout(&self) -> Result<(), KiroError> {
        let inner = &self.inner;
        inner.cache.clear();
        inner.auth.logout(&inner.transport).await
    }

    /// The OAuth tokens the client holds (after a password sign-in), for an application that
    /// keeps sessions itself; `None` when signed out or signed in with an API key.
    pub async fn tokens(&self) -> Option<crate::StoredTokens> {
        self.inner.auth.tokens().await
    }

    /// Refresh grants sent so far.
    pub fn refresh_count(&self) -> u64 {
        self.inner.auth.refresh_count()
    }

    /// HTTP attempts sent so far (first tries and retries).
    pub fn attempts(&self) -> u64 {
        self.inner.transport.attempts.load(Ordering::Relaxed)
    }

    /// Retries sent so far after a retryable failure.
    pub fn retries(&self) -> u64 {
        self.inner.transport.retries.load(Ordering::Relaxed)
    }

    /// How the client sees the server now: the outcome of its latest attempt (HTTP request
    /// or event-socket connection), degraded while a service is known to be down.
    pub fn connection_status(&self) -> ConnectionStatus {
        self.inner.transport.status.current()
    }

    /// A receiver that wakes on every change of [`Self::connection_status`].
    pub fn on_connection_change(&self) -> watch::Receiver<ConnectionStatus> {
        self.inner.transport.status.watch()
    }

    /// Per-service availability, error rate and latencies (see [`crate::health`]).
    pub fn health_status(&self) -> HealthReport {
        self.inner.transport.health.report()
    }

    /// What the `ETag` cache has done so far.
    pub fn cache_stats(&self) -> CacheStats {
        self.inner.cache.stats()
    }

    /// Sends `body` as JSON to `path` (e.g. `/v1/auth/me`) and decodes the answer as `T`
    /// (`()` for an empty body), through [`Self::call`].
    pub async fn request<T: DeserializeOwned>(
        &self,
        method: Method,
        path: &str,
        body: Option<serde_json::Value>,
    ) -> Result<T, KiroError> {
        let mut call = Call::new(method, path);
        call.body = body;
        self.call(call).await?.json()
    }

    /// The one request path. Retryable failures are retried with backoff, within
    /// `max_attempts` and the retry budget; a `POST` keeps one `Idempotency-Key` (the call's,
    /// else a generated one) across its retries; a 401 `auth.token_expired` refreshes the
    /// token once and tries again. A successful write drops the cached answers of its path.
    pub async fn call(&self, call: Call) -> Result<Reply, KiroError> {
        let endpoint = self.inner.transport.endpoint();
        let reply = self.call_on(&endpoint, &call).await?;
        if call.method != Method::GET && call.method != Method::HEAD {
            self.inner.cache.invalidate_path(&call.path);
        }
        Ok(reply)
    }

    /// [`Self::call`] against `endpoint`, which need not be the current one yet.
    async fn call_on(&self, endpoint: &Endpoint, call: &Call) -> Result<Reply, KiroError> {
        let (transport, auth) = (&self.inner.transport, &self.inner.auth);
        let key = match (&call.idempotency_key, call.method == Method::POST) {
            (Some(key), _) => Some(key.clone()),
            (None, true) => Some(uuid::Uuid::now_v7().to_string()),
            (None, false) => None,
        };
        let workspace = self.workspace();
        let mut backoff = Backoff::new(&endpoint.retry);
        let mut refreshed = false;
        let mut tries = 1;
        loop {
            // Credentials are re-checked before every attempt: a retry may come after expiry.
            let bearer = auth.bearer(transport).await;
            let result = match &bearer {
                Ok(token) => {
                    let attempt = Attempt {
                        call,
                        bearer: token.as_deref(),
                        idempotency_key: key.as_deref(),
                        workspace: workspace.as_deref(),
                    };
                    transport.send_once(endpoint, attempt).await
                }
                Err(e) => Err(e.clone()),
            };
            let error = match result {
                Ok(reply) => {
                    endpoint.budget.deposit();
                    return Ok(reply);
                }
                Err(error) => error,
            };
            if !refreshed && error.code() == Some(TOKEN_EXPIRED) {
                refreshed = true;
                if let Ok(Some(rejected)) = &bearer
                    && auth.refresh_rejected(transport, rejected).await?
                {
                    continue;
                }
            }
            if !error.retryable()
                || tries >= endpoint.retry.max_attempts
                || !endpoint.budget.withdraw()
            {
                return Err(error);
            }
            tries += 1;
            transport.retries.fetch_add(1, Ordering::Relaxed);
            tokio::time::sleep(backoff.next_delay(error.retry_after())).await;
        }
    }

    /// One attempt without credentials or retries (the health monitor's polls).
    pub(crate) async fn attempt_once(&self, call: &Call) -> Result<Reply, KiroError> {
        let transport = &self.inner.transport;
        let endpoint = transport.endpoint();
        let attempt = Attempt {
            call,
            bearer: None,
            idempotency_key: None,
            workspace: None,
        };
        transport.send_once(&endpoint, attempt).await
    }

    /// Switches to `config` without building a new client: discovers the server it names
    /// (with its timeout and retry policy) and checks compatibility, then swaps the
    /// endpoint, so that every clone, the health monitor and the event socket use it. The
    /// event socket reconnects. A different server URL also drops the cache, the health
    /// figures and the event position (event ids belong to one server). On an error nothing
    /// changes. Tokens are kept: sign in again when the new server does not know them.
    pub async fn reconfigure(&self, config: ClientConfig) -> Result<(), KiroError> {
        let endpoint = Arc::new(Endpoint::new(&config)?);
        let reply = self.call_on(&endpoint, &Call::get("/v1/services")).await?;
        let out: ServicesOut = reply.json()?;
        config.check_compatible(&out.api_version)?;
        let moved = self.config().server_url != config.server_url;
        let inner = &self.inner;
        inner.transport.set_endpoint(endpoint);
        if moved {
            inner.cache.clear();
            inner.transport.health.reset();
        }
        self.set_discovery(out);
        match inner.config.write() {
            Ok(mut current) => *current = config,
            Err(poisoned) => *poisoned.into_inner() = config,
        }
        inner.sync.reconnect(moved);
        Ok(())
    }
}
