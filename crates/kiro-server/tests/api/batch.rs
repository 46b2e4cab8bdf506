//! `POST /v1/batch`: requests answered in order through the real routes, failures that stay
//! with their request, the 100-request limit, no nesting, authentication up front, the
//! caller's workspace passed on, and idempotency keys on the batch and its requests.

use kiro_testkit::{TestServer, on_both_backends};
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::assert_error_snapshot;
use crate::helpers::{Reply, http, new_user};

/// `POST /v1/batch` as `token`, in `workspace` when given.
async fn batch(
    server: &TestServer,
    token: Option<&str>,
    workspace: Option<&str>,
    requests: Value,
) -> Reply {
    let mut request = http()
        .post(server.url("/v1/batch"))
        .json(&json!({ "requests": requests }));
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    if let Some(workspace) = workspace {
        request = request.header("X-Kiro-Workspace", workspace);
    }
    Reply::from(request.send().await.expect("batch request")).await
}

fn statuses(reply: &Reply) -> Vec<u64> {
    reply.body["responses"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["status"].as_u64().unwrap())
        .collect()
}

async fn a_batch_answers_each_request_in_order(server: TestServer) -> anyhow::Result<()> {
    let (token, _, email) = new_user(&server, "Ada").await;
    let unknown = uuid::Uuid::now_v7();

    let reply = batch(
        &server,
        Some(&token),
        None,
        json!([
            { "method": "POST", "path": "/v1/workspaces", "body": { "name": "Batch team" } },
            { "method": "GET", "path": format!("/v1/workspaces/{unknown}") },
            { "method": "POST", "path": "/v1/workspaces", "body": { "name": "" } },
            { "method": "GET", "path": "/v1/workspaces" },
            { "method": "get", "path": "/v1/auth/me" },
        ]),
    )
    .await;

    assert_eq!(reply.status, StatusCode::OK, "{:?}", reply.body);
    assert_eq!(statuses(&reply), [201, 404, 422, 200, 200]);
    let responses = &reply.body["responses"];
    assert_eq!(responses[0]["body"]["name"], "Batch team");
    assert_eq!(responses[0]["headers"]["content-type"], "application/json");
    assert_eq!(responses[1]["body"]["error"]["code"], "workspace.not_found");
    assert_eq!(
        responses[1]["body"]["error"]["requestId"],
        reply.headers["x-request-id"].to_str()?,
        "requests of a batch are logged under the batch's request id"
    );
    assert_eq!(responses[2]["body"]["error"]["code"], "validation.failed");
    // Requests run in order: the list sees the workspace the first request created.
    assert_eq!(responses[3]["body"]["items"].as_array().unwrap().len(), 2);
    assert_eq!(responses[4]["body"]["user"]["email"], email.as_str());
    Ok(())
}

