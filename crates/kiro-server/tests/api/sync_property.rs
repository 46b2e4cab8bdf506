//! Property 4 (real-time synchronisation consistency), on both backends, 100 cases each: any
//! interleaving of writes, disconnects and resumes (`subscribe` with `since` = the last id
//! received) delivers every event of the workspace exactly once, in commit order.

use kiro_testkit::{Backend, TestServer, spawn_server_on};
use proptest::prelude::*;
use proptest::test_runner::{Config, TestCaseError, TestRunner};
use reqwest::{Method, StatusCode};
use serde_json::json;

use crate::helpers::{Reply, admin_token, call, http};
use crate::ws::{self, Ws};

#[derive(Debug, Clone)]
enum Op {
    /// `n` renames; when connected and `read`, read their events before going on.
    Write {
        n: usize,
        read: bool,
    },
    Disconnect,
    Resume,
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        4 => (1..4usize, any::<bool>()).prop_map(|(n, read)| Op::Write { n, read }),
        2 => Just(Op::Disconnect),
        2 => Just(Op::Resume),
    ]
}

struct Client<'a> {
    server: &'a TestServer,
    token: &'a str,
    workspace: String,
    socket: Option<Ws>,
    received: Vec<i64>,
    start: i64,
}

impl Client<'_> {
    async fn resume(&mut self) {
        if self.socket.is_some() {
            return;
        }
        let since = self.received.last().copied().unwrap_or(self.start);
        let mut socket = ws::connect(&self.server.base_url, self.token).await;
        socket
            .subscribe(
                json!({ "type": "subscribe", "topics": ["tenancy"], "since": since,
                "workspaceId": self.workspace }),
            )
            .await;
        self.socket = Some(socket);
    }

    async fn read_one(&mut self) -> Result<(), TestCaseError> {
        let Some(socket) = self.socket.as_mut() else {
            return Ok(());
        };
        let event = socket.next_event().await;
        prop_assert_eq!(event["workspaceId"].as_str(), Some(self.workspace.as_str()));
        self.received.push(event["id"].as_i64().unwrap_or(-1));
        Ok(())
    }
}

async fn run_ops(server: &TestServer, token: &str, ops: Vec<Op>) -> Result<(), TestCaseError> {
    let created = call(
        server,
        Method::POST,
        "/v1/workspaces",
        Some(token),
        Some(json!({ "name": "sync" })),
    )
    .await;
    prop_assert_eq!(created.status, StatusCode::CREATED);
    let workspace = created.body["id"].as_str().unwrap_or("").to_owned();
    let head = call(server, Method::GET, "/v1/events?limit=1", Some(token), None).await;
    let start = head.body["head"].as_i64().unwrap_or(0);
    let mut client = Client {
        server,
        token,
        workspace: workspace.clone(),
        socket: None,
        received: vec![],
        start,
    };
    client.resume().await;
    let mut written = 0;
    for op in ops {
        match op {
            Op::Write { n, read } => {
                for _ in 0..n {
                    written += 1;
                    let reply = call(
                        server,
                        Method::PATCH,
                        &format!("/v1/workspaces/{workspace}"),
                        Some(token),
                        Some(json!({ "name": format!("w{written}") })),
                    )
                    .await;
                    prop_assert_eq!(reply.status, StatusCode::OK);
                }
                if read && client.socket.is_some() {
                    // Everything written so far is due on this connection.
                    while client.received.len() < written {
                        client.read_one().await?;
                    }
                }
            }
            Op::Disconnect => {
                if let Some(socket) = client.socket.take() {
                    socket.close().await;
                }
            }
            Op::Resume => client.resume().await,
        }
    }
    client.resume().await;
    while client.received.len() < written {
        client.read_one().await?;
    }
    let log = Reply::from(
        http()
            .get(server.url(&format!("/v1/events?since={start}&limit=1000")))
            .bearer_auth(token)
            .header("X-Kiro-Workspace", &workspace)
            .send()
            .await
            .map_err(|e| TestCaseError::fail(e.to_string()))?,
    )
    .await;
    let expected: Vec<i64> = log.body["items"]
        .as_array()
        .map(|items| items.iter().filter_map(|e| e["id"].as_i64()).collect())
        .unwrap_or_default();
    prop_assert_eq!(
        &client.received,
        &expected,
        "every event exactly once, in order"
    );
    prop_assert_eq!(expected.len(), written);
    if let Some(socket) = client.socket.take() {
        socket.close().await;
    }
    Ok(())
}

fn property_4_real_time_sync_consistency(backend: Backend) {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let Some(server) = runtime.block_on(spawn_server_on(backend)).unwrap() else {
        eprintln!("skipped on PostgreSQL: KIRO_TEST_DATABASE_URL is not set");
        return;
    };
    let token = runtime.block_on(admin_token(&server));
    let mut runner = TestRunner::new(Config {
        cases: 100,
        ..Config::default()
    });
    runner
        .run(&proptest::collection::vec(op(), 1..10), |ops| {
            runtime.block_on(run_ops(&server, &token, ops))
        })
        .unwrap();
}

#[test]
fn property_4_real_time_sync_consistency_sqlite() {
    property_4_real_time_sync_consistency(Backend::Sqlite);
}

#[test]
fn property_4_real_time_sync_consistency_postgres() {
    property_4_real_time_sync_consistency(Backend::Postgres);
}
