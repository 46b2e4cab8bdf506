//! Idempotency keys on POST: a repeat replays the first response instead of running again,
//! a key reused for another request is refused, keys are per principal, client errors are
//! replayed too, a duplicate of a running request is told to retry, and stored responses
//! expire after a day.

use kiro_core::auth::Credential;
use kiro_core::idempotency::Begin;
use kiro_testkit::{TestServer, on_both_backends};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::assert_error_snapshot;
use crate::helpers::{Reply, call, http, login, new_user};

/// `POST path` as `token` with `Idempotency-Key: key` and a JSON body.
async fn post_with_key(
    server: &TestServer,
    path: &str,
    token: Option<&str>,
    key: &str,
    body: &Value,
) -> Reply {
    let mut request = http()
        .post(server.url(path))
        .header("Idempotency-Key", key)
        .json(body);
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    Reply::from(request.send().await.expect("request")).await
}

fn replayed(reply: &Reply) -> bool {
    reply
        .headers
        .get("idempotency-replayed")
        .is_some_and(|v| v == "true")
}

async fn workspace_names(server: &TestServer, token: &str) -> Vec<String> {
    let listed = call(server, Method::GET, "/v1/workspaces", Some(token), None).await;
    assert_eq!(listed.status, StatusCode::OK, "{:?}", listed.body);
    listed.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w["name"].as_str().unwrap().to_owned())
        .collect()
}

async fn a_repeated_post_creates_one_workspace_and_replays_its_response(
    server: TestServer,
) -> anyhow::Result<()> {
    let (token, _, _) = new_user(&server, "Ada").await;
    let body = json!({ "name": "Team" });

    let first = post_with_key(
        &server,
        "/v1/workspaces",
        Some(&token),
        "create-team",
        &body,
    )
    .await;
    let second = post_with_key(
        &server,
        "/v1/workspaces",
        Some(&token),
        "create-team",
        &body,
    )
    .await;

    assert_eq!(first.status, StatusCode::CREATED, "{:?}", first.body);
    assert!(!replayed(&first));
    assert_eq!(second.status, StatusCode::CREATED);
    assert!(replayed(&second));
    assert_eq!(second.body, first.body);
    assert_eq!(second.headers["content-type"], "application/json");
    assert_ne!(
        second.headers["x-request-id"], first.headers["x-request-id"],
        "a replay is a request of its own"
    );
    let names = workspace_names(&server, &token).await;
    assert_eq!(
        names.iter().filter(|n| *n == "Team").count(),
        1,
        "{names:?}"
    );
    Ok(())
}

