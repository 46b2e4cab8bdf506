//! Connection status, service handles and live reconfiguration.

use std::time::Duration;

use kiro_sdk::kiro_types::discovery::ServiceStatus;
use kiro_sdk::{ConfigManager, ConnectionStatus, KiroClient, KiroError};
use kiro_testkit::{Backend, TestServer, spawn_server_on};

use crate::{
    admin, await_status, create_workspace, fast_config, next_event, rename_workspace, signed_in,
};

async fn status_follows_a_halted_and_resumed_server(mut server: TestServer) -> anyhow::Result<()> {
    let client = signed_in(&server).await?;
    assert_eq!(client.connection_status(), ConnectionStatus::Connected);
    let mut changes = client.on_connection_change();
    changes.mark_unchanged();

    server.halt().await?;
    let result = client.me().await;

    assert!(
        matches!(result, Err(KiroError::Connection(_))),
        "{result:?}"
    );
    assert!(changes.has_changed()?);
    assert_eq!(*changes.borrow_and_update(), ConnectionStatus::Offline);
    assert_eq!(ConnectionStatus::Offline.to_string(), "offline");
    server.resume().await?;
    client.me().await?;
    assert_eq!(*changes.borrow_and_update(), ConnectionStatus::Connected);
    Ok(())
}

async fn service_handles_show_discovery_and_health(server: TestServer) -> anyhow::Result<()> {
    let client = signed_in(&server).await?;

    let workflow = client.workflow();
    let missing = workflow.call(kiro_sdk::Call::get("/definitions")).await;

    assert_eq!(workflow.info().map(|i| i.name), Some("workflow".to_owned()));
    // Not built yet: the server says so, and the route is not there.
    assert_eq!(workflow.status(), Some(ServiceStatus::Unavailable));
    assert_eq!(missing.err().and_then(|e| e.status()), Some(404));
    let health = workflow
        .health()
        .ok_or_else(|| anyhow::anyhow!("no workflow health"))?;
    assert_eq!((health.requests, health.failures), (1, 0));
    for handle in [
        client.prototyping(),
        client.documentation(),
        (*client.planning()).clone(),
        (*client.execution()).clone(),
        (*client.assessment()).clone(),
    ] {
        assert!(
            handle.info().is_some(),
            "{} is not discovered",
            handle.name()
        );
    }
    Ok(())
}

async fn reconfigure_moves_every_clone_and_the_subscription(
    server: TestServer,
) -> anyhow::Result<()> {
    let other = match spawn_server_on(server.backend).await? {
        Some(other) => other,
        None => anyhow::bail!("a second {:?} server could not start", server.backend),
    };
    let client = signed_in(&server).await?;
    let clone = client.clone();
    let first = create_workspace(&client, "on the first server").await?;
    let mut events = client.subscribe(["tenancy"])?;
    crate::ready(&mut events).await?;
    rename_workspace(&client, &first.id.to_string(), "renamed here").await?;
    assert_eq!(
        next_event(&mut events).await?.resource_id,
        first.id.to_string()
    );

    // The workspace watched on the second server exists before the socket moves there.
    let there = create_workspace(&signed_in(&other).await?, "on the second server").await?;
    let mut config = fast_config(&other.base_url);
    config.timeout = Duration::from_secs(15);
    clone.reconfigure(config).await?;
    client.authenticate(admin(&other)).await?;
    crate::ready(&mut events).await?;
    let renamed = rename_workspace(&clone, &there.id.to_string(), "renamed there").await?;

    assert_eq!(client.config().server_url, other.base_url);
    assert_eq!(client.config().timeout, Duration::from_secs(15));
    // The subscription follows: the second server's events arrive.
    let updated = next_event(&mut events).await?;
    assert_eq!(updated.resource_id, there.id.to_string());
    assert_eq!(updated.event_type, "tenancy.workspace.updated");
    assert_eq!(updated.version, renamed.version);
    Ok(())
}

async fn a_failed_reconfigure_changes_nothing(server: TestServer) -> anyhow::Result<()> {
    let client = signed_in(&server).await?;
    let mut config = fast_config(&server.base_url);
    config.supported_api = ("2.0".into(), "2.x".into());

    let result = client.reconfigure(config).await;

    assert!(
        matches!(result, Err(KiroError::Incompatible { .. })),
        "{result:?}"
    );
    assert_eq!(
        client.config().supported_api.0,
        kiro_sdk::kiro_types::API_VERSION
    );
    let unreachable = fast_config(&crate::faults::refused_url()?);
    assert!(client.reconfigure(unreachable).await.is_err());
    assert_eq!(client.config().server_url, server.base_url);
    client.me().await?;
    await_status(&client, ConnectionStatus::Connected).await
}

async fn a_switch_of_environment_moves_a_following_client(
    server: TestServer,
) -> anyhow::Result<()> {
    let Some(other) = spawn_server_on(server.backend).await? else {
        anyhow::bail!("a second {:?} server could not start", server.backend);
    };
    let mut manager = ConfigManager::new("dev", &fast_config(&server.base_url));
    manager.insert("staging", &fast_config(&other.base_url))?;
    let client = KiroClient::connect(manager.active()).await?;
    let following = client.follow(manager.watch());
    let mut applied = following.applied();

    manager.use_env("staging")?;
    let moved = tokio::time::timeout(crate::DEADLINE, applied.recv()).await??;
    assert_eq!(moved.map(|c| c.server_url)?, other.base_url);
    assert_eq!(client.config().server_url, other.base_url);
    client.authenticate(admin(&other)).await?;
    let me = client.me().await?;
    assert_eq!(me.user.map(|u| u.email), Some(other.admin.email.clone()));

    // A change the client cannot take (no server there) is reported and changes nothing.
    manager.set("server_url", "http://127.0.0.1:9")?;
    let refused = tokio::time::timeout(crate::DEADLINE, applied.recv()).await??;
    assert!(refused.is_err_and(|e| matches!(e, KiroError::Connection(_))));
    assert_eq!(client.config().server_url, other.base_url);
    drop(manager);
    tokio::time::timeout(crate::DEADLINE, async {
        while following.is_running() {
            tokio::task::yield_now().await;
        }
    })
    .await?;
    Ok(())
}

kiro_testkit::on_both_backends!(
    a_switch_of_environment_moves_a_following_client,
    status_follows_a_halted_and_resumed_server,
    service_handles_show_discovery_and_health,
    reconfigure_moves_every_clone_and_the_subscription,
    a_failed_reconfigure_changes_nothing,
);

#[tokio::test]
async fn a_new_client_is_offline_until_answered() -> anyhow::Result<()> {
    let client = KiroClient::new(fast_config(&crate::faults::refused_url()?))?;
    assert_eq!(client.connection_status(), ConnectionStatus::Offline);
    let _ = Backend::Sqlite;
    Ok(())
}
