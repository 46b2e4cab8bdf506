//! Event subscriptions: live delivery, and resume without gap or duplicate after the server
//! goes away and comes back.

use std::collections::HashSet;

use futures::StreamExt;
use kiro_sdk::KiroError;
use kiro_testkit::TestServer;

use crate::{DEADLINE, create_workspace, next_event, ready, rename_workspace, signed_in};

async fn a_rename_arrives_on_the_subscription(server: TestServer) -> anyhow::Result<()> {
    let client = signed_in(&server).await?;
    let workspace = create_workspace(&client, "before").await?;
    let topic = format!("tenancy.workspace.{}", workspace.id);
    let mut events = client.subscribe([topic.clone()])?;
    let mut everything = client.subscribe(["*"])?;
    ready(&mut events).await?;
    ready(&mut everything).await?;
    rename_workspace(&client, &workspace.id.to_string(), "after").await?;

    let event = next_event(&mut events).await?;
    let same = next_event(&mut everything).await?;

    assert_eq!(event.event_type, "tenancy.workspace.updated");
    assert_eq!(event.topic, topic);
    assert_eq!(event.data["name"], "after");
    assert_eq!(same.id, event.id);
    Ok(())
}

async fn the_subscription_resumes_after_a_restart_without_gap_or_duplicate(
    mut server: TestServer,
) -> anyhow::Result<()> {
    let client = signed_in(&server).await?;
    let workspace = create_workspace(&client, "w0").await?;
    let id = workspace.id.to_string();
    let mut events = client.subscribe(["tenancy.workspace.*"])?;
    ready(&mut events).await?;
    rename_workspace(&client, &id, "w1").await?;
    let first = next_event(&mut events).await?;

    server.halt().await?;
    server.resume().await?;
    // Changes made while the socket is down or reconnecting.
    for n in 2..=4 {
        rename_workspace(&client, &id, &format!("w{n}")).await?;
    }

    let mut seen = vec![first.id];
    let mut names = Vec::new();
    for _ in 2..=4 {
        let event = next_event(&mut events).await?;
        seen.push(event.id);
        names.push(event.data["name"].as_str().unwrap_or_default().to_owned());
    }
    assert_eq!(names, ["w2", "w3", "w4"]);
    assert!(seen.windows(2).all(|w| w[0] < w[1]), "{seen:?}");
    assert_eq!(seen.iter().collect::<HashSet<_>>().len(), seen.len());
    // Nothing else pending: no duplicate arrives behind them.
    rename_workspace(&client, &id, "w5").await?;
    assert_eq!(next_event(&mut events).await?.data["name"], "w5");
    Ok(())
}

async fn a_bad_topic_is_refused_before_sending(server: TestServer) -> anyhow::Result<()> {
    let client = signed_in(&server).await?;

    let result = client.subscribe(["nothing.here"]);

    let error = result
        .err()
        .ok_or_else(|| anyhow::anyhow!("a bad topic was accepted"))?;
    assert_eq!(error.code(), Some("events.invalid_topic"));
    assert!(matches!(error, KiroError::Api(_)));
    Ok(())
}

async fn a_dropped_stream_leaves_the_others_running(server: TestServer) -> anyhow::Result<()> {
    let client = signed_in(&server).await?;
    let workspace = create_workspace(&client, "x").await?;
    let id = workspace.id.to_string();
    let mut kept = client.subscribe(["tenancy"])?;
    let mut dropped = client.subscribe(["tenancy.workspace.*"])?;
    ready(&mut kept).await?;
    ready(&mut dropped).await?;
    rename_workspace(&client, &id, "y").await?;
    next_event(&mut kept).await?;

    drop(dropped);
    rename_workspace(&client, &id, "z").await?;

    assert_eq!(next_event(&mut kept).await?.data["name"], "z");
    let nothing = tokio::time::timeout(DEADLINE / 100, kept.next()).await;
    assert!(nothing.is_err(), "an unexpected event: {nothing:?}");
    Ok(())
}

kiro_testkit::on_both_backends!(
    a_rename_arrives_on_the_subscription,
    the_subscription_resumes_after_a_restart_without_gap_or_duplicate,
    a_bad_topic_is_refused_before_sending,
    a_dropped_stream_leaves_the_others_running,
);
