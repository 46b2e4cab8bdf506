//! Registration, the password and refresh grants, rotation and reuse detection, revocation,
//! token expiry and tampering, and the token endpoint's rate limits.

use chrono::Duration;
use kiro_testkit::{Backend, TestServer, on_both_backends, spawn_server_with};
use reqwest::{Method, StatusCode};
use serde_json::json;

use crate::assert_error_snapshot;
use crate::helpers::{call, login, new_user, refresh, register, token};

async fn registration_then_sign_in_then_me(server: TestServer) -> anyhow::Result<()> {
    let reply = register(&server, "Ada@Example.com", "correct-horse", "Ada").await;
    assert_eq!(reply.status, StatusCode::CREATED);
    assert_eq!(reply.body["email"], "ada@example.com");
    assert!(reply.body.get("password").is_none() && reply.body.get("passwordHash").is_none());

    let tokens = login(&server, "ada@example.com", "correct-horse").await;
    assert_eq!(tokens["token_type"], "Bearer");
    assert_eq!(tokens["expires_in"], 900);
    let access = tokens["access_token"].as_str().unwrap();

    let me = call(&server, Method::GET, "/v1/auth/me", Some(access), None).await;
    assert_eq!(me.status, StatusCode::OK);
    assert_eq!(me.body["kind"], "user");
    assert_eq!(me.body["user"]["name"], "Ada");
    let workspaces = me.body["workspaces"].as_array().unwrap();
    assert_eq!(workspaces.len(), 1);
    assert_eq!(workspaces[0]["role"], "owner");
    assert_eq!(workspaces[0]["personal"], true);
    assert_eq!(me.body["defaultWorkspaceId"], workspaces[0]["id"]);
    Ok(())
}

async fn a_taken_email_is_refused_and_nothing_is_written(server: TestServer) -> anyhow::Result<()> {
    register(&server, "bo@example.com", "password-one", "Bo").await;
    let again = register(&server, "BO@example.com", "password-two", "Bo Two").await;
    assert_eq!(again.status, StatusCode::CONFLICT);
    assert_error_snapshot!("register_email_taken", &again.body);
    // The first password still works; the second never did.
    login(&server, "bo@example.com", "password-one").await;
    let second = token(
        &server,
        &[
            ("grant_type", "password"),
            ("username", "bo@example.com"),
            ("password", "password-two"),
            ("client_id", "conceptpulse"),
        ],
    )
    .await;
    assert_eq!(second.code(), "oauth.invalid_grant");
    Ok(())
}

