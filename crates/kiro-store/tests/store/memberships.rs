//! Memberships: adding, listing, changing roles, and the guard that keeps an owner.

use std::sync::Arc;

use kiro_core::StoreError;
use kiro_core::model::Membership;
use kiro_core::store::WorkspaceStore;
use kiro_store::SqlStore;
use kiro_types::workspace::Role;
use kiro_types::{UserId, WorkspaceId};
use tokio::sync::Barrier;

use crate::{at, everything, new_workspace, stored_user};

store_tests!(
    members_are_added_listed_changed_and_removed,
    adding_a_member_twice_is_a_conflict,
    changing_a_non_member_is_not_found,
    the_only_owner_can_be_neither_demoted_nor_removed,
    with_two_owners_one_may_go,
    two_owners_demoting_each_other_at_once_leave_exactly_one,
);

fn membership(
    workspace_id: WorkspaceId,
    user_id: UserId,
    role: Role,
    offset_ms: i64,
) -> Membership {
    Membership {
        workspace_id,
        user_id,
        role,
        created_at: at(offset_ms),
    }
}

async fn role_of(
    store: &SqlStore,
    workspace: WorkspaceId,
    user: UserId,
) -> anyhow::Result<Option<Role>> {
    Ok(store.get_membership(workspace, user).await?.map(|m| m.role))
}

async fn members_are_added_listed_changed_and_removed(store: SqlStore) -> anyhow::Result<()> {
    let (ada, workspace) = stored_user(&store, "ada@example.com").await?;
    let (grace, _) = stored_user(&store, "grace@example.com").await?;
    let added = membership(workspace.id, grace.id, Role::Member, 100);

    store.insert_membership(&added, &crate::ev()).await?;
    assert_eq!(
        store.get_membership(workspace.id, grace.id).await?,
        Some(added)
    );
    let members = store.list_members(workspace.id, &everything()).await?.items;
    let listed: Vec<_> = members
        .iter()
        .map(|m| (m.user_id, m.email.as_str(), m.role))
        .collect();
    assert_eq!(
        listed,
        vec![
            (ada.id, "ada@example.com", Role::Owner),
            (grace.id, "grace@example.com", Role::Member)
        ]
    );
    assert_eq!(members[1].name, grace.name);
    assert_eq!(members[1].joined_at, at(100));

    store
        .set_membership_role(workspace.id, grace.id, Some(Role::Admin), &crate::ev())
        .await?;
    assert_eq!(
        role_of(&store, workspace.id, grace.id).await?,
        Some(Role::Admin)
    );

    store
        .set_membership_role(workspace.id, grace.id, None, &crate::ev())
        .await?;
    assert_eq!(role_of(&store, workspace.id, grace.id).await?, None);
    Ok(())
}

async fn adding_a_member_twice_is_a_conflict(store: SqlStore) -> anyhow::Result<()> {
    let (_, workspace) = stored_user(&store, "ada@example.com").await?;
    let (grace, _) = stored_user(&store, "grace@example.com").await?;
    store
        .insert_membership(
            &membership(workspace.id, grace.id, Role::Member, 1),
            &crate::ev(),
        )
        .await?;

    let again = store
        .insert_membership(
            &membership(workspace.id, grace.id, Role::Admin, 2),
            &crate::ev(),
        )
        .await;

    assert!(
        matches!(again, Err(StoreError::Conflict { .. })),
        "{again:?}"
    );
    assert_eq!(
        role_of(&store, workspace.id, grace.id).await?,
        Some(Role::Member)
    );
    Ok(())
}

async fn changing_a_non_member_is_not_found(store: SqlStore) -> anyhow::Result<()> {
    let (_, workspace) = stored_user(&store, "ada@example.com").await?;
    let (grace, _) = stored_user(&store, "grace@example.com").await?;

    let demote = store
        .set_membership_role(workspace.id, grace.id, Some(Role::Viewer), &crate::ev())
        .await;
    let remove = store
        .set_membership_role(workspace.id, grace.id, None, &crate::ev())
        .await;
    let elsewhere = store
        .set_membership_role(WorkspaceId::new(), grace.id, None, &crate::ev())
        .await;

    assert!(matches!(demote, Err(StoreError::NotFound)), "{demote:?}");
    assert!(matches!(remove, Err(StoreError::NotFound)), "{remove:?}");
    assert!(
        matches!(elsewhere, Err(StoreError::NotFound)),
        "{elsewhere:?}"
    );
    Ok(())
}

