//! The event stream: live delivery, replay with `since`, resume after a disconnect, workspace
//! isolation, polling, retention, and every kind of bad input answered with an `error`
//! message on a connection that stays up.

use kiro_testkit::{TestServer, on_both_backends};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use tokio_tungstenite::tungstenite::Message;

use crate::helpers::{Reply, call, http, new_user};
use crate::ws;

async fn personal(server: &TestServer, token: &str) -> String {
    let me = call(server, Method::GET, "/v1/auth/me", Some(token), None).await;
    me.body["workspaces"][0]["id"].as_str().unwrap().to_owned()
}

async fn rename(server: &TestServer, token: &str, ws: &str, name: &str) -> Value {
    let reply = call(
        server,
        Method::PATCH,
        &format!("/v1/workspaces/{ws}"),
        Some(token),
        Some(json!({ "name": name })),
    )
    .await;
    assert_eq!(reply.status, StatusCode::OK, "{:?}", reply.body);
    reply.body
}

async fn a_change_reaches_a_subscriber_at_once(server: TestServer) -> anyhow::Result<()> {
    let (token, _, _) = new_user(&server, "Live").await;
    let workspace = personal(&server, &token).await;
    let mut socket = ws::connect(&server.base_url, &token).await;
    let subscribed = socket
        .subscribe(json!({ "type": "subscribe", "topics": ["tenancy"] }))
        .await;
    assert!(subscribed["head"].as_i64().unwrap() >= 1);
    rename(&server, &token, &workspace, "Renamed live").await;
    let event = socket.next_event().await;
    assert_eq!(event["type"], "tenancy.workspace.updated");
    assert_eq!(event["topic"], format!("tenancy.workspace.{workspace}"));
    assert_eq!(event["workspaceId"], workspace.as_str());
    assert_eq!(event["version"], 2);
    assert_eq!(event["data"]["name"], "Renamed live");
    assert!(event["actor"].as_str().unwrap().starts_with("user:"));
    assert!(event["id"].as_i64().unwrap() > subscribed["head"].as_i64().unwrap());
    socket.send(json!({ "type": "ping" })).await;
    assert_eq!(socket.next().await["type"], "pong");
    Ok(())
}

async fn a_workspace_created_while_subscribed_streams_at_once(
    server: TestServer,
) -> anyhow::Result<()> {
    let (token, _, _) = new_user(&server, "Grows").await;
    let mut socket = ws::connect(&server.base_url, &token).await;
    socket
        .subscribe(json!({ "type": "subscribe", "topics": ["tenancy"] }))
        .await;
    let created = call(
        &server,
        Method::POST,
        "/v1/workspaces",
        Some(&token),
        Some(json!({ "name": "New" })),
    )
    .await;
    assert_eq!(created.status, StatusCode::CREATED);
    let id = created.body["id"].as_str().unwrap().to_owned();
    let event = socket.next_event().await;
    assert_eq!(event["type"], "tenancy.workspace.created");
    assert_eq!(event["workspaceId"], id.as_str());
    rename(&server, &token, &id, "Renamed").await;
    assert_eq!(
        socket.next_event().await["type"],
        "tenancy.workspace.updated"
    );
    Ok(())
}

async fn since_replays_then_streams_without_gap(server: TestServer) -> anyhow::Result<()> {
    let (token, _, _) = new_user(&server, "Replay").await;
    let workspace = personal(&server, &token).await;
    let start = call(
        &server,
        Method::GET,
        "/v1/events?limit=1000",
        Some(&token),
        None,
    )
    .await;
    let since = start.body["head"].as_i64().unwrap();
    for n in 1..=3 {
        rename(&server, &token, &workspace, &format!("v{n}")).await;
    }
    let mut socket = ws::connect(&server.base_url, &token).await;
    socket
        .subscribe(json!({ "type": "subscribe", "topics": ["*"], "since": since }))
        .await;
    let mut names = Vec::new();
    for _ in 0..3 {
        names.push(
            socket.next_event().await["data"]["name"]
                .as_str()
                .unwrap()
                .to_owned(),
        );
    }
    assert_eq!(names, ["v1", "v2", "v3"]);
    rename(&server, &token, &workspace, "v4").await;
    assert_eq!(socket.next_event().await["data"]["name"], "v4");

    // Disconnect, miss two changes, resume from the last id seen: exactly those two.
    let last = call(&server, Method::GET, "/v1/events", Some(&token), None)
        .await
        .body["head"]
        .as_i64()
        .unwrap();
    socket.close().await;
    rename(&server, &token, &workspace, "v5").await;
    rename(&server, &token, &workspace, "v6").await;
    let mut again = ws::connect(&server.base_url, &token).await;
    again
        .subscribe(json!({ "type": "subscribe", "topics": ["tenancy.workspace.*"], "since": last }))
        .await;
    assert_eq!(again.next_event().await["data"]["name"], "v5");
    assert_eq!(again.next_event().await["data"]["name"], "v6");
    again.send(json!({ "type": "ping" })).await;
    assert_eq!(
        again.next().await["type"],
        "pong",
        "nothing else was delivered"
    );
    Ok(())
}

