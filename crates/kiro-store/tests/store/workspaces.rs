//! Workspaces: creation with an owner, listing, optimistic updates, deletion.

use kiro_core::StoreError;
use kiro_core::store::WorkspaceStore;
use kiro_store::SqlStore;
use kiro_types::WorkspaceId;
use kiro_types::workspace::Role;

use crate::{at, everything, new_workspace, stored_user};

store_tests!(
    a_users_workspaces_are_listed_oldest_first_with_their_role,
    an_update_with_the_current_version_bumps_it,
    an_update_with_a_stale_version_is_refused,
    updating_or_deleting_an_unknown_workspace_is_not_found,
    deleting_a_workspace_removes_its_memberships,
);

async fn a_users_workspaces_are_listed_oldest_first_with_their_role(
    store: SqlStore,
) -> anyhow::Result<()> {
    let (ada, personal) = stored_user(&store, "ada@example.com").await?;
    let (grace, _) = stored_user(&store, "grace@example.com").await?;
    let team = new_workspace("team", false, 10);
    store
        .insert_workspace(&team, grace.id, &crate::ev())
        .await?;
    store
        .insert_membership(
            &kiro_core::model::Membership {
                workspace_id: team.id,
                user_id: ada.id,
                role: Role::Viewer,
                created_at: at(20),
            },
            &crate::ev(),
        )
        .await?;

    assert_eq!(
        store
            .list_workspaces_for_user(ada.id, &everything())
            .await?
            .items,
        vec![(personal, Role::Owner), (team.clone(), Role::Viewer)]
    );
    assert_eq!(store.get_workspace(team.id).await?, team);
    Ok(())
}

async fn an_update_with_the_current_version_bumps_it(store: SqlStore) -> anyhow::Result<()> {
    let (_, workspace) = stored_user(&store, "ada@example.com").await?;
    let mut renamed = workspace.clone();
    renamed.name = "Renamed".to_owned();
    renamed.updated_at = at(5_000);

    let updated = store
        .update_workspace(&renamed, workspace.version, &crate::ev())
        .await?;

    assert_eq!(updated.name, "Renamed");
    assert_eq!(updated.version, workspace.version + 1);
    assert_eq!(updated.updated_at, at(5_000));
    assert_eq!(updated.created_at, workspace.created_at);
    assert_eq!(store.get_workspace(workspace.id).await?, updated);
    Ok(())
}

async fn an_update_with_a_stale_version_is_refused(store: SqlStore) -> anyhow::Result<()> {
    let (_, workspace) = stored_user(&store, "ada@example.com").await?;
    let mut first = workspace.clone();
    first.name = "First".to_owned();
    store
        .update_workspace(&first, workspace.version, &crate::ev())
        .await?;
    let mut second = workspace.clone();
    second.name = "Second".to_owned();

    let result = store
        .update_workspace(&second, workspace.version, &crate::ev())
        .await;

    assert!(matches!(result, Err(StoreError::Stale)), "{result:?}");
    assert_eq!(store.get_workspace(workspace.id).await?.name, "First");
    Ok(())
}

async fn updating_or_deleting_an_unknown_workspace_is_not_found(
    store: SqlStore,
) -> anyhow::Result<()> {
    let ghost = new_workspace("ghost", false, 0);

    assert!(matches!(
        store.update_workspace(&ghost, 1, &crate::ev()).await,
        Err(StoreError::NotFound)
    ));
    assert!(matches!(
        store.delete_workspace(ghost.id, &crate::ev()).await,
        Err(StoreError::NotFound)
    ));
    assert!(matches!(
        store.get_workspace(WorkspaceId::new()).await,
        Err(StoreError::NotFound)
    ));
    Ok(())
}

async fn deleting_a_workspace_removes_its_memberships(store: SqlStore) -> anyhow::Result<()> {
    let (ada, _) = stored_user(&store, "ada@example.com").await?;
    let team = new_workspace("team", false, 10);
    store.insert_workspace(&team, ada.id, &crate::ev()).await?;

    store.delete_workspace(team.id, &crate::ev()).await?;

    assert!(matches!(
        store.get_workspace(team.id).await,
        Err(StoreError::NotFound)
    ));
    assert_eq!(store.get_membership(team.id, ada.id).await?, None);
    assert!(
        store
            .list_members(team.id, &everything())
            .await?
            .items
            .is_empty()
    );
    assert_eq!(
        store
            .list_workspaces_for_user(ada.id, &everything())
            .await?
            .items
            .len(),
        1
    );
    Ok(())
}
