//! The `ETag` cache: revalidation with 304, stale answers while the server is away, and
//! invalidation by events and by writes.

use kiro_sdk::kiro_types::workspace::WorkspaceOut;
use kiro_sdk::{KiroError, Source};
use kiro_testkit::TestServer;

use crate::{create_workspace, next_event, ready, rename_workspace, signed_in};

async fn repeated_gets_are_revalidated_with_304(server: TestServer) -> anyhow::Result<()> {
    let client = signed_in(&server).await?;
    let workspace = create_workspace(&client, "cached").await?;
    let path = format!("/v1/workspaces/{}", workspace.id);

    let first = client.get::<WorkspaceOut>(&path).await?;
    let attempts = client.attempts();
    let second = client.get::<WorkspaceOut>(&path).await?;
    let third = client.get::<WorkspaceOut>(&path).await?;

    assert_eq!(first.source, Source::Network);
    assert_eq!(first.etag.as_deref(), Some("\"1\""));
    assert_eq!(
        (second.source, third.source),
        (Source::Revalidated, Source::Revalidated)
    );
    assert_eq!(third.value, first.value);
    assert_eq!(client.attempts() - attempts, 2);
    let stats = client.cache_stats();
    assert_eq!((stats.hits, stats.misses, stats.revalidated), (2, 1, 2));
    Ok(())
}

async fn an_unreachable_server_serves_the_cached_answer_stale(
    mut server: TestServer,
) -> anyhow::Result<()> {
    let client = signed_in(&server).await?;
    let workspace = create_workspace(&client, "kept").await?;
    let path = format!("/v1/workspaces/{}", workspace.id);
    client.get::<WorkspaceOut>(&path).await?;

    server.halt().await?;
    let stale = client.get::<WorkspaceOut>(&path).await?;
    let uncached = client.get::<WorkspaceOut>("/v1/auth/me").await;

    assert_eq!(stale.source, Source::Stale);
    assert!(stale.is_stale());
    assert_eq!(stale.value.name, "kept");
    assert!(
        matches!(uncached, Err(KiroError::Connection(_))),
        "{uncached:?}"
    );
    assert_eq!(client.cache_stats().stale_served, 1);
    server.resume().await?;
    assert_eq!(
        client.get::<WorkspaceOut>(&path).await?.source,
        Source::Revalidated
    );
    Ok(())
}

async fn an_event_invalidates_the_cached_answer(server: TestServer) -> anyhow::Result<()> {
    let reader = signed_in(&server).await?;
    let writer = signed_in(&server).await?;
    let workspace = create_workspace(&writer, "old name").await?;
    let path = format!("/v1/workspaces/{}", workspace.id);
    let mut events = reader.subscribe(["tenancy"])?;
    ready(&mut events).await?;
    reader.get::<WorkspaceOut>(&path).await?;

    rename_workspace(&writer, &workspace.id.to_string(), "new name").await?;
    next_event(&mut events).await?;
    let fresh = reader.get::<WorkspaceOut>(&path).await?;

    assert_eq!(fresh.source, Source::Network);
    assert_eq!(fresh.value.name, "new name");
    assert_eq!(reader.cache_stats().invalidated, 1);
    Ok(())
}

async fn a_write_through_the_client_drops_the_entry(server: TestServer) -> anyhow::Result<()> {
    let client = signed_in(&server).await?;
    let workspace = create_workspace(&client, "a").await?;
    let path = format!("/v1/workspaces/{}", workspace.id);
    client.get::<WorkspaceOut>(&path).await?;

    rename_workspace(&client, &workspace.id.to_string(), "b").await?;
    let after = client.get::<WorkspaceOut>(&path).await?;

    assert_eq!(after.source, Source::Network);
    assert_eq!(after.value.name, "b");
    Ok(())
}

kiro_testkit::on_both_backends!(
    repeated_gets_are_revalidated_with_304,
    an_unreachable_server_serves_the_cached_answer_stale,
    an_event_invalidates_the_cached_answer,
    a_write_through_the_client_drops_the_entry,
);