async fn a_batch_takes_at_most_a_hundred_requests(server: TestServer) -> anyhow::Result<()> {
    let (token, _, _) = new_user(&server, "Ada").await;
    let me = json!({ "method": "GET", "path": "/v1/auth/me" });

    let hundred = batch(&server, Some(&token), None, json!(vec![me.clone(); 100])).await;
    let too_many = batch(&server, Some(&token), None, json!(vec![me; 101])).await;
    let empty = batch(&server, Some(&token), None, json!([])).await;

    assert_eq!(hundred.status, StatusCode::OK);
    assert_eq!(statuses(&hundred), vec![200; 100]);
    assert_eq!(too_many.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_error_snapshot!("too_many_requests", &too_many.body);
    assert_eq!(empty.status, StatusCode::UNPROCESSABLE_ENTITY);
    Ok(())
}

async fn malformed_requests_fail_alone(server: TestServer) -> anyhow::Result<()> {
    let (token, _, _) = new_user(&server, "Ada").await;

    let reply = batch(
        &server,
        Some(&token),
        None,
        json!([
            { "method": "POST", "path": "/v1/batch", "body": { "requests": [] } },
            { "method": "GET", "path": "/v2/workspaces" },
            { "method": "BREW", "path": "/v1/workspaces" },
            { "method": "GET", "path": "/v1/auth/me", "headers": { "Authorization": "Bearer x" } },
            { "method": "GET", "path": "/v1/auth/me" },
        ]),
    )
    .await;

    assert_eq!(reply.status, StatusCode::OK, "{:?}", reply.body);
    assert_eq!(statuses(&reply), [400, 400, 400, 400, 200]);
    let responses = &reply.body["responses"];
    assert_error_snapshot!("nested_batch", &responses[0]["body"]);
    for i in 1..4 {
        assert_eq!(
            responses[i]["body"]["error"]["code"], "batch.invalid_request",
            "request {i}"
        );
    }
    Ok(())
}

async fn a_batch_needs_credentials(server: TestServer) -> anyhow::Result<()> {
    let reply = batch(
        &server,
        None,
        None,
        json!([{ "method": "POST", "path": "/v1/auth/register",
                 "body": { "email": "x@example.com", "password": "a-good-password", "name": "X" } }]),
    )
    .await;

    assert_eq!(reply.status, StatusCode::UNAUTHORIZED);
    assert_eq!(reply.code(), "auth.missing_credentials");
    Ok(())
}

async fn requests_act_in_the_callers_workspace_unless_they_name_their_own(
    server: TestServer,
) -> anyhow::Result<()> {
    let (token, _, _) = new_user(&server, "Ada").await;
    let me = crate::helpers::call(
        &server,
        reqwest::Method::GET,
        "/v1/auth/me",
        Some(&token),
        None,
    )
    .await;
    let personal = me.body["workspaces"][0]["id"].as_str().unwrap().to_owned();
    let created = crate::helpers::call(
        &server,
        reqwest::Method::POST,
        "/v1/workspaces",
        Some(&token),
        Some(json!({ "name": "Team" })),
    )
    .await;
    let team = created.body["id"].as_str().unwrap().to_owned();

    let reply = batch(
        &server,
        Some(&token),
        Some(&team),
        json!([
            { "method": "POST", "path": "/v1/auth/api-keys", "body": { "name": "team-key" } },
            { "method": "POST", "path": "/v1/auth/api-keys", "body": { "name": "own-key" },
              "headers": { "X-Kiro-Workspace": personal } },
            { "method": "GET", "path": "/v1/auth/api-keys" },
            { "method": "GET", "path": "/v1/auth/api-keys",
              "headers": { "x-kiro-workspace": personal } },
        ]),
    )
    .await;

    assert_eq!(statuses(&reply), [201, 201, 200, 200], "{:?}", reply.body);
    let responses = &reply.body["responses"];
    assert_eq!(responses[0]["body"]["workspaceId"], team.as_str());
    assert_eq!(responses[1]["body"]["workspaceId"], personal.as_str());
    let names = |i: usize| -> Vec<String> {
        responses[i]["body"]["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|k| k["name"].as_str().unwrap().to_owned())
            .collect()
    };
    assert_eq!(names(2), ["team-key"]);
    assert_eq!(names(3), ["own-key"]);
    Ok(())
}

async fn a_batch_and_its_requests_honour_idempotency_keys(
    server: TestServer,
) -> anyhow::Result<()> {
    let (token, _, _) = new_user(&server, "Ada").await;
    let requests = json!([
        { "method": "POST", "path": "/v1/workspaces", "body": { "name": "Once" },
          "headers": { "Idempotency-Key": "item-key" } },
        { "method": "POST", "path": "/v1/workspaces", "body": { "name": "Once" },
          "headers": { "Idempotency-Key": "item-key" } },
    ]);
    let send = || async {
        Reply::from(
            http()
                .post(server.url("/v1/batch"))
                .bearer_auth(&token)
                .header("Idempotency-Key", "batch-key")
                .json(&json!({ "requests": requests }))
                .send()
                .await
                .expect("batch request"),
        )
        .await
    };

    let first = send().await;
    let second = send().await;

    assert_eq!(statuses(&first), [201, 201], "{:?}", first.body);
    let responses = &first.body["responses"];
    assert_eq!(responses[1]["headers"]["idempotency-replayed"], "true");
    assert_eq!(responses[0]["body"], responses[1]["body"]);
    assert_eq!(second.headers["idempotency-replayed"], "true");
    assert_eq!(second.body, first.body);
    let listed = crate::helpers::call(
        &server,
        reqwest::Method::GET,
        "/v1/workspaces",
        Some(&token),
        None,
    )
    .await;
    let once = listed.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|w| w["name"] == "Once")
        .count();
    assert_eq!(once, 1);
    Ok(())
}

on_both_backends!(
    a_batch_answers_each_request_in_order,
    a_batch_takes_at_most_a_hundred_requests,
    malformed_requests_fail_alone,
    a_batch_needs_credentials,
    requests_act_in_the_callers_workspace_unless_they_name_their_own,
    a_batch_and_its_requests_honour_idempotency_keys,
);