async fn a_subscriber_only_sees_its_own_workspaces(server: TestServer) -> anyhow::Result<()> {
    let (alice, _, _) = new_user(&server, "Alice").await;
    let (bob, _, _) = new_user(&server, "Bob").await;
    let alice_ws = personal(&server, &alice).await;
    let bob_ws = personal(&server, &bob).await;
    let mut socket = ws::connect(&server.base_url, &bob).await;
    socket
        .subscribe(json!({ "type": "subscribe", "topics": ["*"], "since": 0 }))
        .await;
    // Bob's replay holds only his own workspace's history.
    let first = socket.next_event().await;
    assert_eq!(first["workspaceId"], bob_ws.as_str());
    rename(&server, &alice, &alice_ws, "Alice's secret").await;
    rename(&server, &bob, &bob_ws, "Bob's").await;
    let next = socket.next_event().await;
    assert_eq!(
        next["data"]["name"], "Bob's",
        "Alice's event was never sent to Bob"
    );
    socket
        .send(json!({ "type": "subscribe", "topics": ["*"], "workspaceId": alice_ws }))
        .await;
    let refused = socket.next().await;
    assert_eq!(refused["type"], "error");
    assert_eq!(refused["code"], "workspace.not_found");
    let polled = call(
        &server,
        Method::GET,
        "/v1/events?since=0&limit=1000",
        Some(&bob),
        None,
    )
    .await;
    assert!(!polled.body.to_string().contains(&alice_ws));
    Ok(())
}

async fn bad_messages_get_errors_and_the_connection_stays(
    server: TestServer,
) -> anyhow::Result<()> {
    let (token, _, _) = new_user(&server, "Bad").await;
    let mut socket = ws::connect(&server.base_url, &token).await;
    let cases = [
        (
            json!({ "type": "subscribe", "topics": ["nosuch.service"] }),
            "events.invalid_topic",
        ),
        (
            json!({ "type": "subscribe", "topics": [] }),
            "events.invalid_topic",
        ),
        (json!({ "type": "dance" }), "events.invalid_message"),
        (
            json!({ "type": "subscribe", "topics": ["*"], "since": 1_000_000_000 }),
            "events.since_ahead",
        ),
    ];
    for (message, code) in cases {
        socket.send(message).await;
        let reply = socket.next().await;
        assert_eq!(reply["type"], "error");
        assert_eq!(reply["code"], code, "{reply}");
    }
    socket.send_raw(Message::text("{not json")).await;
    assert_eq!(socket.next().await["code"], "events.invalid_message");
    socket.send_raw(Message::binary(vec![1u8, 2, 3])).await;
    assert_eq!(socket.next().await["code"], "events.invalid_message");
    socket
        .send_raw(Message::text(format!(
            "{{\"type\":\"ping\",\"pad\":\"{}\"}}",
            "x".repeat(70_000)
        )))
        .await;
    assert_eq!(socket.next().await["code"], "events.message_too_large");
    socket.send(json!({ "type": "ping" })).await;
    assert_eq!(
        socket.next().await["type"],
        "pong",
        "the connection is still up"
    );
    Ok(())
}

async fn the_stream_needs_credentials(server: TestServer) -> anyhow::Result<()> {
    let url = format!("{}/v1/events", server.base_url.replacen("http", "ws", 1));
    let refused = tokio_tungstenite::connect_async(url.as_str()).await;
    match refused {
        Err(tokio_tungstenite::tungstenite::Error::Http(response)) => {
            assert_eq!(response.status(), 401);
        }
        other => panic!("expected a 401, got {other:?}"),
    }
    let (token, _, _) = new_user(&server, "Browser").await;
    let with_query = tokio_tungstenite::connect_async(format!("{url}?access_token={token}")).await;
    assert!(with_query.is_ok(), "browsers pass the token in the query");
    Ok(())
}

