//! The error model at the edges: malformed JSON, wrong content type, oversized body, unknown
//! route, wrong method, bad path ids, invalid UTF-8; each a JSON error with the right status
//! and a request id that matches the `X-Request-Id` header. The server stays up throughout.

use kiro_testkit::{TestServer, on_both_backends};
use reqwest::{Method, StatusCode};

use crate::assert_error_snapshot;
use crate::helpers::{Reply, admin_token, call, http};

async fn post_raw(server: &TestServer, path: &str, content_type: &str, body: Vec<u8>) -> Reply {
    Reply::from(
        http()
            .post(server.url(path))
            .header("content-type", content_type)
            .body(body)
            .send()
            .await
            .expect("request"),
    )
    .await
}

async fn malformed_bodies_get_clear_errors(server: TestServer) -> anyhow::Result<()> {
    let syntax = post_raw(
        &server,
        "/v1/auth/register",
        "application/json",
        b"{\"email\": ".to_vec(),
    )
    .await;
    assert_eq!(syntax.status, StatusCode::BAD_REQUEST);
    assert_error_snapshot!("invalid_json", &syntax.body);

    let wrong_type = post_raw(
        &server,
        "/v1/auth/register",
        "text/plain",
        b"hello".to_vec(),
    )
    .await;
    assert_eq!(wrong_type.status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    assert_error_snapshot!("unsupported_media_type", &wrong_type.body);

    let utf8 = post_raw(
        &server,
        "/v1/auth/register",
        "application/json",
        b"{\"email\":\"a\xff\xfe@x.io\",\"password\":\"12345678\",\"name\":\"x\"}".to_vec(),
    )
    .await;
    assert_eq!(utf8.status, StatusCode::BAD_REQUEST);
    assert_eq!(utf8.code(), "request.invalid_json");

    let shape = post_raw(
        &server,
        "/v1/auth/register",
        "application/json",
        br#"{"email":"a@x.io","password":12345678,"name":"x"}"#.to_vec(),
    )
    .await;
    assert_eq!(shape.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_error_snapshot!("wrong_field_type", &shape.body);

    let extra = post_raw(
        &server,
        "/v1/auth/register",
        "application/json",
        br#"{"email":"a@x.io","password":"12345678","name":"x","admin":true}"#.to_vec(),
    )
    .await;
    assert_eq!(extra.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        extra.body["error"]["details"]["fields"][0]["field"],
        "admin"
    );

    let big = post_raw(
        &server,
        "/v1/auth/register",
        "application/json",
        vec![b' '; 1_100_000],
    )
    .await;
    assert_eq!(big.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_error_snapshot!("payload_too_large", &big.body);
    Ok(())
}

async fn routes_and_methods_that_do_not_exist(server: TestServer) -> anyhow::Result<()> {
    let missing = call(&server, Method::GET, "/v1/nothing-here", None, None).await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    assert_error_snapshot!("route_not_found", &missing.body);

    let method = call(&server, Method::DELETE, "/v1/auth/token", None, None).await;
    assert_eq!(method.status, StatusCode::METHOD_NOT_ALLOWED);
    assert!(method.headers.get("allow").is_some());
    assert_error_snapshot!("method_not_allowed", &method.body);

    let token = admin_token(&server).await;
    let bad_id = call(
        &server,
        Method::GET,
        "/v1/workspaces/not-a-uuid",
        Some(&token),
        None,
    )
    .await;
    assert_eq!(bad_id.status, StatusCode::BAD_REQUEST);
    assert_eq!(bad_id.code(), "request.invalid_path");
    let unknown = call(
        &server,
        Method::GET,
        "/v1/workspaces/0190a5c2-7b1e-7c3d-9f00-1a2b3c4d5e6f",
        Some(&token),
        None,
    )
    .await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND);
    Ok(())
}

async fn every_response_carries_its_request_id(server: TestServer) -> anyhow::Result<()> {
    let failed = call(&server, Method::GET, "/v1/auth/me", None, None).await;
    let header = failed.headers["x-request-id"].to_str()?.to_owned();
    assert_eq!(failed.body["error"]["requestId"], header.as_str());
    assert_eq!(failed.body["error"]["type"], "AUTHENTICATION_ERROR");
    assert_eq!(failed.body["error"]["retryable"], false);

    let own = Reply::from(
        http()
            .get(server.url("/v1/health/live"))
            .header("x-request-id", "trace-abc_123")
            .send()
            .await?,
    )
    .await;
    assert_eq!(own.headers["x-request-id"], "trace-abc_123");
    let hostile = Reply::from(
        http()
            .get(server.url("/v1/health/live"))
            .header("x-request-id", "x\" onload=1")
            .send()
            .await?,
    )
    .await;
    assert_ne!(hostile.headers["x-request-id"], "x\" onload=1");
    let live = call(&server, Method::GET, "/v1/health/live", None, None).await;
    assert_eq!(live.status, StatusCode::OK, "the server is still up");
    Ok(())
}

on_both_backends!(
    malformed_bodies_get_clear_errors,
    routes_and_methods_that_do_not_exist,
    every_response_carries_its_request_id,
);
