//! [`ClientConfig`]: where the server is, how long to wait, how to retry, which API versions
//! this client speaks, and where to keep tokens. Also the compatibility check of `connect`.

use std::path::PathBuf;
use std::time::Duration;

use crate::error::KiroError;

/// How the client retries retryable failures.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Attempts per request, the first included (at least 1).
    pub max_attempts: u32,
    /// The backoff before the first retry; it doubles on each retry.
    pub base_delay: Duration,
    /// The cap of the exponential backoff.
    pub max_delay: Duration,
    /// Retries the client may spend in a burst: each retry takes one, each success gives a
    /// tenth of one back, up to this many. Stops retry storms against a failing server.
    pub budget: u32,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            max_attempts: 4,
            base_delay: Duration::from_millis(200),
            max_delay: Duration::from_secs(5),
            budget: 20,
        }
    }
}

/// The client's configuration.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClientConfig {
    /// `http://host:port`, without the `/v1`.
    pub server_url: String,
    /// The timeout of one HTTP attempt.
    pub timeout: Duration,
    pub retry: RetryPolicy,
    /// The API versions this client supports, `(min, max)` as `"major.minor"` (`"1.x"` for any
    /// minor). The server is compatible when its major equals the client's.
    pub supported_api: (String, String),
    /// A JSON file (mode 0600) where tokens are kept between runs.
    pub token_file: Option<PathBuf>,
    /// How many GET answers the `ETag` cache keeps (0: no caching).
    pub cache_capacity: usize,
    /// How many of the last attempts per service the health figures cover.
    pub health_window: usize,
    /// When set, `connect` starts the health monitor polling at this interval.
    pub health_interval: Option<Duration>,
    /// The event socket is reconnected when nothing (not even a heartbeat) arrived for this
    /// long; the server sends a heartbeat every 20 s.
    pub event_idle_timeout: Duration,
}

impl ClientConfig {
    /// The defaults for a server at `server_url`.
    pub fn new(server_url: impl Into<String>) -> Self {
        Self {
            server_url: server_url.into().trim_end_matches('/').to_owned(),
            timeout: Duration::from_secs(30),
            retry: RetryPolicy::default(),
            supported_api: (kiro_types::API_VERSION.to_owned(), "1.x".to_owned()),
            token_file: None,
            cache_capacity: 256,
            health_window: 100,
            health_interval: None,
            event_idle_timeout: Duration::from_secs(60),
        }
    }

    /// The supported range as written in errors, e.g. `1.0-1.x`.
    pub fn supported_range(&self) -> String {
        format!("{}-{}", self.supported_api.0, self.supported_api.1)
    }

    /// `Ok` when the server's API version `server` has the client's major version.
    pub fn check_compatible(&self, server: &str) -> Result<(), KiroError> {
        let incompatible = || KiroError::Incompatible {
            server: server.to_owned(),
            client: self.supported_range(),
        };
        let client = major(&self.supported_api.0).ok_or_else(incompatible)?;
        let server_major = major(server).ok_or_else(incompatible)?;
        if server_major == client {
            Ok(())
        } else {
            Err(incompatible())
        }
    }
}

fn major(version: &str) -> Option<u32> {
    version.split('.').next()?.trim().parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_major_is_compatible() {
        let config = ClientConfig::new("http://x/");
        assert_eq!(config.server_url, "http://x");
        assert!(config.check_compatible("1.0").is_ok());
        assert!(config.check_compatible("1.7").is_ok());
        assert!(config.check_compatible("2.0").is_err());
        assert!(config.check_compatible("garbage").is_err());
    }

    #[test]
    fn incompatibility_names_both_versions() {
        let mut config = ClientConfig::new("http://x");
        config.supported_api = ("2.0".into(), "2.x".into());
        match config.check_compatible("1.0") {
            Err(KiroError::Incompatible { server, client }) => {
                assert_eq!(server, "1.0");
                assert_eq!(client, "2.0-2.x");
            }
            other => unreachable!("expected Incompatible, got {other:?}"),
        }
    }
}