async fn polling_pages_through_events(server: TestServer) -> anyhow::Result<()> {
    let (token, _, _) = new_user(&server, "Poll").await;
    let workspace = personal(&server, &token).await;
    for n in 0..3 {
        rename(&server, &token, &workspace, &format!("p{n}")).await;
    }
    let first = call(
        &server,
        Method::GET,
        "/v1/events?since=0&limit=2",
        Some(&token),
        None,
    )
    .await;
    assert_eq!(first.status, StatusCode::OK);
    assert_eq!(first.body["items"].as_array().unwrap().len(), 2);
    let next = first.body["nextSince"].as_i64().unwrap();
    let rest = call(
        &server,
        Method::GET,
        &format!("/v1/events?since={next}&limit=100&topics=tenancy.workspace.*"),
        Some(&token),
        None,
    )
    .await;
    let names: Vec<&str> = rest.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["data"]["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["p1", "p2"]);
    let bad_limit = call(
        &server,
        Method::GET,
        "/v1/events?limit=0",
        Some(&token),
        None,
    )
    .await;
    assert_eq!(bad_limit.code(), "request.invalid_query");
    let bad_topic = call(
        &server,
        Method::GET,
        "/v1/events?topics=bogus",
        Some(&token),
        None,
    )
    .await;
    assert_eq!(bad_topic.code(), "events.invalid_topic");
    let ahead = call(
        &server,
        Method::GET,
        "/v1/events?since=999999999",
        Some(&token),
        None,
    )
    .await;
    assert_eq!(ahead.code(), "events.since_ahead");
    Ok(())
}

async fn resuming_past_retention_says_expired(server: TestServer) -> anyhow::Result<()> {
    let (token, _, _) = new_user(&server, "Old").await;
    let workspace = personal(&server, &token).await;
    rename(&server, &token, &workspace, "old").await;
    let removed = server
        .state
        .store
        .sweep_events(chrono::Utc::now() + chrono::Duration::seconds(1))
        .await?;
    assert!(removed >= 2);
    let polled = call(
        &server,
        Method::GET,
        "/v1/events?since=0",
        Some(&token),
        None,
    )
    .await;
    assert_eq!(polled.status, StatusCode::GONE);
    crate::assert_error_snapshot!("events_expired", &polled.body);
    let mut socket = ws::connect(&server.base_url, &token).await;
    socket
        .send(json!({ "type": "subscribe", "topics": ["*"], "since": 0 }))
        .await;
    assert_eq!(socket.next().await["code"], "events.expired");
    let head = polled.body["error"]["message"].as_str().unwrap().to_owned();
    assert!(head.contains("past retention"));
    Ok(())
}

async fn a_key_subscriber_sees_its_own_revocation(server: TestServer) -> anyhow::Result<()> {
    let (token, _, _) = new_user(&server, "Keyed").await;
    let created = call(
        &server,
        Method::POST,
        "/v1/auth/api-keys",
        Some(&token),
        Some(json!({ "name": "ws" })),
    )
    .await;
    let key = created.body["secret"].as_str().unwrap().to_owned();
    let id = created.body["id"].as_str().unwrap().to_owned();
    let mut socket = ws::connect(&server.base_url, &key).await;
    socket
        .subscribe(json!({ "type": "subscribe", "topics": ["auth"] }))
        .await;
    let revoked = Reply::from(
        http()
            .delete(server.url(&format!("/v1/auth/api-keys/{id}")))
            .bearer_auth(&token)
            .send()
            .await?,
    )
    .await;
    assert_eq!(revoked.status, StatusCode::NO_CONTENT);
    let event = socket.next_event().await;
    assert_eq!(event["type"], "auth.api_key.revoked");
    assert!(event["data"].get("secret").is_none());
    Ok(())
}

on_both_backends!(
    a_change_reaches_a_subscriber_at_once,
    a_workspace_created_while_subscribed_streams_at_once,
    since_replays_then_streams_without_gap,
    a_subscriber_only_sees_its_own_workspaces,
    bad_messages_get_errors_and_the_connection_stays,
    the_stream_needs_credentials,
    polling_pages_through_events,
    resuming_past_retention_says_expired,
    a_key_subscriber_sees_its_own_revocation,
);

/// On its heartbeat the server re-checks the credential: a revoked key's stream ends with an
/// error naming why.
#[tokio::test]
async fn a_revoked_key_loses_its_stream_at_the_next_heartbeat() {
    let server = kiro_testkit::spawn_server_with(kiro_testkit::Backend::Sqlite, |c| {
        c.events.heartbeat_secs = 1;
        c.events.idle_timeout_secs = 30;
    })
    .await
    .unwrap()
    .unwrap();
    let (token, _, _) = new_user(&server, "Cut").await;
    let created = call(
        &server,
        Method::POST,
        "/v1/auth/api-keys",
        Some(&token),
        Some(json!({ "name": "ws" })),
    )
    .await;
    let key = created.body["secret"].as_str().unwrap().to_owned();
    let id = created.body["id"].as_str().unwrap().to_owned();
    let mut socket = ws::connect(&server.base_url, &key).await;
    socket
        .subscribe(json!({ "type": "subscribe", "topics": ["tenancy"] }))
        .await;
    call(
        &server,
        Method::DELETE,
        &format!("/v1/auth/api-keys/{id}"),
        Some(&token),
        None,
    )
    .await;
    let message = socket.next().await;
    assert_eq!(message["type"], "error");
    assert_eq!(message["code"], "auth.invalid_api_key");
    assert!(message["message"].as_str().unwrap().contains("closing"));
}
