//! [`Transport`]: the HTTP side of a client. It holds the current [`Endpoint`] (server URL,
//! connection pool, timeout, retry policy and budget — swapped whole by `reconfigure`), sends
//! one attempt at a time, and reports every attempt's outcome and latency to the connection
//! status and the health book. Retries, auth and caching sit above it, in the client.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

use kiro_types::auth::TokenResponse;
use reqwest::header::{ETAG, IF_MATCH, IF_NONE_MATCH, RETRY_AFTER};

use crate::call::{Call, Reply, decode};
use crate::config::{ClientConfig, RetryPolicy};
use crate::error::KiroError;
use crate::health::HealthBook;
use crate::retry::{RetryBudget, parse_retry_after};
use crate::status::{Outcome, StatusTracker};

/// Where requests go and how they are retried: one configuration's worth.
pub(crate) struct Endpoint {
    pub(crate) http: reqwest::Client,
    pub(crate) base_url: String,
    pub(crate) timeout: Duration,
    pub(crate) retry: RetryPolicy,
    pub(crate) budget: RetryBudget,
}

impl Endpoint {
    pub(crate) fn new(config: &ClientConfig) -> Result<Self, KiroError> {
        // Already installed by someone else is fine: any ring provider will do.
        let _ = rustls::crypto::ring::default_provider().install_default();
        let http = reqwest::Client::builder()
            .timeout(config.timeout)
            .connect_timeout(config.timeout)
            .build()
            .map_err(|e| KiroError::Connection(e.to_string()))?;
        Ok(Self {
            http,
            base_url: config.server_url.clone(),
            timeout: config.timeout,
            retry: config.retry.clone(),
            budget: RetryBudget::new(config.retry.budget),
        })
    }

    /// The event stream's URL: `ws://…/v1/events` (`wss://` for `https://`).
    pub(crate) fn events_url(&self) -> String {
        let url = match self.base_url.strip_prefix("http") {
            Some(rest) => format!("ws{rest}"),
            None => self.base_url.clone(),
        };
        format!("{url}/v1/events")
    }
}

/// One HTTP attempt.
pub(crate) struct Attempt<'a> {
    pub(crate) call: &'a Call,
    pub(crate) bearer: Option<&'a str>,
    pub(crate) idempotency_key: Option<&'a str>,
    /// `X-Kiro-Workspace`: the workspace the request acts in.
    pub(crate) workspace: Option<&'a str>,
}

/// The HTTP side: the current endpoint, the counters, and where outcomes are reported.
pub(crate) struct Transport {
    endpoint: RwLock<Arc<Endpoint>>,
    pub(crate) attempts: AtomicU64,
    pub(crate) retries: AtomicU64,
    pub(crate) status: StatusTracker,
    pub(crate) health: HealthBook,
}

impl Transport {
    pub(crate) fn new(config: &ClientConfig) -> Result<Self, KiroError> {
        Ok(Self {
            endpoint: RwLock::new(Arc::new(Endpoint::new(config)?)),
            attempts: AtomicU64::new(0),
            retries: AtomicU64::new(0),
            status: StatusTracker::new(),
            health: HealthBook::new(config.health_window),
        })
    }

    /// The endpoint requests go to now.
    pub(crate) fn endpoint(&self) -> Arc<Endpoint> {
        match self.endpoint.read() {
            Ok(endpoint) => endpoint.clone(),
            Err(poisoned) => poisoned.into_inner().clone(),
        }
    }

    pub(crate) fn set_endpoint(&self, endpoint: Arc<Endpoint>) {
        match self.endpoint.write() {
            Ok(mut current) => *current = endpoint,
            Err(poisoned) => *poisoned.into_inner() = endpoint,
        }
    }

    pub(crate) async fn send_once(
        &self,
        endpoint: &Endpoint,
        attempt: Attempt<'_>,
    ) -> Result<Reply, KiroError> {
        let call = attempt.call;
        let url = format!("{}{}", endpoint.base_url, call.path);
        let mut request = endpoint.http.request(call.method.clone(), url);
        if let Some(token) = attempt.bearer {
            request = request.bearer_auth(token);
        }
        if let Some(key) = attempt.idempotency_key {
            request = request.header("Idempotency-Key", key);
        }
        if let Some(workspace) = attempt.workspace {
            request = request.header("X-Kiro-Workspace", workspace);
        }
        if let Some(etag) = &call.if_match {
            request = request.header(IF_MATCH, etag);
        }
        if let Some(etag) = &call.if_none_match {
            request = request.header(IF_NONE_MATCH, etag);
        }
        if let Some(raw) = &call.raw {
            request = request
                .header(reqwest::header::CONTENT_TYPE, raw.content_type.as_str())
                .body(raw.bytes.clone());
        } else if let Some(body) = &call.body {
            request = request.json(body);
        }
        self.execute(&call.path, request).await
    }

    /// One form `POST` (the token and revocation endpoints), never retried: a refresh token
    /// is single-use, so resending a grant that may have reached the server would revoke it.
    pub(crate) async fn post_form(
        &self,
        path: &str,
        form: &[(&str, &str)],
    ) -> Result<Vec<u8>, KiroError> {
        let endpoint = self.endpoint();
        let url = format!("{}{path}", endpoint.base_url);
        let request = endpoint.http.post(url).form(form);
        Ok(self.execute(path, request).await?.body)
    }

    pub(crate) async fn token_grant(
        &self,
        form: &[(&str, &str)],
    ) -> Result<TokenResponse, KiroError> {
        decode(&self.post_form("/v1/auth/token", form).await?)
    }

    async fn execute(
        &self,
        path: &str,
        request: reqwest::RequestBuilder,
    ) -> Result<Reply, KiroError> {
        self.attempts.fetch_add(1, Ordering::Relaxed);
        let started = Instant::now();
        let result = Self::exchange(request).await;
        let latency = started.elapsed();
        match &result {
            Ok(reply) => self.observe(path, latency, Ok(reply.status)),
            Err(error) => self.observe(path, latency, Err(error)),
        }
        result
    }

    /// Reports one attempt to the health book and the connection status.
    pub(crate) fn observe(&self, path: &str, latency: Duration, result: Result<u16, &KiroError>) {
        let outcome = match result {
            Ok(status) => Outcome::of_status(status),
            Err(error) => Outcome::of_error(error),
        };
        self.health.record(path, latency, result);
        self.status
            .record_all(outcome, self.health.connection_degraded());
    }

    async fn exchange(request: reqwest::RequestBuilder) -> Result<Reply, KiroError> {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_events_url_follows_the_scheme() -> Result<(), KiroError> {
        let plain = Endpoint::new(&ClientConfig::new("http://127.0.0.1:9"))?;
        assert_eq!(plain.events_url(), "ws://127.0.0.1:9/v1/events");
        let tls = Endpoint::new(&ClientConfig::new("https://kiro.example"))?;
        assert_eq!(tls.events_url(), "wss://kiro.example/v1/events");
        Ok(())
    }
}
