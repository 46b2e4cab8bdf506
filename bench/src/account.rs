//! The bench account on a fresh kiro-server: registration, a password-grant
//! access token, and the personal workspace every new user gets.
//!
//! Each benchmark starts its servers on an empty database, so registering the
//! same address every time is safe; any answer other than the documented one
//! fails the benchmark with the server's body quoted.

use anyhow::{Context, bail};
use reqwest::StatusCode;
use serde_json::{Value, json};

pub const EMAIL: &str = "bench@example.com";
pub const PASSWORD: &str = "bench-password-123";
const CLIENT_ID: &str = "conceptpulse";

/// Registers the bench account and exchanges its password for an access token.
pub async fn access_token(client: &reqwest::Client, base: &str) -> anyhow::Result<String> {
    let register = client
        .post(format!("{base}/v1/auth/register"))
        .json(&json!({ "email": EMAIL, "password": PASSWORD, "name": "Bench" }))
        .send()
        .await
        .context("POST /v1/auth/register")?;
    expect_status(register, StatusCode::CREATED, "POST /v1/auth/register").await?;

    let token = client
        .post(format!("{base}/v1/auth/token"))
        .form(&[
            ("grant_type", "password"),
            ("username", EMAIL),
            ("password", PASSWORD),
            ("client_id", CLIENT_ID),
        ])
        .send()
        .await
        .context("POST /v1/auth/token")?;
    let body = expect_status(token, StatusCode::OK, "POST /v1/auth/token").await?;
    let body: Value =
        serde_json::from_str(&body).context("POST /v1/auth/token: body is not JSON")?;
    body.get("access_token")
        .and_then(Value::as_str)
        .map(str::to_owned)
        .context("POST /v1/auth/token: no access_token in the answer")
}

/// The id of the caller's first workspace (a new user's personal one), from
/// `GET /v1/auth/me`.
pub async fn personal_workspace(
    client: &reqwest::Client,
    base: &str,
    token: &str,
) -> anyhow::Result<String> {
    let me = client
        .get(format!("{base}/v1/auth/me"))
        .bearer_auth(token)
        .send()
        .await
        .context("GET /v1/auth/me")?;
    let body = expect_status(me, StatusCode::OK, "GET /v1/auth/me").await?;
    let body: Value = serde_json::from_str(&body).context("GET /v1/auth/me: body is not JSON")?;
    body.pointer("/workspaces/0/id")
        .and_then(Value::as_str)
        .map(str::to_owned)
        .context("GET /v1/auth/me: no workspaces[0].id in the answer")
}

/// Returns the body when the status is `expected`, an error quoting it otherwise.
pub async fn expect_status(
    resp: reqwest::Response,
    expected: StatusCode,
    what: &str,
) -> anyhow::Result<String> {
    let status = resp.status();
    let body = resp
        .text()
        .await
        .with_context(|| format!("{what}: reading the body"))?;
    if status != expected {
        bail!("{what}: expected {expected}, got {status}: {body}");
    }
    Ok(body)
}
