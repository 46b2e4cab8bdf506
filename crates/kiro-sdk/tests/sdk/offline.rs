//! The offline queue against a real server that is halted and resumed: order, exactly-once
//! delivery, conflict policies, refused mutations, restarts and background replay.

use std::sync::Arc;
use std::time::Duration;

use kiro_sdk::kiro_types::workspace::WorkspaceOut;
use kiro_sdk::{
    Call, Conflict, ConflictPolicy, KiroClient, OfflineQueue, Outcome, Resolution, Submitted,
};
use kiro_testkit::{TestServer, on_both_backends};
use serde_json::json;

use crate::{admin, connect, workspaces};

on_both_backends!(
    mutations_made_offline_land_once_and_in_order_when_the_server_returns,
    a_replay_after_a_lost_response_does_not_apply_twice,
    server_wins_drops_the_local_rename,
    client_wins_resends_with_the_current_etag,
    merge_sends_what_the_function_returns,
    a_refused_mutation_is_recorded_and_does_not_block_the_queue,
    replay_stops_at_the_first_connection_error_and_keeps_the_rest,
    the_queue_resumes_after_a_restart_of_the_process,
    replay_on_replays_when_the_connection_comes_back,
);

/// A generous deadline for awaited events.
const DEADLINE: Duration = Duration::from_secs(20);

async fn signed_in(server: &TestServer) -> anyhow::Result<KiroClient> {
    let client = connect(server).await?;
    client.authenticate(admin(server)).await?;
    Ok(client)
}

fn create(name: &str) -> Call {
    Call::post("/v1/workspaces").json(json!({ "name": name }))
}

fn rename(workspace: &WorkspaceOut, name: &str) -> Call {
    Call::patch(format!("/v1/workspaces/{}", workspace.id))
        .json(json!({ "name": name }))
        .if_match(format!("\"{}\"", workspace.version))
}

async fn create_now(client: &KiroClient, name: &str) -> anyhow::Result<WorkspaceOut> {
    Ok(client.call(create(name)).await?.json()?)
}

async fn get(client: &KiroClient, workspace: &WorkspaceOut) -> anyhow::Result<WorkspaceOut> {
    let path = format!("/v1/workspaces/{}", workspace.id);
    Ok(client.call(Call::get(path)).await?.json()?)
}

fn queued(submitted: Submitted) -> anyhow::Result<i64> {
    match submitted {
        Submitted::Queued { id } => Ok(id),
        Submitted::Sent(reply) => anyhow::bail!("expected it queued, it was sent: {reply:?}"),
    }
}

async fn open_queue(
    client: &KiroClient,
    dir: &tempfile::TempDir,
    policy: ConflictPolicy,
) -> anyhow::Result<OfflineQueue> {
    Ok(OfflineQueue::open(dir.path().join("queue.db"), client.clone(), policy).await?)
}

async fn mutations_made_offline_land_once_and_in_order_when_the_server_returns(
    mut server: TestServer,
) -> anyhow::Result<()> {
    let client = signed_in(&server).await?;
    let dir = tempfile::tempdir()?;
    let queue = open_queue(&client, &dir, ConflictPolicy::ServerWins).await?;
    let existing = create_now(&client, "before").await?;
    server.halt().await?;

    let mut ids = Vec::new();
    for call in [
        create("first"),
        rename(&existing, "renamed"),
        create("second"),
        create("third"),
    ] {
        ids.push(queued(queue.submit(call).await?)?);
    }
    assert_eq!(queue.len().await?, 4);
    assert!(ids.windows(2).all(|w| w[0] < w[1]));
    server.resume().await?;
    let report = queue.replay().await?;

    assert!(report.interrupted.is_none(), "{:?}", report.interrupted);
    assert_eq!(report.sent().count(), 4);
    assert_eq!(report.remaining, 0);
    assert!(queue.is_empty().await?);
    let names = workspaces(&client).await?;
    let ours: Vec<&str> = names.iter().map(|w| w.name.as_str()).collect();
    // Oldest first: the personal workspace, then ours in creation order.
    assert_eq!(&ours[1..], ["renamed", "first", "second", "third"]);
    // Once the queue is empty, a mutation goes straight out.
    let now = queue.submit(create("online")).await?;
    assert!(matches!(now, Submitted::Sent(reply) if reply.status == 201));
    Ok(())
}

