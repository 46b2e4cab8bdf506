//! kiro-sdk against real servers from kiro-testkit: discovery, sign-in, single-flight
//! refresh, logout, the token file, retries, the offline queue, configuration, and the live
//! half (connection status, health, the `ETag` cache, batches, pages, event subscriptions,
//! service handles, reconfiguration), with the design's properties 1, 2, 6, 7, 8 and 9. Faults come from real servers (halted, refusing,
//! hanging, dropping), never from a mock of the Kiro server.

mod assessment;
mod auth;
mod batch;
mod cache;
mod discovery;
mod events;
mod execution;
mod execution_catalog;
mod execution_containers;
mod execution_jobs;
mod faults;
mod health;
mod live;
mod llm;
mod offline;
mod paginate;
mod planning;
mod planning_lists;
mod planning_policy;
mod planning_refusals;
mod properties;
mod property_2;
mod property_7;
mod property_8;
mod property_planning;
mod retry;
mod store;
mod workspace;

use std::time::Duration;

use futures::StreamExt;
use kiro_sdk::kiro_types::Page;
use kiro_sdk::kiro_types::events::Event;
use kiro_sdk::kiro_types::workspace::WorkspaceOut;
use kiro_sdk::{
    Call, ClientConfig, ConnectionStatus, Credentials, EventStream, KiroClient, RetryPolicy,
};
use kiro_testkit::TestServer;

/// How long a test waits for something it awaits before failing.
pub const DEADLINE: Duration = Duration::from_secs(20);

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

/// A connected client signed in as the admin.
pub async fn signed_in(server: &TestServer) -> anyhow::Result<KiroClient> {
    let client = connect(server).await?;
    client.authenticate(admin(server)).await?;
    Ok(client)
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

/// `POST /v1/workspaces`.
pub async fn create_workspace(client: &KiroClient, name: &str) -> anyhow::Result<WorkspaceOut> {
    let call = Call::post("/v1/workspaces").json(serde_json::json!({ "name": name }));
    Ok(client.call(call).await?.json()?)
}

/// `PATCH /v1/workspaces/{id}`: a rename, which emits `tenancy.workspace.updated`.
pub async fn rename_workspace(
    client: &KiroClient,
    id: &str,
    name: &str,
) -> anyhow::Result<WorkspaceOut> {
    let call =
        Call::patch(format!("/v1/workspaces/{id}")).json(serde_json::json!({ "name": name }));
    Ok(client.call(call).await?.json()?)
}

/// The next event of `stream`, within the deadline.
pub async fn next_event(stream: &mut EventStream) -> anyhow::Result<Event> {
    tokio::time::timeout(DEADLINE, stream.next())
        .await
        .map_err(|_| anyhow::anyhow!("no event within {DEADLINE:?}"))?
        .ok_or_else(|| anyhow::anyhow!("the event stream ended"))
}

/// Waits, within the deadline, until `client`'s status is `wanted`.
pub async fn await_status(client: &KiroClient, wanted: ConnectionStatus) -> anyhow::Result<()> {
    let mut changes = client.on_connection_change();
    tokio::time::timeout(DEADLINE, changes.wait_for(|s| *s == wanted))
        .await
        .map_err(|_| {
            anyhow::anyhow!(
                "status still {} after {DEADLINE:?}",
                client.connection_status()
            )
        })??;
    Ok(())
}

/// Waits, within the deadline, until the server has confirmed `stream`'s subscription.
pub async fn ready(stream: &mut EventStream) -> anyhow::Result<()> {
    tokio::time::timeout(DEADLINE, stream.ready())
        .await
        .map_err(|_| anyhow::anyhow!("the subscription was not confirmed within {DEADLINE:?}"))??;
    Ok(())
}
