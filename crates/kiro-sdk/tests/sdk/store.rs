//! The token file: mode 0600, and tokens that survive a restart of the client.

use std::os::unix::fs::PermissionsExt;

use kiro_sdk::KiroClient;
use kiro_testkit::spawn_server;

use crate::{admin, fast_config};

#[tokio::test]
async fn the_token_file_is_private_and_signs_in_a_new_client() -> anyhow::Result<()> {
    let server = spawn_server().await?;
    let dir = tempfile::tempdir()?;
    let path = dir.path().join("tokens.json");
    let mut config = fast_config(&server.base_url);
    config.token_file = Some(path.clone());
    let first = KiroClient::connect(config.clone()).await?;

    first.authenticate(admin(&server)).await?;

    let mode = std::fs::metadata(&path)?.permissions().mode() & 0o777;
    assert_eq!(mode, 0o600);
    let second = KiroClient::connect(config).await?;
    assert!(second.authenticate_from_store().await?);
    let me = second.me().await?;
    assert_eq!(me.user.map(|u| u.email), Some(server.admin.email.clone()));
    Ok(())
}

#[tokio::test]
async fn without_a_token_file_nothing_is_loaded() -> anyhow::Result<()> {
    let server = spawn_server().await?;
    let dir = tempfile::tempdir()?;
    let mut config = fast_config(&server.base_url);
    config.token_file = Some(dir.path().join("missing.json"));
    let client = KiroClient::connect(config).await?;

    assert!(!client.authenticate_from_store().await?);
    Ok(())
}
