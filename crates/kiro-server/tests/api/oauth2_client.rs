//! The token endpoint driven by a real OAuth2 client library (the `oauth2` crate), over a
//! small adapter to reqwest: password, refresh and client-credentials grants, and its parsing
//! of our RFC 6749 error bodies.

use kiro_testkit::spawn_server;
use oauth2::basic::{BasicClient, BasicErrorResponseType};
use oauth2::{
    ClientId, ClientSecret, RequestTokenError, ResourceOwnerPassword, ResourceOwnerUsername,
    TokenResponse, TokenUrl,
};
use reqwest::Method;
use serde_json::json;

use crate::helpers::{admin_token, call, http};

async fn send(request: oauth2::HttpRequest) -> Result<oauth2::HttpResponse, reqwest::Error> {
    let (parts, body) = request.into_parts();
    let response = http()
        .request(parts.method, parts.uri.to_string())
        .headers(parts.headers)
        .body(body)
        .send()
        .await?;
    let mut builder = http::Response::builder().status(response.status());
    for (name, value) in response.headers() {
        builder = builder.header(name, value);
    }
    let bytes = response.bytes().await?;
    Ok(builder.body(bytes.to_vec()).expect("response"))
}

#[tokio::test]
async fn an_oauth2_client_signs_in_refreshes_and_reads_errors() {
    let server = spawn_server().await.unwrap();
    let token_url = TokenUrl::new(server.url("/v1/auth/token")).unwrap();
    let app =
        BasicClient::new(ClientId::new("conceptpulse".into())).set_token_uri(token_url.clone());

    let tokens = app
        .exchange_password(
            &ResourceOwnerUsername::new(server.admin.email.clone()),
            &ResourceOwnerPassword::new(server.admin.password.clone()),
        )
        .request_async(&send)
        .await
        .unwrap();
    assert_eq!(tokens.expires_in().map(|d| d.as_secs()), Some(900));
    let refresh = tokens.refresh_token().unwrap().clone();
    let me = call(
        &server,
        Method::GET,
        "/v1/auth/me",
        Some(tokens.access_token().secret()),
        None,
    )
    .await;
    assert_eq!(me.body["user"]["email"], server.admin.email.as_str());

    let renewed = app
        .exchange_refresh_token(&refresh)
        .request_async(&send)
        .await
        .unwrap();
    assert_ne!(renewed.refresh_token().unwrap().secret(), refresh.secret());

    let wrong = app
        .exchange_password(
            &ResourceOwnerUsername::new(server.admin.email.clone()),
            &ResourceOwnerPassword::new("wrong password".into()),
        )
        .request_async(&send)
        .await;
    match wrong {
        Err(RequestTokenError::ServerResponse(e)) => {
            assert_eq!(e.error(), &BasicErrorResponseType::InvalidGrant);
            assert!(e.error_description().is_some());
        }
        other => panic!("expected invalid_grant, got {other:?}"),
    }

    // A service account through client_credentials with HTTP Basic authentication.
    let admin = admin_token(&server).await;
    let created = call(
        &server,
        Method::POST,
        "/v1/auth/clients",
        Some(&admin),
        Some(json!({ "name": "robot", "confidential": true })),
    )
    .await;
    let service = BasicClient::new(ClientId::new(
        created.body["clientId"].as_str().unwrap().into(),
    ))
    .set_client_secret(ClientSecret::new(
        created.body["clientSecret"].as_str().unwrap().into(),
    ))
    .set_token_uri(token_url);
    let service_tokens = service
        .exchange_client_credentials()
        .request_async(&send)
        .await
        .unwrap();
    assert!(service_tokens.refresh_token().is_none());
    let me = call(
        &server,
        Method::GET,
        "/v1/auth/me",
        Some(service_tokens.access_token().secret()),
        None,
    )
    .await;
    assert_eq!(me.body["kind"], "serviceAccount");
}