async fn a_replay_after_a_lost_response_does_not_apply_twice(
    mut server: TestServer,
) -> anyhow::Result<()> {
    let client = signed_in(&server).await?;
    let dir = tempfile::tempdir()?;
    let queue = open_queue(&client, &dir, ConflictPolicy::ServerWins).await?;
    server.halt().await?;
    queued(queue.submit(create("exactly once")).await?)?;
    server.resume().await?;

    // The queued request reached the server but its answer was lost: the same call, with
    // the key the queue persisted, was applied once already.
    let pending = queue.pending().await?;
    let first: WorkspaceOut = client.call(pending[0].call.clone()).await?.json()?;
    let report = queue.replay().await?;

    // The replay got the stored answer: the workspace created the first time.
    let replayed: Vec<WorkspaceOut> = report
        .sent()
        .map(|reply| reply.json())
        .collect::<Result<_, _>>()?;
    let ids = |list: &[WorkspaceOut]| list.iter().map(|w| w.id).collect::<Vec<_>>();
    assert_eq!(ids(&replayed), [first.id]);
    let named: Vec<WorkspaceOut> = workspaces(&client)
        .await?
        .into_iter()
        .filter(|w| w.name == "exactly once")
        .collect();
    assert_eq!(ids(&named), [first.id]);
    Ok(())
}

/// A workspace at version 1, a rename of it queued while the server is down, and a rename
/// by someone else once it is back: the queued one meets a 409 on replay.
async fn conflicting_rename(
    server: &mut TestServer,
    policy: ConflictPolicy,
) -> anyhow::Result<(KiroClient, OfflineQueue, WorkspaceOut, tempfile::TempDir)> {
    let client = signed_in(server).await?;
    let dir = tempfile::tempdir()?;
    let queue = open_queue(&client, &dir, policy).await?;
    let workspace = create_now(&client, "original").await?;
    server.halt().await?;
    queued(queue.submit(rename(&workspace, "mine")).await?)?;
    server.resume().await?;
    let other = signed_in(server).await?;
    other.call(rename(&workspace, "theirs")).await?;
    Ok((client, queue, workspace, dir))
}

/// Replays and checks the one conflict is reported once, in the report and on the channel.
async fn replay_one_conflict(queue: &OfflineQueue) -> anyhow::Result<Resolution> {
    let mut conflicts = queue.conflicts();
    let report = queue.replay().await?;
    anyhow::ensure!(report.interrupted.is_none(), "{:?}", report.interrupted);
    anyhow::ensure!(report.conflicts.len() == 1, "{:?}", report.conflicts);
    let heard = tokio::time::timeout(DEADLINE, conflicts.recv()).await??;
    assert_eq!(heard, report.conflicts[0]);
    assert!(
        conflicts.try_recv().is_err(),
        "a conflict was reported twice"
    );
    assert_eq!(heard.conflict.server["name"], "theirs");
    assert_eq!(heard.conflict.server_etag.as_deref(), Some("\"2\""));
    assert_eq!(heard.conflict.local(), Some(&json!({"name": "mine"})));
    assert!(queue.is_empty().await?);
    Ok(heard.resolution)
}

async fn server_wins_drops_the_local_rename(mut server: TestServer) -> anyhow::Result<()> {
    let (client, queue, workspace, _dir) =
        conflicting_rename(&mut server, ConflictPolicy::ServerWins).await?;

    let resolution = replay_one_conflict(&queue).await?;

    assert_eq!(resolution, Resolution::ServerWins);
    let now = get(&client, &workspace).await?;
    assert_eq!((now.name.as_str(), now.version), ("theirs", 2));
    Ok(())
}

async fn client_wins_resends_with_the_current_etag(mut server: TestServer) -> anyhow::Result<()> {
    let (client, queue, workspace, _dir) =
        conflicting_rename(&mut server, ConflictPolicy::ClientWins).await?;

    let resolution = replay_one_conflict(&queue).await?;

    assert_eq!(resolution, Resolution::ClientWins);
    let now = get(&client, &workspace).await?;
    assert_eq!((now.name.as_str(), now.version), ("mine", 3));
    Ok(())
}

async fn merge_sends_what_the_function_returns(mut server: TestServer) -> anyhow::Result<()> {
    let merge = ConflictPolicy::Merge(Arc::new(|c: &Conflict| {
        let theirs = c.server.get("name")?.as_str()?;
        let mine = c.local()?.get("name")?.as_str()?;
        Some(json!({ "name": format!("{theirs} & {mine}") }))
    }));
    let (client, queue, workspace, _dir) = conflicting_rename(&mut server, merge).await?;

    let resolution = replay_one_conflict(&queue).await?;

    assert_eq!(
        resolution,
        Resolution::Merged(json!({"name": "theirs & mine"}))
    );
    let now = get(&client, &workspace).await?;
    assert_eq!((now.name.as_str(), now.version), ("theirs & mine", 3));
    Ok(())
}

