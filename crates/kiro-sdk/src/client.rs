//! [`KiroClient`]: discovery and the compatibility check, the one request path every typed
//! call goes through (bearer auth, `Idempotency-Key` on each `POST`, retries), and the typed
//! calls themselves. The HTTP plumbing of one attempt is [`Transport`].

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, RwLock};

use kiro_types::auth::{MeOut, TokenResponse};
use kiro_types::discovery::{HealthOut, ServiceInfo, ServicesOut};
use reqwest::Method;
use reqwest::header::{ETAG, IF_MATCH, IF_NONE_MATCH, RETRY_AFTER};
use serde::de::DeserializeOwned;

use crate::auth::{AuthBridge, Credentials};
use crate::call::{Call, Reply, decode};
use crate::config::{ClientConfig, RetryPolicy};
use crate::error::KiroError;
use crate::retry::{Backoff, RetryBudget, parse_retry_after};
use crate::store::TokenStore;

/// The code that makes the client refresh its token and try once more.
const TOKEN_EXPIRED: &str = "auth.token_expired";

/// A connection to one Kiro server. Cheap to clone: clones share the connection pool, the
/// tokens, the retry budget and the statistics.
#[derive(Clone)]
pub struct KiroClient {
    inner: Arc<Inner>,
}

struct Inner {
    config: ClientConfig,
    transport: Transport,
    auth: AuthBridge,
    discovery: RwLock<Option<ServicesOut>>,
}

impl KiroClient {
    /// A client for `config` that has not talked to the server yet.
    pub fn new(config: ClientConfig) -> Result<Self, KiroError> {
        // Already installed by someone else is fine: any ring provider will do.
        let _ = rustls::crypto::ring::default_provider().install_default();
        let http = reqwest::Client::builder()
            .timeout(config.timeout)
            .connect_timeout(config.timeout)
            .build()
            .map_err(|e| KiroError::Connection(e.to_string()))?;
        let transport = Transport {
            http,
            base_url: config.server_url.clone(),
            retry: config.retry.clone(),
            budget: RetryBudget::new(config.retry.budget),
            attempts: AtomicU64::new(0),
            retries: AtomicU64::new(0),
        };
        let auth = AuthBridge::new(config.token_file.clone().map(TokenStore::new));
        Ok(Self {
            inner: Arc::new(Inner {
                config,
                transport,
                auth,
                discovery: RwLock::new(None),
            }),
        })
    }

    /// Discovers the server's services (with retries) and checks that its API version is one
    /// this client supports.
    pub async fn connect(config: ClientConfig) -> Result<Self, KiroError> {
        let client = Self::new(config)?;
        client.fetch_services().await?;
        Ok(client)
    }

    pub fn config(&self) -> &ClientConfig {
        &self.inner.config
    }

    /// The services found by the last discovery (empty before `connect`).
    pub fn services(&self) -> Vec<ServiceInfo> {
        self.discovery().map(|d| d.services).unwrap_or_default()
    }

    /// The last discovery answer, if any.
    pub fn discovery(&self) -> Option<ServicesOut> {
        self.inner.discovery.read().ok().and_then(|d| d.clone())
    }

