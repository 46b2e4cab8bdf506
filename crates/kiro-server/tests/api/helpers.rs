//! A small HTTP client for the tests (kiro-sdk takes this role once it exists): register,
//! sign in, and call the API with a token, decoding JSON bodies.

use std::sync::Once;

use kiro_testkit::TestServer;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

static TLS: Once = Once::new();

/// A reqwest client (rustls provider installed once per process).
pub fn http() -> reqwest::Client {
    TLS.call_once(|| {
        let _ = rustls::crypto::ring::default_provider().install_default();
    });
    reqwest::Client::builder().build().expect("client")
}

/// A response's status, headers and JSON body (`Value::Null` when empty or not JSON).
#[derive(Debug)]
pub struct Reply {
    pub status: StatusCode,
    pub headers: reqwest::header::HeaderMap,
    pub body: Value,
}

impl Reply {
    pub async fn from(response: reqwest::Response) -> Reply {
        let status = response.status();
        let headers = response.headers().clone();
        let bytes = response.bytes().await.unwrap_or_default();
        let body = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
        Reply {
            status,
            headers,
            body,
        }
    }

    /// The error code of an error body (either envelope).
    pub fn code(&self) -> &str {
        self.body["error"]["code"]
            .as_str()
            .or_else(|| self.body["code"].as_str())
            .unwrap_or("")
    }
}

/// Calls `method path` with an optional bearer token and JSON body.
pub async fn call(
    server: &TestServer,
    method: Method,
    path: &str,
    token: Option<&str>,
    body: Option<Value>,
) -> Reply {
    let mut request = http().request(method, server.url(path));
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    if let Some(body) = body {
        request = request.json(&body);
    }
    Reply::from(request.send().await.expect("request")).await
}

/// `POST /v1/auth/register`.
pub async fn register(server: &TestServer, email: &str, password: &str, name: &str) -> Reply {
    call(
        server,
        Method::POST,
        "/v1/auth/register",
        None,
        Some(json!({ "email": email, "password": password, "name": name })),
    )
    .await
}

/// `POST /v1/auth/token` with a form body.
pub async fn token(server: &TestServer, form: &[(&str, &str)]) -> Reply {
    let response = http()
        .post(server.url("/v1/auth/token"))
        .form(form)
        .send()
        .await
        .expect("token request");
    Reply::from(response).await
}

/// Signs in with the password grant; panics unless it succeeds.
pub async fn login(server: &TestServer, email: &str, password: &str) -> Value {
    let reply = token(
        server,
        &[
            ("grant_type", "password"),
            ("username", email),
            ("password", password),
            ("client_id", "conceptpulse"),
        ],
    )
    .await;
    assert_eq!(
        reply.status,
        StatusCode::OK,
        "login failed: {:?}",
        reply.body
    );
    reply.body
}

/// Registers a fresh user and signs in; returns (access token, refresh token, email).
pub async fn new_user(server: &TestServer, name: &str) -> (String, String, String) {
    let email = format!(
        "{}-{}@example.com",
        name.to_lowercase(),
        uuid::Uuid::now_v7().simple()
    );
    let reply = register(server, &email, "a-good-password", name).await;
    assert_eq!(reply.status, StatusCode::CREATED, "{:?}", reply.body);
    let tokens = login(server, &email, "a-good-password").await;
    (
        tokens["access_token"].as_str().unwrap().to_owned(),
        tokens["refresh_token"].as_str().unwrap().to_owned(),
        email,
    )
}

/// The admin's access token.
pub async fn admin_token(server: &TestServer) -> String {
    let tokens = login(server, &server.admin.email, &server.admin.password).await;
    tokens["access_token"].as_str().unwrap().to_owned()
}

/// Redactions for snapshots of error bodies: the request id and timestamp change per run.
#[macro_export]
macro_rules! assert_error_snapshot {
    ($name:expr, $body:expr) => {
        insta::assert_json_snapshot!($name, $body, {
            ".error.requestId" => "[request-id]",
            ".error.timestamp" => "[timestamp]",
            ".requestId" => "[request-id]",
            ".timestamp" => "[timestamp]",
        })
    };
}

/// The refresh grant for the conceptpulse client.
pub async fn refresh(server: &TestServer, refresh_token: &str) -> Reply {
    token(
        server,
        &[
            ("grant_type", "refresh_token"),
            ("refresh_token", refresh_token),
            ("client_id", "conceptpulse"),
        ],
    )
    .await
}
