//! Property tests of the design's correctness properties that this layer owns, on both
//! backends, 100+ cases each:
//! - Property 2 (authentication flow integrity): any sequence of sign-ins, refreshes (with the
//!   current or an already-rotated token), revocations and authenticated calls behaves as a
//!   simple model of sessions says: rotation works while the session lives, reuse kills the
//!   session, revocation kills it, and a dead session's tokens never work again.
//! - Property 8 (error resilience): any request body, content type and route gets either a
//!   success or a 4xx with the documented error envelope (a known code and the request id of
//!   the response), never a 5xx, and the server stays up.

use kiro_testkit::{Backend, TestServer, spawn_server_on};
use kiro_types::ErrorCode;
use proptest::prelude::*;
use proptest::test_runner::{Config, TestCaseError, TestRunner};
use reqwest::{Method, StatusCode};

use crate::helpers::{Reply, call, http, login, new_user, refresh};

#[derive(Debug, Clone)]
enum Op {
    Login,
    Refresh { session: usize },
    ReuseStale { session: usize },
    Revoke { session: usize },
    Me { session: usize },
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        1 => Just(Op::Login),
        3 => (0..4usize).prop_map(|session| Op::Refresh { session }),
        1 => (0..4usize).prop_map(|session| Op::ReuseStale { session }),
        1 => (0..4usize).prop_map(|session| Op::Revoke { session }),
        2 => (0..4usize).prop_map(|session| Op::Me { session }),
    ]
}

/// The model of one session.
struct Session {
    refresh_tokens: Vec<String>,
    access: String,
    alive: bool,
}

async fn run_ops(server: &TestServer, ops: Vec<Op>) -> Result<(), TestCaseError> {
    let (access, first_refresh, email) = new_user(server, "Prop").await;
    let mut sessions = vec![Session {
        refresh_tokens: vec![first_refresh],
        access,
        alive: true,
    }];
    for op in ops {
        match op {
            Op::Login => {
                let tokens = login(server, &email, "a-good-password").await;
                sessions.push(Session {
                    refresh_tokens: vec![tokens["refresh_token"].as_str().unwrap_or("").to_owned()],
                    access: tokens["access_token"].as_str().unwrap_or("").to_owned(),
                    alive: true,
                });
            }
            Op::Refresh { session } => {
                let n = sessions.len();
                let s = &mut sessions[session % n];
                let current = s.refresh_tokens.last().cloned().unwrap_or_default();
                let reply = refresh(server, &current).await;
                if s.alive {
                    prop_assert_eq!(reply.status, StatusCode::OK, "{:?}", reply.body);
                    s.refresh_tokens.push(
                        reply.body["refresh_token"]
                            .as_str()
                            .unwrap_or("")
                            .to_owned(),
                    );
                    s.access = reply.body["access_token"].as_str().unwrap_or("").to_owned();
                } else {
                    prop_assert_eq!(&reply.body["error"], "invalid_grant");
                }
            }
            Op::ReuseStale { session } => {
                let n = sessions.len();
                let s = &mut sessions[session % n];
                if s.refresh_tokens.len() < 2 {
                    continue;
                }
                let reply = refresh(server, &s.refresh_tokens[0].clone()).await;
                prop_assert_eq!(&reply.body["error"], "invalid_grant");
                s.alive = false;
            }
            Op::Revoke { session } => {
                let n = sessions.len();
                let s = &mut sessions[session % n];
                let current = s.refresh_tokens.last().cloned().unwrap_or_default();
                let response = http()
                    .post(server.url("/v1/auth/revoke"))
                    .form(&[("token", current.as_str()), ("client_id", "conceptpulse")])
                    .send()
                    .await
                    .map_err(|e| TestCaseError::fail(e.to_string()))?;
                prop_assert_eq!(response.status(), StatusCode::OK);
                s.alive = false;
            }
            Op::Me { session } => {
                let s = &sessions[session % sessions.len()];
                let reply = call(server, Method::GET, "/v1/auth/me", Some(&s.access), None).await;
                if s.alive {
                    prop_assert_eq!(reply.status, StatusCode::OK);
                } else {
                    prop_assert_eq!(reply.code(), "auth.session_revoked");
                }
            }
        }
    }
    Ok(())
}

