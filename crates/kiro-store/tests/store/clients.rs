//! OAuth clients: public apps and confidential service accounts.

use kiro_core::StoreError;
use kiro_core::model::OAuthClient;
use kiro_core::store::ClientStore;
use kiro_store::SqlStore;
use kiro_types::workspace::Role;
use kiro_types::{UserId, WorkspaceId};

use crate::{at, everything, stored_user};

store_tests!(
    clients_are_stored_listed_and_revoked,
    unknown_or_duplicate_clients_are_refused,
);

fn client(
    id: &str,
    workspace_id: WorkspaceId,
    created_by: UserId,
    secret: Option<&str>,
    offset_ms: i64,
) -> OAuthClient {
    OAuthClient {
        client_id: id.to_owned(),
        workspace_id,
        name: format!("client {id}"),
        secret_digest: secret.map(str::to_owned),
        role: Role::Member,
        created_by,
        created_at: at(offset_ms),
        revoked_at: None,
    }
}

async fn clients_are_stored_listed_and_revoked(store: SqlStore) -> anyhow::Result<()> {
    let (ada, workspace) = stored_user(&store, "ada@example.com").await?;
    let (grace, other) = stored_user(&store, "grace@example.com").await?;
    let public = client("app", workspace.id, ada.id, None, 0);
    let mut service = client("svc", workspace.id, ada.id, Some("digest"), 10);
    service.role = Role::Admin;
    let foreign = client("foreign", other.id, grace.id, None, 20);
    for c in [&public, &service, &foreign] {
        store.insert_client(c, &crate::ev()).await?;
    }

    assert_eq!(store.get_client("app").await?, public);
    assert_eq!(store.get_client("svc").await?, service);
    assert_eq!(
        store.list_clients(workspace.id, &everything()).await?.items,
        vec![service.clone(), public]
    );

    store.revoke_client("svc", at(1_000), &crate::ev()).await?;
    store.revoke_client("svc", at(2_000), &crate::ev()).await?;
    assert_eq!(store.get_client("svc").await?.revoked_at, Some(at(1_000)));
    Ok(())
}

async fn unknown_or_duplicate_clients_are_refused(store: SqlStore) -> anyhow::Result<()> {
    let (ada, workspace) = stored_user(&store, "ada@example.com").await?;
    store
        .insert_client(&client("app", workspace.id, ada.id, None, 0), &crate::ev())
        .await?;

    let twin = store
        .insert_client(&client("app", workspace.id, ada.id, None, 1), &crate::ev())
        .await;
    let orphan = store
        .insert_client(
            &client("orphan", WorkspaceId::new(), ada.id, None, 1),
            &crate::ev(),
        )
        .await;

    assert!(matches!(twin, Err(StoreError::Conflict { .. })), "{twin:?}");
    assert!(
        matches!(orphan, Err(StoreError::Conflict { .. })),
        "{orphan:?}"
    );
    assert!(matches!(
        store.get_client("nope").await,
        Err(StoreError::NotFound)
    ));
    assert!(matches!(
        store.revoke_client("nope", at(1), &crate::ev()).await,
        Err(StoreError::NotFound)
    ));
    Ok(())
}
