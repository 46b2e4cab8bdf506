//! Users: an account comes with its personal workspace, atomically.

use kiro_core::StoreError;
use kiro_core::store::{UserStore, WorkspaceStore};
use kiro_store::SqlStore;
use kiro_types::UserId;
use kiro_types::workspace::Role;

use crate::{everything, new_user, new_workspace, stored_user};

store_tests!(
    a_user_is_stored_with_their_workspace,
    unknown_users_are_not_found,
    an_admin_flag_round_trips,
    a_duplicate_email_is_a_conflict_and_writes_nothing,
    a_failed_workspace_insert_rolls_the_user_back,
);

async fn a_user_is_stored_with_their_workspace(store: SqlStore) -> anyhow::Result<()> {
    let (user, workspace) = stored_user(&store, "ada@example.com").await?;

    assert_eq!(store.get_user(user.id).await?, user);
    assert_eq!(store.get_user_by_email("ada@example.com").await?, user);
    assert_eq!(store.get_workspace(workspace.id).await?, workspace);
    assert_eq!(
        store
            .list_workspaces_for_user(user.id, &everything())
            .await?
            .items,
        vec![(workspace.clone(), Role::Owner)]
    );
    let membership = store.get_membership(workspace.id, user.id).await?;
    assert_eq!(
        membership.map(|m| (m.role, m.created_at)),
        Some((Role::Owner, workspace.created_at))
    );
    Ok(())
}

async fn unknown_users_are_not_found(store: SqlStore) -> anyhow::Result<()> {
    stored_user(&store, "ada@example.com").await?;

    assert!(matches!(
        store.get_user(UserId::new()).await,
        Err(StoreError::NotFound)
    ));
    assert!(matches!(
        store.get_user_by_email("nobody@example.com").await,
        Err(StoreError::NotFound)
    ));
    Ok(())
}

async fn an_admin_flag_round_trips(store: SqlStore) -> anyhow::Result<()> {
    let mut user = new_user("root@example.com");
    user.is_admin = true;
    store
        .insert_user_with_workspace(&user, &new_workspace("root", true, 0), &crate::ev())
        .await?;

    assert!(store.get_user(user.id).await?.is_admin);
    Ok(())
}

async fn a_duplicate_email_is_a_conflict_and_writes_nothing(store: SqlStore) -> anyhow::Result<()> {
    stored_user(&store, "ada@example.com").await?;
    let twin = new_user("ada@example.com");
    let twin_workspace = new_workspace("twin", true, 1);

    let result = store
        .insert_user_with_workspace(&twin, &twin_workspace, &crate::ev())
        .await;

    match result {
        Err(StoreError::Conflict { constraint }) => {
            assert!(constraint.contains("email"), "constraint {constraint}");
        }
        other => anyhow::bail!("expected a conflict, got {other:?}"),
    }
    assert!(matches!(
        store.get_user(twin.id).await,
        Err(StoreError::NotFound)
    ));
    assert!(matches!(
        store.get_workspace(twin_workspace.id).await,
        Err(StoreError::NotFound)
    ));
    Ok(())
}

async fn a_failed_workspace_insert_rolls_the_user_back(store: SqlStore) -> anyhow::Result<()> {
    let (_, taken) = stored_user(&store, "ada@example.com").await?;
    let user = new_user("grace@example.com");
    let mut clash = new_workspace("clash", true, 1);
    clash.id = taken.id;

    let result = store
        .insert_user_with_workspace(&user, &clash, &crate::ev())
        .await;

    assert!(
        matches!(result, Err(StoreError::Conflict { .. })),
        "{result:?}"
    );
    assert!(matches!(
        store.get_user(user.id).await,
        Err(StoreError::NotFound)
    ));
    Ok(())
}
