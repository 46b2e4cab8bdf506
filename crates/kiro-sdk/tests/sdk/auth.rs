//! Sign-in, API keys, the single-flight refresh and logout.

use kiro_sdk::kiro_types::auth::{ApiKeyCreatedOut, PrincipalKind};
use kiro_sdk::{Credentials, KiroClient, KiroError, Method, TokenStore};
use kiro_testkit::TestServer;

use crate::{admin, connect, fast_config};

async fn password_sign_in_then_me_names_the_user(server: TestServer) -> anyhow::Result<()> {
    let client = connect(&server).await?;

    client.authenticate(admin(&server)).await?;
    let me = client.me().await?;

    assert_eq!(me.kind, PrincipalKind::User);
    assert_eq!(me.user.map(|u| u.email), Some(server.admin.email.clone()));
    Ok(())
}

async fn a_wrong_password_is_an_invalid_grant(server: TestServer) -> anyhow::Result<()> {
    let client = connect(&server).await?;

    let result = client
        .authenticate(Credentials::Password {
            email: server.admin.email.clone(),
            password: "not-the-password".into(),
        })
        .await;

    let Err(error @ KiroError::Api(_)) = result else {
        anyhow::bail!("expected an API error, got {result:?}");
    };
    assert_eq!(error.code(), Some("oauth.invalid_grant"));
    assert_eq!(error.status(), Some(400));
    assert!(!error.retryable());
    Ok(())
}

async fn an_api_key_made_by_a_post_signs_in_as_a_bearer_token(
    server: TestServer,
) -> anyhow::Result<()> {
    let user = connect(&server).await?;
    user.authenticate(admin(&server)).await?;

    let created: ApiKeyCreatedOut = user
        .request(
            Method::POST,
            "/v1/auth/api-keys",
            Some(serde_json::json!({"name": "sdk test"})),
        )
        .await?;
    let bot = connect(&server).await?;
    bot.authenticate(Credentials::ApiKey(created.secret))
        .await?;
    let me = bot.me().await?;

    assert_eq!(me.kind, PrincipalKind::ApiKey);
    Ok(())
}

async fn concurrent_requests_after_expiry_share_one_refresh(
    server: TestServer,
) -> anyhow::Result<()> {
    let client = connect(&server).await?;
    client.authenticate(admin(&server)).await?;
    server.clock.advance(chrono::Duration::minutes(16));

    let mut calls = tokio::task::JoinSet::new();
    for _ in 0..200 {
        let client = client.clone();
        calls.spawn(async move { client.me().await });
    }
    let mut succeeded = 0;
    while let Some(joined) = calls.join_next().await {
        joined??;
        succeeded += 1;
    }

    assert_eq!(succeeded, 200);
    assert_eq!(client.refresh_count(), 1);
    // A second refresh with the rotated token would have revoked the session.
    client.me().await?;
    Ok(())
}

async fn logout_revokes_the_session_on_the_server(server: TestServer) -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let mut config = fast_config(&server.base_url);
    config.token_file = Some(dir.path().join("a.json"));
    let client = KiroClient::connect(config).await?;
    client.authenticate(admin(&server)).await?;
    let copy = TokenStore::new(dir.path().join("a.json"))
        .load()?
        .ok_or_else(|| anyhow::anyhow!("no token file after sign-in"))?;

    client.logout().await?;

    let forgotten = client.me().await;
    assert_eq!(
        forgotten.err().as_ref().and_then(KiroError::code),
        Some("auth.missing_credentials")
    );
    assert!(!dir.path().join("a.json").exists());
    // The same tokens, held elsewhere, are dead on the server too.
    TokenStore::new(dir.path().join("b.json")).save(&copy)?;
    let mut config = fast_config(&server.base_url);
    config.token_file = Some(dir.path().join("b.json"));
    let other = KiroClient::connect(config).await?;
    assert!(other.authenticate_from_store().await?);
    let revoked = other.me().await;
    assert_eq!(
        revoked.err().as_ref().and_then(KiroError::code),
        Some("auth.session_revoked")
    );
    Ok(())
}

kiro_testkit::on_both_backends!(
    password_sign_in_then_me_names_the_user,
    a_wrong_password_is_an_invalid_grant,
    an_api_key_made_by_a_post_signs_in_as_a_bearer_token,
    concurrent_requests_after_expiry_share_one_refresh,
    logout_revokes_the_session_on_the_server,
);
