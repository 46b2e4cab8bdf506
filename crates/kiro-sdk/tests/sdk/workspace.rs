//! Choosing the workspace requests act in: a user with several workspaces has no default
//! once signed in again, so workspace-scoped calls must name one (`use_workspace`), and the
//! data each workspace holds stays in it.

use std::path::PathBuf;

use kiro_sdk::{Call, Credentials, UploadOptions};
use kiro_testkit::{TestServer, on_both_backends};

use crate::{connect, create_workspace, workspaces};

const LOCKED: &str = "20-userpw-encrypted.pdf";

fn read(name: &str) -> anyhow::Result<Vec<u8>> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/corpus/pdf")
        .join(name);
    Ok(std::fs::read(path)?)
}

async fn requests_act_in_the_chosen_workspace(server: TestServer) -> anyhow::Result<()> {
    let client = connect(&server).await?;
    let credentials = Credentials::Password {
        email: "wanda@example.com".into(),
        password: "correct horse battery".into(),
    };
    let register = Call::post("/v1/auth/register").json(serde_json::json!({
        "email": "wanda@example.com", "password": "correct horse battery", "name": "Wanda"
    }));
    client.call(register).await?;
    client.authenticate(credentials.clone()).await?;
    let class = create_workspace(&client, "Class").await?;
    let personal = workspaces(&client)
        .await?
        .into_iter()
        .find(|w| w.personal)
        .ok_or_else(|| anyhow::anyhow!("a new account has a personal workspace"))?;

    // Signed in again with two workspaces, the token names no default.
    client.authenticate(credentials).await?;
    assert_eq!(client.workspace(), None);
    let refused = client.assessment().documents(None).await;
    assert_eq!(
        refused.err().and_then(|e| e.code().map(str::to_owned)),
        Some("workspace.required".to_owned())
    );

    client.use_workspace(Some(class.id.to_string()));
    assert_eq!(client.workspace(), Some(class.id.to_string()));
    let uploaded = client
        .assessment()
        .upload_pdf(LOCKED, read(LOCKED)?, &UploadOptions::default())
        .await?;
    let in_class = client.assessment().documents(None).await?;
    assert_eq!(in_class.items.len(), 1);
    assert_eq!(in_class.items[0].id, uploaded.id);

    client.use_workspace(Some(personal.id.to_string()));
    let in_personal = client.assessment().documents(None).await?;
    assert!(in_personal.items.is_empty(), "the upload stayed in Class");
    let missing = client.assessment().document(&uploaded.id).await;
    assert_eq!(
        missing.err().and_then(|e| e.code().map(str::to_owned)),
        Some("assessment.document.not_found".to_owned())
    );
    Ok(())
}

on_both_backends!(requests_act_in_the_chosen_workspace);
