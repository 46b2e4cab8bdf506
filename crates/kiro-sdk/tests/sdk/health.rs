//! The health monitor and the health report.

use std::time::Duration;

use kiro_sdk::kiro_types::discovery::ServiceStatus;
use kiro_sdk::{Availability, ConnectionStatus, KiroClient};
use kiro_testkit::TestServer;

use crate::{DEADLINE, await_status, fast_config, signed_in};

async fn a_poll_records_what_the_server_says(server: TestServer) -> anyhow::Result<()> {
    let client = signed_in(&server).await?;
    assert_eq!(client.connection_status(), ConnectionStatus::Connected);

    client.poll_health().await?;

    let report = client.health_status();
    let core = report
        .service("core")
        .ok_or_else(|| anyhow::anyhow!("no core"))?;
    assert_eq!(core.server_status, Some(ServiceStatus::Available));
    assert_eq!(core.availability, Availability::Up);
    assert!(core.last_checked.is_some() && core.last_latency.is_some());
    // Services not built yet are reported unavailable; built ones are up.
    let workflow = report
        .service("workflow")
        .ok_or_else(|| anyhow::anyhow!("no workflow"))?;
    assert_eq!(workflow.availability, Availability::Down);
    let planning = report
        .service("planning")
        .ok_or_else(|| anyhow::anyhow!("no planning"))?;
    assert_eq!(planning.availability, Availability::Up);
    // A service the server does not offer is not a degraded connection.
    assert_eq!(client.connection_status(), ConnectionStatus::Connected);
    Ok(())
}

async fn the_monitor_polls_and_stops_with_the_client(server: TestServer) -> anyhow::Result<()> {
    let mut config = fast_config(&server.base_url);
    config.health_interval = Some(Duration::from_millis(20));
    let client = KiroClient::connect(config).await?;
    let guard = client.start_health_monitor(Duration::from_millis(20));
    let mut status = client.on_connection_change();

    // The monitor polls on its own: its rounds show up in the report.
    tokio::time::timeout(DEADLINE, async {
        while client
            .health_status()
            .service("planning")
            .is_none_or(|p| p.server_status.is_none())
        {
            tokio::task::yield_now().await;
        }
    })
    .await?;
    assert_eq!(*status.borrow_and_update(), ConnectionStatus::Connected);
    let polled = client.health_status().service("core").map(|c| c.requests);
    assert!(polled.is_some_and(|n| n >= 2), "{polled:?}");

    drop(client);
    tokio::time::timeout(DEADLINE, async {
        while guard.is_running() {
            tokio::task::yield_now().await;
        }
    })
    .await?;
    Ok(())
}

async fn the_report_counts_failures_while_the_server_is_away(
    mut server: TestServer,
) -> anyhow::Result<()> {
    let mut config = fast_config(&server.base_url);
    config.retry.max_attempts = 1;
    let client = KiroClient::connect(config).await?;
    client.health().await?;

    server.halt().await?;
    assert!(client.health().await.is_err());
    assert!(client.health().await.is_err());
    let away = client.health_status();
    server.resume().await?;
    client.health().await?;
    await_status(&client, ConnectionStatus::Connected).await?;

    let core = away
        .service("core")
        .ok_or_else(|| anyhow::anyhow!("no core"))?;
    assert_eq!((core.requests, core.failures), (4, 2));
    assert_eq!(core.error_rate, 0.5);
    assert_eq!(core.availability, Availability::Down);
    assert_eq!(away.reachable, Some(false));
    let back = client.health_status();
    let core = back
        .service("core")
        .ok_or_else(|| anyhow::anyhow!("no core"))?;
    assert_eq!(
        (core.requests, core.failures, core.consecutive_failures),
        (5, 2, 0)
    );
    assert_eq!(core.availability, Availability::Degraded);
    Ok(())
}

kiro_testkit::on_both_backends!(
    a_poll_records_what_the_server_says,
    the_monitor_polls_and_stops_with_the_client,
    the_report_counts_failures_while_the_server_is_away,
);
