//! `batch()`: many calls, one round trip, one answer per call in order.

use kiro_sdk::Call;
use kiro_sdk::kiro_types::workspace::WorkspaceOut;
use kiro_testkit::TestServer;

use crate::{create_workspace, signed_in};

async fn a_batch_answers_each_call_in_order(server: TestServer) -> anyhow::Result<()> {
    let client = signed_in(&server).await?;
    let workspace = create_workspace(&client, "batched").await?;
    let path = format!("/v1/workspaces/{}", workspace.id);
    let calls = vec![
        Call::get(&path),
        Call::patch(&path)
            .json(serde_json::json!({"name": "renamed in a batch"}))
            .if_match("\"1\""),
        Call::patch(&path)
            .json(serde_json::json!({"name": "stale"}))
            .if_match("\"1\""),
        Call::get("/v1/workspaces/0190a000-0000-7000-8000-000000000000"),
        Call::get(&path).if_none_match("\"2\""),
    ];
    let attempts = client.attempts();

    let results = client.batch(calls).await?;

    assert_eq!(client.attempts() - attempts, 1);
    assert_eq!(results.len(), 5);
    let first: WorkspaceOut = results[0].as_ref().map_err(Clone::clone)?.json()?;
    assert_eq!(first.name, "batched");
    let renamed = results[1].as_ref().map_err(Clone::clone)?;
    assert_eq!(renamed.etag.as_deref(), Some("\"2\""));
    assert_eq!(
        results[2].as_ref().err().and_then(|e| e.status()),
        Some(409)
    );
    assert_eq!(
        results[3].as_ref().err().and_then(|e| e.code()),
        Some("workspace.not_found")
    );
    assert_eq!(results[4].as_ref().map(|r| r.status).ok(), Some(304));
    Ok(())
}

async fn more_than_a_hundred_calls_go_as_several_batches(server: TestServer) -> anyhow::Result<()> {
    let client = signed_in(&server).await?;
    let calls = vec![Call::get("/v1/auth/me"); 150];
    let attempts = client.attempts();

    let results = client.batch(calls).await?;

    assert_eq!(results.len(), 150);
    assert!(results.iter().all(Result::is_ok));
    assert_eq!(client.attempts() - attempts, 2);
    Ok(())
}

kiro_testkit::on_both_backends!(
    a_batch_answers_each_call_in_order,
    more_than_a_hundred_calls_go_as_several_batches,
);