async fn a_key_reused_for_another_request_is_refused(server: TestServer) -> anyhow::Result<()> {
    let (token, _, _) = new_user(&server, "Ada").await;
    let first = post_with_key(
        &server,
        "/v1/workspaces",
        Some(&token),
        "key-1",
        &json!({ "name": "A" }),
    )
    .await;
    assert_eq!(first.status, StatusCode::CREATED);

    let other_body = post_with_key(
        &server,
        "/v1/workspaces",
        Some(&token),
        "key-1",
        &json!({ "name": "B" }),
    )
    .await;
    let other_path = post_with_key(
        &server,
        "/v1/auth/api-keys",
        Some(&token),
        "key-1",
        &json!({ "name": "A" }),
    )
    .await;

    assert_eq!(other_body.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_error_snapshot!("key_reused", &other_body.body);
    assert_eq!(other_path.code(), "idempotency.key_reused");
    assert_eq!(workspace_names(&server, &token).await.len(), 2);
    Ok(())
}

async fn principals_do_not_share_keys(server: TestServer) -> anyhow::Result<()> {
    let (ada, _, _) = new_user(&server, "Ada").await;
    let (grace, _, _) = new_user(&server, "Grace").await;

    let adas = post_with_key(
        &server,
        "/v1/workspaces",
        Some(&ada),
        "shared-key",
        &json!({ "name": "Ada's" }),
    )
    .await;
    let graces = post_with_key(
        &server,
        "/v1/workspaces",
        Some(&grace),
        "shared-key",
        &json!({ "name": "Grace's" }),
    )
    .await;

    assert_eq!(adas.status, StatusCode::CREATED);
    assert_eq!(graces.status, StatusCode::CREATED, "{:?}", graces.body);
    assert!(!replayed(&graces));
    assert_ne!(adas.body["id"], graces.body["id"]);
    assert_eq!(graces.body["name"], "Grace's");
    Ok(())
}

async fn a_client_error_is_replayed_too(server: TestServer) -> anyhow::Result<()> {
    let (token, _, _) = new_user(&server, "Ada").await;
    let invalid = json!({ "name": "" });

    let first = post_with_key(&server, "/v1/workspaces", Some(&token), "bad-1", &invalid).await;
    let second = post_with_key(&server, "/v1/workspaces", Some(&token), "bad-1", &invalid).await;

    assert_eq!(first.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(first.code(), "validation.failed");
    assert_eq!(
        first.body["error"]["requestId"],
        first.headers["x-request-id"].to_str()?
    );
    assert_eq!(second.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(replayed(&second));
    // The same bytes: the body still names the request that ran.
    assert_eq!(second.body, first.body);
    assert_ne!(
        second.body["error"]["requestId"],
        second.headers["x-request-id"].to_str()?
    );
    Ok(())
}

async fn bad_keys_are_refused_and_unauthenticated_posts_ignore_keys(
    server: TestServer,
) -> anyhow::Result<()> {
    let (token, _, _) = new_user(&server, "Ada").await;
    let body = json!({ "name": "Team" });
    for bad in [
        "has space".to_owned(),
        "tab\tkey".to_owned(),
        "k".repeat(256),
    ] {
        let reply = post_with_key(&server, "/v1/workspaces", Some(&token), &bad, &body).await;
        assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{bad}");
        assert_eq!(reply.code(), "request.invalid_header");
    }
    let longest = "k".repeat(255);
    let ok = post_with_key(&server, "/v1/workspaces", Some(&token), &longest, &body).await;
    assert_eq!(ok.status, StatusCode::CREATED);

    for email in ["one@example.com", "two@example.com"] {
        let reply = post_with_key(
            &server,
            "/v1/auth/register",
            None,
            "register-key",
            &json!({ "email": email, "password": "a-good-password", "name": "N" }),
        )
        .await;
        assert_eq!(reply.status, StatusCode::CREATED, "{:?}", reply.body);
        assert!(!replayed(&reply));
    }
    Ok(())
}

async fn a_duplicate_of_a_running_request_is_told_to_retry(
    server: TestServer,
) -> anyhow::Result<()> {
    let (token, _, _) = new_user(&server, "Ada").await;
    let body = json!({ "name": "Slow" });
    // Claim the key as the first request would, and keep it running.
    let principal = server
        .state
        .auth
        .authenticate(Credential::Bearer(token.clone()))
        .await?;
    let hash = kiro_server::idempotency::request_hash(
        &Method::POST,
        &"/v1/workspaces".parse()?,
        None,
        &serde_json::to_vec(&body)?,
    );
    let Begin::Run(claim) = server
        .state
        .idempotency
        .begin(&principal, "slow-key", &hash)
        .await?
    else {
        anyhow::bail!("the key should have been free");
    };

    let duplicate = post_with_key(&server, "/v1/workspaces", Some(&token), "slow-key", &body).await;
    let different = post_with_key(
        &server,
        "/v1/workspaces",
        Some(&token),
        "slow-key",
        &json!({ "name": "Other" }),
    )
    .await;

    assert_eq!(duplicate.status, StatusCode::CONFLICT);
    assert_eq!(duplicate.code(), "idempotency.in_progress");
    assert_eq!(duplicate.body["error"]["retryable"], true);
    assert_eq!(duplicate.headers["retry-after"], "1");
    assert_eq!(different.code(), "idempotency.key_reused");

    // Once the first gives the key up (a 5xx or a dropped request does), a retry runs.
    server.state.idempotency.release(&claim).await?;
    let retry = post_with_key(&server, "/v1/workspaces", Some(&token), "slow-key", &body).await;
    assert_eq!(retry.status, StatusCode::CREATED, "{:?}", retry.body);
    assert!(!replayed(&retry));
    Ok(())
}

async fn stored_responses_expire_after_a_day(server: TestServer) -> anyhow::Result<()> {
    let (token, _, email) = new_user(&server, "Ada").await;
    let body = json!({ "name": "Daily" });
    let first = post_with_key(&server, "/v1/workspaces", Some(&token), "daily", &body).await;
    assert_eq!(first.status, StatusCode::CREATED);

    server
        .clock
        .advance(chrono::Duration::hours(24) + chrono::Duration::minutes(1));
    assert_eq!(server.state.idempotency.sweep().await?, 1);
    let token = login(&server, &email, "a-good-password").await["access_token"]
        .as_str()
        .unwrap()
        .to_owned();
    let again = post_with_key(&server, "/v1/workspaces", Some(&token), "daily", &body).await;

    assert_eq!(again.status, StatusCode::CREATED);
    assert!(!replayed(&again));
    assert_ne!(again.body["id"], first.body["id"]);
    let names = workspace_names(&server, &token).await;
    assert_eq!(names.iter().filter(|n| *n == "Daily").count(), 2);
    Ok(())
}

async fn requests_without_a_key_are_untouched(server: TestServer) -> anyhow::Result<()> {
    let (token, _, _) = new_user(&server, "Ada").await;
    for _ in 0..2 {
        let reply = call(
            &server,
            Method::POST,
            "/v1/workspaces",
            Some(&token),
            Some(json!({ "name": "Twice" })),
        )
        .await;
        assert_eq!(reply.status, StatusCode::CREATED);
        assert!(!replayed(&reply));
    }
    let names = workspace_names(&server, &token).await;
    assert_eq!(names.iter().filter(|n| *n == "Twice").count(), 2);
    Ok(())
}

on_both_backends!(
    a_repeated_post_creates_one_workspace_and_replays_its_response,
    a_key_reused_for_another_request_is_refused,
    principals_do_not_share_keys,
    a_client_error_is_replayed_too,
    bad_keys_are_refused_and_unauthenticated_posts_ignore_keys,
    a_duplicate_of_a_running_request_is_told_to_retry,
    stored_responses_expire_after_a_day,
    requests_without_a_key_are_untouched,
);
