//! `conceptpulse status`: whether Kiro answers, its API version, who is signed in, and
//! each service's status with the response time this client measured.

use std::time::Instant;

use kiro_sdk::{ClientConfig, KiroClient};
use serde::Serialize;

use super::exit;
use super::output::{Output, table};
use super::progress::spinner;

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct StatusOut {
    server: String,
    connection: &'static str,
    api_version: String,
    server_version: String,
    signed_in_as: Option<String>,
    latency_ms: u128,
    services: Vec<ServiceOut>,
}

#[derive(Debug, Serialize)]
struct ServiceOut {
    name: String,
    status: String,
    version: String,
}

/// `conceptpulse status`. Exits 4 when the server cannot be reached.
pub async fn status(config: ClientConfig, out: Output) -> u8 {
    let config_url = config.server_url.clone();
    let client = match KiroClient::new(config) {
        Ok(client) => client,
        Err(e) => return out.fail(&e),
    };
    let started = Instant::now();
    let waiting = spinner(out.format, format!("Asking Kiro at {config_url}"));
    let health = client.health().await;
    waiting.finish_and_clear();
    let health = match health {
        Ok(health) => health,
        Err(e) => return out.fail(&e),
    };
    let latency_ms = started.elapsed().as_millis();
    let discovery = match client.fetch_services().await {
        Ok(discovery) => discovery,
        Err(e) => return out.fail(&e),
    };
    let signed_in_as = match client.authenticate_from_store().await {
        Ok(true) => client
            .me()
            .await
            .ok()
            .and_then(|me| me.user.map(|u| u.email)),
        _ => None,
    };
    let connection = match health.status {
        kiro_sdk::kiro_types::discovery::ServiceStatus::Available => "connected",
        _ => "degraded",
    };
    let value = StatusOut {
        server: config_url,
        connection,
        api_version: discovery.api_version,
        server_version: discovery.server_version,
        signed_in_as,
        latency_ms,
        services: discovery
            .services
            .into_iter()
            .map(|s| ServiceOut {
                name: s.name,
                status: serde_json::to_value(s.status)
                    .ok()
                    .and_then(|v| v.as_str().map(str::to_owned))
                    .unwrap_or_default(),
                version: s.version,
            })
            .collect(),
    };
    out.emit(&value, human);
    exit::OK
}

fn human(status: &StatusOut) -> String {
    let who = status
        .signed_in_as
        .as_deref()
        .map_or("not signed in".to_owned(), |e| format!("signed in as {e}"));
    let rows = status
        .services
        .iter()
        .map(|s| vec![s.name.clone(), s.status.clone(), s.version.clone()]);
    format!(
        "Kiro {} at {} (API {}, server {}, {} ms), {who}\n{}",
        status.connection,
        status.server,
        status.api_version,
        status.server_version,
        status.latency_ms,
        table(&["Service", "Status", "Version"], rows)
    )
}