async fn invalid_registration_lists_every_bad_field(server: TestServer) -> anyhow::Result<()> {
    let reply = call(
        &server,
        Method::POST,
        "/v1/auth/register",
        None,
        Some(json!({ "email": "not-an-email", "password": "short", "name": "" })),
    )
    .await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_error_snapshot!("register_invalid_fields", &reply.body);
    let long = call(
        &server,
        Method::POST,
        "/v1/auth/register",
        None,
        Some(
            json!({ "email": "x@example.com", "password": "long-enough", "name": "n".repeat(201) }),
        ),
    )
    .await;
    assert_eq!(long.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(long.body["error"]["details"]["fields"][0]["field"], "name");
    Ok(())
}

async fn sql_looking_input_is_stored_as_text(server: TestServer) -> anyhow::Result<()> {
    let name = "Robert'); DROP TABLE users;--";
    let reply = register(&server, "bobby@example.com", "little-bobby", name).await;
    assert_eq!(reply.status, StatusCode::CREATED);
    let tokens = login(&server, "bobby@example.com", "little-bobby").await;
    let me = call(
        &server,
        Method::GET,
        "/v1/auth/me",
        tokens["access_token"].as_str(),
        None,
    )
    .await;
    assert_eq!(me.body["user"]["name"], name);
    let injected = token(
        &server,
        &[
            ("grant_type", "password"),
            ("username", "' OR '1'='1"),
            ("password", "' OR '1'='1"),
            ("client_id", "conceptpulse"),
        ],
    )
    .await;
    assert_eq!(injected.code(), "oauth.invalid_grant");
    Ok(())
}

async fn wrong_password_and_unknown_user_look_the_same(server: TestServer) -> anyhow::Result<()> {
    let wrong = token(
        &server,
        &[
            ("grant_type", "password"),
            ("username", &server.admin.email),
            ("password", "not-the-password"),
            ("client_id", "conceptpulse"),
        ],
    )
    .await;
    let unknown = token(
        &server,
        &[
            ("grant_type", "password"),
            ("username", "nobody@example.com"),
            ("password", "not-the-password"),
            ("client_id", "conceptpulse"),
        ],
    )
    .await;
    assert_eq!(wrong.status, StatusCode::BAD_REQUEST);
    assert_eq!(wrong.body["error"], "invalid_grant");
    assert_eq!(
        wrong.body["error_description"],
        unknown.body["error_description"]
    );
    assert_error_snapshot!("token_invalid_grant", &wrong.body);
    Ok(())
}

async fn refresh_rotates_and_reuse_revokes_the_family(server: TestServer) -> anyhow::Result<()> {
    let (access, first_refresh, _) = new_user(&server, "Rota").await;
    let first = refresh(&server, &first_refresh).await;
    assert_eq!(first.status, StatusCode::OK, "{:?}", first.body);
    let rotated = first.body["refresh_token"].as_str().unwrap().to_owned();
    assert_ne!(rotated, first_refresh);
    let new_access = first.body["access_token"].as_str().unwrap().to_owned();
    assert_eq!(
        call(&server, Method::GET, "/v1/auth/me", Some(&new_access), None)
            .await
            .status,
        StatusCode::OK
    );

    // Presenting the old token again is reuse: refused, and the whole session ends.
    let reuse = refresh(&server, &first_refresh).await;
    assert_eq!(reuse.body["error"], "invalid_grant");
    let after = refresh(&server, &rotated).await;
    assert_eq!(
        after.body["error"], "invalid_grant",
        "the rotated token dies with its family"
    );
    for token in [&access, &new_access] {
        let me = call(&server, Method::GET, "/v1/auth/me", Some(token), None).await;
        assert_eq!(me.status, StatusCode::UNAUTHORIZED);
        assert_eq!(me.code(), "auth.session_revoked");
    }
    Ok(())
}

async fn a_refresh_token_only_works_for_its_client(server: TestServer) -> anyhow::Result<()> {
    let (_, refresh, _) = new_user(&server, "Cli").await;
    let other = token(
        &server,
        &[
            ("grant_type", "refresh_token"),
            ("refresh_token", &refresh),
            ("client_id", "someone-else"),
        ],
    )
    .await;
    assert_eq!(other.status, StatusCode::UNAUTHORIZED);
    assert_eq!(other.body["error"], "invalid_client");
    Ok(())
}

async fn revoke_signs_out(server: TestServer) -> anyhow::Result<()> {
    let (access, refresh, _) = new_user(&server, "Rev").await;
    let response = crate::helpers::http()
        .post(server.url("/v1/auth/revoke"))
        .form(&[("token", refresh.as_str()), ("client_id", "conceptpulse")])
        .send()
        .await?;
    assert_eq!(response.status(), StatusCode::OK);
    let me = call(&server, Method::GET, "/v1/auth/me", Some(&access), None).await;
    assert_eq!(me.code(), "auth.session_revoked");
    let refreshed = token(
        &server,
        &[
            ("grant_type", "refresh_token"),
            ("refresh_token", &refresh),
            ("client_id", "conceptpulse"),
        ],
    )
    .await;
    assert_eq!(refreshed.body["error"], "invalid_grant");
    // Unknown tokens are accepted silently (RFC 7009 §2.2).
    let unknown = crate::helpers::http()
        .post(server.url("/v1/auth/revoke"))
        .form(&[("token", "no-such-token")])
        .send()
        .await?;
    assert_eq!(unknown.status(), StatusCode::OK);
    Ok(())
}

async fn expired_and_tampered_tokens_are_refused(server: TestServer) -> anyhow::Result<()> {
    let (access, _, _) = new_user(&server, "Exp").await;
    let mut tampered = access.clone();
    let last = tampered.pop().unwrap();
    tampered.push(if last == 'A' { 'B' } else { 'A' });
    let bad = call(&server, Method::GET, "/v1/auth/me", Some(&tampered), None).await;
    assert_eq!(bad.status, StatusCode::UNAUTHORIZED);
    assert_error_snapshot!("me_invalid_token", &bad.body);
    assert!(
        bad.headers["www-authenticate"]
            .to_str()?
            .contains("invalid_token")
    );

    server.clock.advance(Duration::minutes(16));
    let expired = call(&server, Method::GET, "/v1/auth/me", Some(&access), None).await;
    assert_eq!(expired.code(), "auth.token_expired");
    let none = call(&server, Method::GET, "/v1/auth/me", None, None).await;
    assert_error_snapshot!("me_missing_credentials", &none.body);
    Ok(())
}

async fn token_endpoint_errors_follow_rfc_6749(server: TestServer) -> anyhow::Result<()> {
    let unsupported = token(
        &server,
        &[("grant_type", "implicit"), ("client_id", "conceptpulse")],
    )
    .await;
    assert_eq!(unsupported.status, StatusCode::BAD_REQUEST);
    assert_eq!(unsupported.body["error"], "unsupported_grant_type");
    let missing = token(
        &server,
        &[("grant_type", "password"), ("client_id", "conceptpulse")],
    )
    .await;
    assert_error_snapshot!("token_missing_parameter", &missing.body);
    let json_body = crate::helpers::http()
        .post(server.url("/v1/auth/token"))
        .json(&json!({"grant_type": "password"}))
        .send()
        .await?;
    let json_body = crate::helpers::Reply::from(json_body).await;
    assert_eq!(json_body.status, StatusCode::BAD_REQUEST);
    assert_eq!(json_body.body["error"], "invalid_request");
    let no_client = token(
        &server,
        &[
            ("grant_type", "password"),
            ("username", "a@b.co"),
            ("password", "x"),
        ],
    )
    .await;
    assert_eq!(no_client.status, StatusCode::UNAUTHORIZED);
    assert_eq!(no_client.body["error"], "invalid_client");
    Ok(())
}

on_both_backends!(
    registration_then_sign_in_then_me,
    a_taken_email_is_refused_and_nothing_is_written,
    invalid_registration_lists_every_bad_field,
    sql_looking_input_is_stored_as_text,
    wrong_password_and_unknown_user_look_the_same,
    refresh_rotates_and_reuse_revokes_the_family,
    a_refresh_token_only_works_for_its_client,
    revoke_signs_out,
    expired_and_tampered_tokens_are_refused,
    token_endpoint_errors_follow_rfc_6749,
);

#[tokio::test]
async fn registration_can_be_closed() {
    let server = spawn_server_with(Backend::Sqlite, |c| c.auth.open_registration = false)
        .await
        .unwrap()
        .unwrap();
    let reply = register(&server, "late@example.com", "a-good-password", "Late").await;
    assert_eq!(reply.status, StatusCode::FORBIDDEN);
    assert_eq!(reply.code(), "auth.registration_closed");
}

#[tokio::test]
async fn the_token_endpoint_limits_attempts_per_account() {
    let server = spawn_server_with(Backend::Sqlite, |c| {
        c.auth.token_rate_per_account_per_minute = 3
    })
    .await
    .unwrap()
    .unwrap();
    let attempt = || {
        token(
            &server,
            &[
                ("grant_type", "password"),
                ("username", "victim@example.com"),
                ("password", "guess"),
                ("client_id", "conceptpulse"),
            ],
        )
    };
    for _ in 0..3 {
        assert_eq!(attempt().await.body["error"], "invalid_grant");
    }
    let limited = attempt().await;
    assert_eq!(limited.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(
        limited.headers["retry-after"]
            .to_str()
            .unwrap()
            .parse::<u64>()
            .unwrap()
            >= 1
    );
    assert_error_snapshot!("token_rate_limited", &limited.body);
    // Another account from the same address is unaffected.
    let other = token(
        &server,
        &[
            ("grant_type", "password"),
            ("username", "other@example.com"),
            ("password", "guess"),
            ("client_id", "conceptpulse"),
        ],
    )
    .await;
    assert_eq!(other.body["error"], "invalid_grant");
}

#[tokio::test]
async fn the_token_endpoint_limits_attempts_per_ip() {
    let server = spawn_server_with(Backend::Sqlite, |c| c.auth.token_rate_per_ip_per_minute = 2)
        .await
        .unwrap()
        .unwrap();
    for n in 0..2 {
        let r = token(
            &server,
            &[
                ("grant_type", "password"),
                ("username", &format!("u{n}@example.com")),
                ("password", "guess"),
                ("client_id", "conceptpulse"),
            ],
        )
        .await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST);
    }
    let r = token(
        &server,
        &[
            ("grant_type", "password"),
            ("username", "u9@example.com"),
            ("password", "guess"),
            ("client_id", "conceptpulse"),
        ],
    )
    .await;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS);
}
