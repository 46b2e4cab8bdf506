//! kiro-sdk against real servers from kiro-testkit: discovery, sign-in, single-flight
//! refresh, logout, the token file, and retries.

mod auth;
mod discovery;
mod retry;
mod store;

use std::time::Duration;

use kiro_sdk::{ClientConfig, Credentials, KiroClient, RetryPolicy};
use kiro_testkit::TestServer;

/// A configuration for `base_url` with fast retries, so tests do not wait long.
pub fn fast_config(base_url: &str) -> ClientConfig {
    let mut config = ClientConfig::new(base_url);
    config.timeout = Duration::from_secs(20);
    config.retry = RetryPolicy {
        max_attempts: 4,
        base_delay: Duration::from_millis(10),
        max_delay: Duration::from_millis(100),
        budget: 50,
    };
    config
}

/// A connected client for `server`.
pub async fn connect(server: &TestServer) -> anyhow::Result<KiroClient> {
    Ok(KiroClient::connect(fast_config(&server.base_url)).await?)
}

/// The admin's password credentials.
pub fn admin(server: &TestServer) -> Credentials {
    Credentials::Password {
        email: server.admin.email.clone(),
        password: server.admin.password.clone(),
    }
}
