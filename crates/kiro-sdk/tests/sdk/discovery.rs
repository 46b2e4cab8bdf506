//! Discovery and the API compatibility check.

use kiro_sdk::kiro_types::discovery::ServiceStatus;
use kiro_sdk::{KiroClient, KiroError};
use kiro_testkit::TestServer;

use crate::{connect, fast_config};

async fn connect_lists_the_six_services(server: TestServer) -> anyhow::Result<()> {
    let client = connect(&server).await?;

    let mut names: Vec<String> = client.services().into_iter().map(|s| s.name).collect();
    names.sort();
    assert_eq!(
        names,
        [
            "assessment",
            "documentation",
            "execution",
            "planning",
            "prototyping",
            "workflow"
        ]
    );
    let planning = client
        .services()
        .into_iter()
        .find(|s| s.name == "planning")
        .ok_or_else(|| anyhow::anyhow!("no planning"))?;
    assert_eq!(planning.status, ServiceStatus::Available);
    assert!(planning.capabilities.iter().any(|c| c == "critical-path"));
    assert_eq!(
        client.discovery().map(|d| d.api_version).as_deref(),
        Some(kiro_sdk::kiro_types::API_VERSION)
    );
    Ok(())
}

async fn a_client_of_another_major_version_is_incompatible(
    server: TestServer,
) -> anyhow::Result<()> {
    let mut config = fast_config(&server.base_url);
    config.supported_api = ("2.0".into(), "2.x".into());

    let result = KiroClient::connect(config).await;

    match result {
        Err(KiroError::Incompatible { server, client }) => {
            assert_eq!(server, "1.0");
            assert_eq!(client, "2.0-2.x");
        }
        Err(other) => anyhow::bail!("expected Incompatible, got {other:?}"),
        Ok(_) => anyhow::bail!("a 2.x client connected to a 1.0 server"),
    }
    Ok(())
}

async fn health_reports_the_server(server: TestServer) -> anyhow::Result<()> {
    let client = connect(&server).await?;

    let health = client.health().await?;

    assert_eq!(health.services.len(), 6);
    assert!(!health.checks.is_empty());
    Ok(())
}

kiro_testkit::on_both_backends!(
    connect_lists_the_six_services,
    a_client_of_another_major_version_is_incompatible,
    health_reports_the_server,
);
