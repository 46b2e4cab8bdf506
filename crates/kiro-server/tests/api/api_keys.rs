//! API keys: created with a secret shown once, used as Bearer or X-API-Key, scoped, listed
//! without secrets, revoked.

use kiro_testkit::{TestServer, on_both_backends};
use reqwest::{Method, StatusCode};
use serde_json::json;

use crate::assert_error_snapshot;
use crate::helpers::{Reply, call, http, new_user};

async fn an_api_key_authenticates_until_revoked(server: TestServer) -> anyhow::Result<()> {
    let (access, _, _) = new_user(&server, "Keys").await;
    let created = call(
        &server,
        Method::POST,
        "/v1/auth/api-keys",
        Some(&access),
        Some(json!({ "name": "ci", "scopes": ["read", "write"] })),
    )
    .await;
    assert_eq!(created.status, StatusCode::CREATED, "{:?}", created.body);
    let secret = created.body["secret"].as_str().unwrap().to_owned();
    assert!(secret.starts_with("kiro_"));
    assert!(secret.starts_with(created.body["prefix"].as_str().unwrap()));
    let id = created.body["id"].as_str().unwrap().to_owned();

    let me = call(&server, Method::GET, "/v1/auth/me", Some(&secret), None).await;
    assert_eq!(me.body["kind"], "apiKey");
    let via_header = Reply::from(
        http()
            .get(server.url("/v1/auth/me"))
            .header("X-API-Key", &secret)
            .send()
            .await?,
    )
    .await;
    assert_eq!(via_header.status, StatusCode::OK);

    let list = call(
        &server,
        Method::GET,
        "/v1/auth/api-keys",
        Some(&access),
        None,
    )
    .await;
    let items = list.body["items"].as_array().unwrap();
    assert_eq!(items.len(), 1);
    assert!(items[0].get("secret").is_none(), "secrets are never listed");
    assert!(!list.body.to_string().contains(&secret));

    let revoked = call(
        &server,
        Method::DELETE,
        &format!("/v1/auth/api-keys/{id}"),
        Some(&access),
        None,
    )
    .await;
    assert_eq!(revoked.status, StatusCode::NO_CONTENT);
    let after = call(&server, Method::GET, "/v1/auth/me", Some(&secret), None).await;
    assert_eq!(after.status, StatusCode::UNAUTHORIZED);
    assert_error_snapshot!("api_key_revoked", &after.body);
    Ok(())
}

async fn a_read_only_key_cannot_write(server: TestServer) -> anyhow::Result<()> {
    let (access, _, _) = new_user(&server, "Reader").await;
    let created = call(
        &server,
        Method::POST,
        "/v1/auth/api-keys",
        Some(&access),
        Some(json!({ "name": "ro", "scopes": ["read"] })),
    )
    .await;
    let secret = created.body["secret"].as_str().unwrap().to_owned();
    let listed = call(
        &server,
        Method::GET,
        "/v1/auth/api-keys",
        Some(&secret),
        None,
    )
    .await;
    assert_eq!(listed.status, StatusCode::OK);
    let write = call(
        &server,
        Method::POST,
        "/v1/auth/api-keys",
        Some(&secret),
        Some(json!({ "name": "escalate" })),
    )
    .await;
    assert_eq!(write.status, StatusCode::FORBIDDEN);
    assert_eq!(write.code(), "permission.denied");
    Ok(())
}

async fn bad_key_requests_are_refused(server: TestServer) -> anyhow::Result<()> {
    let (access, _, _) = new_user(&server, "Bad").await;
    let scope = call(
        &server,
        Method::POST,
        "/v1/auth/api-keys",
        Some(&access),
        Some(json!({ "name": "x", "scopes": ["root"] })),
    )
    .await;
    assert_eq!(scope.status, StatusCode::UNPROCESSABLE_ENTITY);
    let unknown = call(
        &server,
        Method::DELETE,
        "/v1/auth/api-keys/0190a5c2-7b1e-7c3d-9f00-1a2b3c4d5e6f",
        Some(&access),
        None,
    )
    .await;
    assert_eq!(unknown.code(), "auth.api_key.not_found");
    let forged = call(
        &server,
        Method::GET,
        "/v1/auth/me",
        Some("kiro_forged"),
        None,
    )
    .await;
    assert_eq!(forged.code(), "auth.invalid_api_key");
    Ok(())
}

on_both_backends!(
    an_api_key_authenticates_until_revoked,
    a_read_only_key_cannot_write,
    bad_key_requests_are_refused,
);
