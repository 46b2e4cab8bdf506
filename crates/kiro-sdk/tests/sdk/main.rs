//! kiro-sdk against real servers from kiro-testkit: discovery, sign-in, single-flight
//! refresh, logout, the token file, retries, and the offline queue.

mod auth;
mod discovery;
mod offline;
mod property_2;
mod property_7;
mod property_8;
mod retry;
mod store;

use std::time::Duration;

use kiro_sdk::kiro_types::Page;
use kiro_sdk::kiro_types::workspace::WorkspaceOut;
use kiro_sdk::{Call, ClientConfig, Credentials, KiroClient, RetryPolicy};
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

/// Every workspace the client can see, oldest first, following `nextCursor`.
pub async fn workspaces(client: &KiroClient) -> anyhow::Result<Vec<WorkspaceOut>> {
    let mut all = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let path = match &cursor {
            Some(cursor) => format!("/v1/workspaces?limit=100&cursor={cursor}"),
            None => "/v1/workspaces?limit=100".to_owned(),
        };
        let page: Page<WorkspaceOut> = client.call(Call::get(path)).await?.json()?;
        all.extend(page.items);
        match page.next_cursor {
            Some(next) => cursor = Some(next),
            None => return Ok(all),
        }
    }
}
