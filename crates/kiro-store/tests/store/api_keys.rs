//! API keys: lookup by digest, workspace scoping, listing, revocation, use tracking.

use kiro_core::StoreError;
use kiro_core::model::ApiKey;
use kiro_core::store::{ApiKeyFilter, ApiKeyStore};
use kiro_store::SqlStore;
use kiro_types::{ApiKeyId, UserId, WorkspaceId};

use crate::{at, everything, stored_user};

store_tests!(
    a_key_is_found_by_digest_and_only_in_its_workspace,
    a_duplicate_digest_is_a_conflict,
    keys_are_listed_newest_first_and_filtered_by_creator,
    a_revoked_key_keeps_its_first_revocation_time,
    use_is_recorded_at_most_once_a_minute,
);

fn key(workspace_id: WorkspaceId, created_by: UserId, name: &str, offset_ms: i64) -> ApiKey {
    ApiKey {
        id: ApiKeyId::new(),
        workspace_id,
        created_by,
        name: name.to_owned(),
        prefix: format!("kiro_{name}"),
        secret_digest: format!("digest-of-{name}"),
        scopes: vec!["planning:read".to_owned(), "planning:write".to_owned()],
        created_at: at(offset_ms),
        expires_at: Some(at(offset_ms + 86_400_000)),
        last_used_at: None,
        revoked_at: None,
    }
}

async fn a_key_is_found_by_digest_and_only_in_its_workspace(store: SqlStore) -> anyhow::Result<()> {
    let (ada, workspace) = stored_user(&store, "ada@example.com").await?;
    let (_, elsewhere) = stored_user(&store, "grace@example.com").await?;
    let mut stored = key(workspace.id, ada.id, "ci", 0);
    stored.expires_at = None;
    stored.scopes = Vec::new();
    store.insert_api_key(&stored, &crate::ev()).await?;

    assert_eq!(store.get_api_key_by_digest("digest-of-ci").await?, stored);
    assert_eq!(store.get_api_key(workspace.id, stored.id).await?, stored);
    assert!(matches!(
        store.get_api_key(elsewhere.id, stored.id).await,
        Err(StoreError::NotFound)
    ));
    assert!(matches!(
        store.get_api_key_by_digest("unknown").await,
        Err(StoreError::NotFound)
    ));
    Ok(())
}

async fn a_duplicate_digest_is_a_conflict(store: SqlStore) -> anyhow::Result<()> {
    let (ada, workspace) = stored_user(&store, "ada@example.com").await?;
    store
        .insert_api_key(&key(workspace.id, ada.id, "ci", 0), &crate::ev())
        .await?;

    let twin = store
        .insert_api_key(&key(workspace.id, ada.id, "ci", 1), &crate::ev())
        .await;

    match twin {
        Err(StoreError::Conflict { constraint }) => {
            assert!(
                constraint.contains("secret_digest"),
                "constraint {constraint}"
            );
        }
        other => anyhow::bail!("expected a conflict, got {other:?}"),
    }
    Ok(())
}

async fn keys_are_listed_newest_first_and_filtered_by_creator(
    store: SqlStore,
) -> anyhow::Result<()> {
    let (ada, workspace) = stored_user(&store, "ada@example.com").await?;
    let (grace, other) = stored_user(&store, "grace@example.com").await?;
    let oldest = key(workspace.id, ada.id, "oldest", 0);
    let middle = key(workspace.id, grace.id, "middle", 10);
    let newest = key(workspace.id, ada.id, "newest", 20);
    let foreign = key(other.id, grace.id, "foreign", 30);
    for k in [&oldest, &middle, &newest, &foreign] {
        store.insert_api_key(k, &crate::ev()).await?;
    }

    let all = store
        .list_api_keys(workspace.id, &ApiKeyFilter::default(), &everything())
        .await?;
    let adas = store
        .list_api_keys(
            workspace.id,
            &ApiKeyFilter {
                created_by: Some(ada.id),
                revoked: None,
            },
            &everything(),
        )
        .await?;

    assert_eq!(all.items, vec![newest.clone(), middle, oldest.clone()]);
    assert_eq!(adas.items, vec![newest, oldest]);
    assert!(
        store
            .list_api_keys(WorkspaceId::new(), &ApiKeyFilter::default(), &everything())
            .await?
            .items
            .is_empty()
    );
    Ok(())
}

async fn a_revoked_key_keeps_its_first_revocation_time(store: SqlStore) -> anyhow::Result<()> {
    let (ada, workspace) = stored_user(&store, "ada@example.com").await?;
    let stored = key(workspace.id, ada.id, "ci", 0);
    store.insert_api_key(&stored, &crate::ev()).await?;

    store
        .revoke_api_key(stored.id, at(1_000), &crate::ev())
        .await?;
    store
        .revoke_api_key(stored.id, at(2_000), &crate::ev())
        .await?;

    assert_eq!(
        store.get_api_key(workspace.id, stored.id).await?.revoked_at,
        Some(at(1_000))
    );
    let unknown = store
        .revoke_api_key(ApiKeyId::new(), at(1), &crate::ev())
        .await;
    assert!(matches!(unknown, Err(StoreError::NotFound)), "{unknown:?}");
    Ok(())
}

async fn use_is_recorded_at_most_once_a_minute(store: SqlStore) -> anyhow::Result<()> {
    let (ada, workspace) = stored_user(&store, "ada@example.com").await?;
    let stored = key(workspace.id, ada.id, "ci", 0);
    store.insert_api_key(&stored, &crate::ev()).await?;
    let last_used = || async {
        Ok::<_, StoreError>(
            store
                .get_api_key(workspace.id, stored.id)
                .await?
                .last_used_at,
        )
    };

    store.touch_api_key(stored.id, at(100_000)).await?;
    assert_eq!(last_used().await?, Some(at(100_000)));
    store.touch_api_key(stored.id, at(130_000)).await?;
    assert_eq!(last_used().await?, Some(at(100_000)));
    store.touch_api_key(stored.id, at(161_000)).await?;
    assert_eq!(last_used().await?, Some(at(161_000)));
    // Touching a key that does not exist is silently nothing.
    store.touch_api_key(ApiKeyId::new(), at(1)).await?;
    Ok(())
}