    /// `GET /v1/services`: checks compatibility and keeps the answer for [`Self::services`].
    pub async fn fetch_services(&self) -> Result<ServicesOut, KiroError> {
        let out: ServicesOut = self.request(Method::GET, "/v1/services", None).await?;
        self.inner.config.check_compatible(&out.api_version)?;
        if let Ok(mut discovery) = self.inner.discovery.write() {
            *discovery = Some(out.clone());
        }
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

    /// Signs in: the password grant, or an API key kept as the bearer token.
    pub async fn authenticate(&self, credentials: Credentials) -> Result<(), KiroError> {
        let inner = &self.inner;
        inner.auth.authenticate(&inner.transport, credentials).await
    }

    /// Signs in with the tokens of the configured token file; `false` when there are none.
    pub async fn authenticate_from_store(&self) -> Result<bool, KiroError> {
        self.inner.auth.authenticate_from_store().await
    }

    /// Revokes the session server-side and forgets the tokens (and the token file).
    pub async fn logout(&self) -> Result<(), KiroError> {
        let inner = &self.inner;
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
    /// token once and tries again.
    pub async fn call(&self, call: Call) -> Result<Reply, KiroError> {
        let (transport, auth) = (&self.inner.transport, &self.inner.auth);
        let key = match (&call.idempotency_key, call.method == Method::POST) {
            (Some(key), _) => Some(key.clone()),
            (None, true) => Some(uuid::Uuid::now_v7().to_string()),
            (None, false) => None,
        };
        let mut backoff = Backoff::new(&transport.retry);
        let mut refreshed = false;
        let mut tries = 1;
        loop {
            // Credentials are re-checked before every attempt: a retry may come after expiry.
            let bearer = auth.bearer(transport).await;
            let result = match &bearer {
                Ok(token) => {
                    let attempt = Attempt {
                        call: &call,
                        bearer: token.as_deref(),
                        idempotency_key: key.as_deref(),
                    };
                    transport.send_once(attempt).await
                }
                Err(e) => Err(e.clone()),
            };
            let error = match result {
                Ok(reply) => {
                    transport.budget.deposit();
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
                || tries >= transport.retry.max_attempts
                || !transport.budget.withdraw()
            {
                return Err(error);
            }
            tries += 1;
            transport.retries.fetch_add(1, Ordering::Relaxed);
            tokio::time::sleep(backoff.next_delay(error.retry_after())).await;
        }
    }
}

/// One HTTP attempt.
struct Attempt<'a> {
    call: &'a Call,
    bearer: Option<&'a str>,
    idempotency_key: Option<&'a str>,
}

/// The HTTP side: the connection pool, the retry settings and budget, the counters.
pub(crate) struct Transport {
    http: reqwest::Client,
    base_url: String,
    retry: RetryPolicy,
    budget: RetryBudget,
    attempts: AtomicU64,
    retries: AtomicU64,
}

impl Transport {
    async fn send_once(&self, attempt: Attempt<'_>) -> Result<Reply, KiroError> {
        let call = attempt.call;
        let url = format!("{}{}", self.base_url, call.path);
        let mut request = self.http.request(call.method.clone(), url);
        if let Some(token) = attempt.bearer {
            request = request.bearer_auth(token);
        }
        if let Some(key) = attempt.idempotency_key {
            request = request.header("Idempotency-Key", key);
        }
        if let Some(etag) = &call.if_match {
            request = request.header(IF_MATCH, etag);
        }
        if let Some(etag) = &call.if_none_match {
            request = request.header(IF_NONE_MATCH, etag);
        }
        if let Some(body) = &call.body {
            request = request.json(body);
        }
        self.execute(request).await
    }

    /// One form `POST` (the token and revocation endpoints), never retried: a refresh token
    /// is single-use, so resending a grant that may have reached the server would revoke it.
    pub(crate) async fn post_form(
        &self,
        path: &str,
        form: &[(&str, &str)],
    ) -> Result<Vec<u8>, KiroError> {
        let url = format!("{}{path}", self.base_url);
        Ok(self.execute(self.http.post(url).form(form)).await?.body)
    }

    pub(crate) async fn token_grant(
        &self,
        form: &[(&str, &str)],
    ) -> Result<TokenResponse, KiroError> {
        decode(&self.post_form("/v1/auth/token", form).await?)
    }

    async fn execute(&self, request: reqwest::RequestBuilder) -> Result<Reply, KiroError> {
        self.attempts.fetch_add(1, Ordering::Relaxed);
        let response = request
            .send()
            .await
            .map_err(|e| KiroError::from_reqwest(&e))?;
        let status = response.status();
        let retry_after = parse_retry_after(response.headers().get(RETRY_AFTER));
        let etag = response
            .headers()
            .get(ETAG)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        let bytes = response
            .bytes()
            .await
            .map_err(|e| KiroError::from_reqwest(&e))?;
        if status.is_success() || status == reqwest::StatusCode::NOT_MODIFIED {
            Ok(Reply {
                status: status.as_u16(),
                etag,
                body: bytes.to_vec(),
            })
        } else {
            Err(KiroError::from_response(
                status.as_u16(),
                retry_after,
                &bytes,
            ))
        }
    }
}