fn property_2_auth_flow_integrity(backend: Backend) {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let Some(server) = runtime.block_on(spawn_server_on(backend)).unwrap() else {
        eprintln!("skipped on PostgreSQL: KIRO_TEST_DATABASE_URL is not set");
        return;
    };
    let mut runner = TestRunner::new(Config {
        cases: 100,
        ..Config::default()
    });
    runner
        .run(&proptest::collection::vec(op(), 1..8), |ops| {
            runtime.block_on(run_ops(&server, ops))
        })
        .unwrap();
}

#[test]
fn property_2_auth_flow_integrity_sqlite() {
    property_2_auth_flow_integrity(Backend::Sqlite);
}

#[test]
fn property_2_auth_flow_integrity_postgres() {
    property_2_auth_flow_integrity(Backend::Postgres);
}

#[derive(Debug, Clone)]
struct Hostile {
    method: Method,
    path: &'static str,
    content_type: Option<&'static str>,
    body: Vec<u8>,
    authenticated: bool,
}

fn hostile() -> impl Strategy<Value = Hostile> {
    let methods = prop_oneof![
        Just(Method::POST),
        Just(Method::PATCH),
        Just(Method::GET),
        Just(Method::PUT)
    ];
    let paths = prop_oneof![
        Just("/v1/auth/register"),
        Just("/v1/auth/token"),
        Just("/v1/auth/revoke"),
        Just("/v1/auth/api-keys"),
        Just("/v1/auth/clients"),
        Just("/v1/workspaces"),
        Just("/v1/workspaces/0190a5c2-7b1e-7c3d-9f00-1a2b3c4d5e6f"),
        Just("/v1/workspaces/%00'--"),
    ];
    let types = prop_oneof![
        Just(None),
        Just(Some("application/json")),
        Just(Some("text/plain")),
        Just(Some("application/x-www-form-urlencoded")),
        Just(Some("application/json; charset=latin1")),
    ];
    let bodies = prop_oneof![
        proptest::collection::vec(any::<u8>(), 0..512),
        "[a-z{}\\[\\]\":,0-9 ]{0,200}".prop_map(String::into_bytes),
        any::<String>().prop_map(
            |s| serde_json::json!({ "email": s, "password": s, "name": s })
                .to_string()
                .into_bytes()
        ),
        "[a-z_=&%0-9]{0,200}".prop_map(String::into_bytes),
    ];
    (methods, paths, types, bodies, any::<bool>()).prop_map(
        |(method, path, content_type, body, authenticated)| Hostile {
            method,
            path,
            content_type,
            body,
            authenticated,
        },
    )
}

fn property_8_error_resilience(backend: Backend) {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let Some(server) = runtime.block_on(spawn_server_on(backend)).unwrap() else {
        eprintln!("skipped on PostgreSQL: KIRO_TEST_DATABASE_URL is not set");
        return;
    };
    let token = runtime.block_on(crate::helpers::admin_token(&server));
    let mut runner = TestRunner::new(Config {
        cases: 200,
        ..Config::default()
    });
    runner
        .run(&hostile(), |h| {
            runtime.block_on(async {
                let mut request = http()
                    .request(h.method.clone(), server.url(h.path))
                    .body(h.body.clone());
                if let Some(ct) = h.content_type {
                    request = request.header("content-type", ct);
                }
                if h.authenticated {
                    request = request.bearer_auth(&token);
                }
                let reply = Reply::from(
                    request
                        .send()
                        .await
                        .map_err(|e| TestCaseError::fail(e.to_string()))?,
                )
                .await;
                prop_assert!(
                    !reply.status.is_server_error(),
                    "{:?} → {} {:?}",
                    h,
                    reply.status,
                    reply.body
                );
                if !reply.status.is_success() {
                    let code = reply.code();
                    prop_assert!(
                        ErrorCode::from_code(code).is_some(),
                        "unknown code {code:?} for {h:?}"
                    );
                    let id = reply.headers["x-request-id"].to_str().unwrap_or("");
                    let body_id = reply.body["error"]["requestId"]
                        .as_str()
                        .or_else(|| reply.body["requestId"].as_str());
                    prop_assert_eq!(body_id, Some(id));
                }
                Ok(())
            })
        })
        .unwrap();
    let live = runtime.block_on(call(&server, Method::GET, "/v1/health/live", None, None));
    assert_eq!(live.status, StatusCode::OK);
}

#[test]
fn property_8_error_resilience_sqlite() {
    property_8_error_resilience(Backend::Sqlite);
}

#[test]
fn property_8_error_resilience_postgres() {
    property_8_error_resilience(Backend::Postgres);
}