async fn a_refused_mutation_is_recorded_and_does_not_block_the_queue(
    mut server: TestServer,
) -> anyhow::Result<()> {
    let client = signed_in(&server).await?;
    let dir = tempfile::tempdir()?;
    let queue = open_queue(&client, &dir, ConflictPolicy::ClientWins).await?;
    server.halt().await?;
    let too_long = "x".repeat(101);
    let refused = queued(queue.submit(create(&too_long)).await?)?;
    queued(queue.submit(create("after the refused one")).await?)?;
    server.resume().await?;

    let report = queue.replay().await?;

    assert_eq!(report.failed.len(), 1);
    assert_eq!(report.failed[0].id, refused);
    assert_eq!(report.failed[0].status, Some(422));
    assert!(matches!(report.replayed[0].outcome, Outcome::Failed(_)));
    assert!(matches!(report.replayed[1].outcome, Outcome::Sent(_)));
    assert_eq!(queue.failed().await?, report.failed);
    assert!(queue.is_empty().await?);
    let names: Vec<String> = workspaces(&client)
        .await?
        .into_iter()
        .map(|w| w.name)
        .collect();
    assert!(names.contains(&"after the refused one".to_owned()));
    assert!(!names.contains(&too_long));
    Ok(())
}

async fn replay_stops_at_the_first_connection_error_and_keeps_the_rest(
    mut server: TestServer,
) -> anyhow::Result<()> {
    let client = signed_in(&server).await?;
    let dir = tempfile::tempdir()?;
    let queue = open_queue(&client, &dir, ConflictPolicy::ServerWins).await?;
    server.halt().await?;
    for name in ["a", "b", "c"] {
        queued(queue.submit(create(name)).await?)?;
    }

    let report = queue.replay().await?;

    assert!(matches!(report.interrupted, Some(ref e) if e.retryable()));
    assert!(report.replayed.is_empty());
    assert_eq!(report.remaining, 3);
    let left: Vec<_> = queue.pending().await?.into_iter().map(|p| p.call).collect();
    assert_eq!(left[0].body, Some(json!({"name": "a"})));
    assert_eq!(left.len(), 3);
    Ok(())
}

async fn the_queue_resumes_after_a_restart_of_the_process(
    mut server: TestServer,
) -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let keys = {
        let client = signed_in(&server).await?;
        let queue = open_queue(&client, &dir, ConflictPolicy::ServerWins).await?;
        server.halt().await?;
        queued(queue.submit(create("survivor 1")).await?)?;
        queued(queue.submit(create("survivor 2")).await?)?;
        let pending = queue.pending().await?;
        pending
            .into_iter()
            .map(|p| p.call.idempotency_key)
            .collect::<Vec<_>>()
    };
    server.resume().await?;

    let client = signed_in(&server).await?;
    let queue = open_queue(&client, &dir, ConflictPolicy::ServerWins).await?;
    let resumed: Vec<_> = queue.pending().await?;
    let report = queue.replay().await?;

    let resumed_keys: Vec<_> = resumed
        .into_iter()
        .map(|p| p.call.idempotency_key)
        .collect();
    assert_eq!(resumed_keys, keys);
    assert_eq!(report.sent().count(), 2);
    let names: Vec<String> = workspaces(&client)
        .await?
        .into_iter()
        .map(|w| w.name)
        .collect();
    assert_eq!(&names[names.len() - 2..], ["survivor 1", "survivor 2"]);
    Ok(())
}

async fn replay_on_replays_when_the_connection_comes_back(
    mut server: TestServer,
) -> anyhow::Result<()> {
    let client = signed_in(&server).await?;
    let dir = tempfile::tempdir()?;
    let queue = open_queue(&client, &dir, ConflictPolicy::ServerWins).await?;
    let (connected, trigger) = tokio::sync::watch::channel(true);
    let mut replays = queue.replays();
    let task = queue.replay_on(trigger);
    // The first run, with nothing queued.
    let empty = tokio::time::timeout(DEADLINE, replays.recv()).await??;
    assert!(empty.replayed.is_empty());

    server.halt().await?;
    connected.send(false)?;
    queued(queue.submit(create("while down")).await?)?;
    server.resume().await?;
    connected.send(true)?;
    let report = tokio::time::timeout(DEADLINE, replays.recv()).await??;

    assert_eq!(report.sent().count(), 1);
    assert!(queue.is_empty().await?);
    drop(connected);
    tokio::time::timeout(DEADLINE, task).await??;
    Ok(())
}