async fn the_only_owner_can_be_neither_demoted_nor_removed(store: SqlStore) -> anyhow::Result<()> {
    let (ada, workspace) = stored_user(&store, "ada@example.com").await?;

    let demote = store
        .set_membership_role(workspace.id, ada.id, Some(Role::Admin), &crate::ev())
        .await;
    let remove = store
        .set_membership_role(workspace.id, ada.id, None, &crate::ev())
        .await;

    assert!(matches!(demote, Err(StoreError::Stale)), "{demote:?}");
    assert!(matches!(remove, Err(StoreError::Stale)), "{remove:?}");
    assert_eq!(
        role_of(&store, workspace.id, ada.id).await?,
        Some(Role::Owner)
    );
    // Keeping the role is no change and allowed.
    store
        .set_membership_role(workspace.id, ada.id, Some(Role::Owner), &crate::ev())
        .await?;
    Ok(())
}

async fn with_two_owners_one_may_go(store: SqlStore) -> anyhow::Result<()> {
    let (ada, workspace) = stored_user(&store, "ada@example.com").await?;
    let (grace, _) = stored_user(&store, "grace@example.com").await?;
    store
        .insert_membership(
            &membership(workspace.id, grace.id, Role::Member, 1),
            &crate::ev(),
        )
        .await?;
    store
        .set_membership_role(workspace.id, grace.id, Some(Role::Owner), &crate::ev())
        .await?;

    store
        .set_membership_role(workspace.id, ada.id, Some(Role::Viewer), &crate::ev())
        .await?;
    assert_eq!(
        role_of(&store, workspace.id, ada.id).await?,
        Some(Role::Viewer)
    );

    let remove_last = store
        .set_membership_role(workspace.id, grace.id, None, &crate::ev())
        .await;
    assert!(
        matches!(remove_last, Err(StoreError::Stale)),
        "{remove_last:?}"
    );
    store
        .set_membership_role(workspace.id, ada.id, None, &crate::ev())
        .await?;
    assert_eq!(role_of(&store, workspace.id, ada.id).await?, None);
    Ok(())
}

async fn two_owners_demoting_each_other_at_once_leave_exactly_one(
    store: SqlStore,
) -> anyhow::Result<()> {
    let (ada, _) = stored_user(&store, "ada@example.com").await?;
    let (grace, _) = stored_user(&store, "grace@example.com").await?;
    for round in 0..10 {
        let team = new_workspace(&format!("team {round}"), false, round);
        store.insert_workspace(&team, ada.id, &crate::ev()).await?;
        store
            .insert_membership(
                &membership(team.id, grace.id, Role::Owner, round),
                &crate::ev(),
            )
            .await?;
        let team_id = team.id;
        let barrier = Arc::new(Barrier::new(2));
        let demote = |user: UserId| {
            let (store, barrier) = (store.clone(), Arc::clone(&barrier));
            tokio::spawn(async move {
                barrier.wait().await;
                store
                    .set_membership_role(team_id, user, Some(Role::Member), &crate::ev())
                    .await
            })
        };
        let (first, second) = (demote(ada.id), demote(grace.id));
        let results = [first.await?, second.await?];

        let refused = results
            .iter()
            .filter(|r| matches!(r, Err(StoreError::Stale)))
            .count();
        let done = results.iter().filter(|r| r.is_ok()).count();
        assert_eq!((done, refused), (1, 1), "round {round}: {results:?}");
        let owners = store
            .list_members(team.id, &everything())
            .await?
            .items
            .into_iter()
            .filter(|m| m.role == Role::Owner)
            .count();
        assert_eq!(owners, 1, "round {round}");
    }
    Ok(())
}
