//! OAuth clients: service accounts with the client-credentials grant (Basic and form client
//! authentication), public clients, wrong secrets, revocation.

use kiro_testkit::{TestServer, on_both_backends};
use reqwest::{Method, StatusCode};
use serde_json::json;

use crate::assert_error_snapshot;
use crate::helpers::{Reply, admin_token, call, http, token};

async fn a_service_account_gets_tokens_with_client_credentials(
    server: TestServer,
) -> anyhow::Result<()> {
    let admin = admin_token(&server).await;
    let created = call(
        &server,
        Method::POST,
        "/v1/auth/clients",
        Some(&admin),
        Some(json!({ "name": "ci-bot", "confidential": true, "role": "member" })),
    )
    .await;
    assert_eq!(created.status, StatusCode::CREATED, "{:?}", created.body);
    let id = created.body["clientId"].as_str().unwrap().to_owned();
    let secret = created.body["clientSecret"].as_str().unwrap().to_owned();

    let basic = Reply::from(
        http()
            .post(server.url("/v1/auth/token"))
            .basic_auth(&id, Some(&secret))
            .form(&[("grant_type", "client_credentials")])
            .send()
            .await?,
    )
    .await;
    assert_eq!(basic.status, StatusCode::OK, "{:?}", basic.body);
    assert!(basic.body.get("refresh_token").is_none());
    let access = basic.body["access_token"].as_str().unwrap().to_owned();
    let me = call(&server, Method::GET, "/v1/auth/me", Some(&access), None).await;
    assert_eq!(me.body["kind"], "serviceAccount");
    assert_eq!(me.body["clientId"], id.as_str());
    assert_eq!(me.body["workspaces"][0]["role"], "member");

    let form = token(
        &server,
        &[
            ("grant_type", "client_credentials"),
            ("client_id", &id),
            ("client_secret", &secret),
        ],
    )
    .await;
    assert_eq!(form.status, StatusCode::OK);

    let wrong = Reply::from(
        http()
            .post(server.url("/v1/auth/token"))
            .basic_auth(&id, Some("nope"))
            .form(&[("grant_type", "client_credentials")])
            .send()
            .await?,
    )
    .await;
    assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);
    assert!(
        wrong.headers["www-authenticate"]
            .to_str()?
            .starts_with("Basic")
    );
    assert_error_snapshot!("client_wrong_secret", &wrong.body);

    let listed = call(&server, Method::GET, "/v1/auth/clients", Some(&admin), None).await;
    assert!(!listed.body.to_string().contains(&secret));
    let revoked = call(
        &server,
        Method::DELETE,
        &format!("/v1/auth/clients/{id}"),
        Some(&admin),
        None,
    )
    .await;
    assert_eq!(revoked.status, StatusCode::NO_CONTENT);
    let after = call(&server, Method::GET, "/v1/auth/me", Some(&access), None).await;
    assert_eq!(after.status, StatusCode::UNAUTHORIZED);
    Ok(())
}

async fn a_public_client_cannot_use_client_credentials(server: TestServer) -> anyhow::Result<()> {
    let admin = admin_token(&server).await;
    let created = call(
        &server,
        Method::POST,
        "/v1/auth/clients",
        Some(&admin),
        Some(json!({ "name": "mobile-app" })),
    )
    .await;
    assert!(created.body.get("clientSecret").is_none());
    let id = created.body["clientId"].as_str().unwrap().to_owned();
    let reply = token(
        &server,
        &[("grant_type", "client_credentials"), ("client_id", &id)],
    )
    .await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST);
    assert_eq!(reply.body["error"], "unauthorized_client");
    // …but may sign users in.
    let login = token(
        &server,
        &[
            ("grant_type", "password"),
            ("username", &server.admin.email),
            ("password", &server.admin.password),
            ("client_id", &id),
        ],
    )
    .await;
    assert_eq!(login.status, StatusCode::OK);
    let conceptpulse = token(
        &server,
        &[
            ("grant_type", "client_credentials"),
            ("client_id", "conceptpulse"),
        ],
    )
    .await;
    assert_eq!(conceptpulse.body["error"], "unauthorized_client");
    Ok(())
}

async fn only_admins_manage_clients(server: TestServer) -> anyhow::Result<()> {
    let admin = admin_token(&server).await;
    let (member, _, member_email) = crate::helpers::new_user(&server, "Mem").await;
    let me = call(&server, Method::GET, "/v1/auth/me", Some(&admin), None).await;
    let ws = me.body["workspaces"][0]["id"].as_str().unwrap().to_owned();
    let added = call(
        &server,
        Method::POST,
        &format!("/v1/workspaces/{ws}/members"),
        Some(&admin),
        Some(json!({ "email": member_email, "role": "member" })),
    )
    .await;
    assert_eq!(added.status, StatusCode::CREATED);
    let reply = Reply::from(
        http()
            .post(server.url("/v1/auth/clients"))
            .bearer_auth(&member)
            .header("X-Kiro-Workspace", &ws)
            .json(&json!({ "name": "sneaky", "confidential": true }))
            .send()
            .await?,
    )
    .await;
    assert_eq!(reply.status, StatusCode::FORBIDDEN);
    assert_eq!(reply.code(), "permission.denied");
    Ok(())
}

on_both_backends!(
    a_service_account_gets_tokens_with_client_credentials,
    a_public_client_cannot_use_client_credentials,
    only_admins_manage_clients,
);
