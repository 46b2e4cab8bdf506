//! Keyset paging of every list: each item exactly once and in order, ties on the time broken
//! by id, filters applied before paging, and rows written between two pages never shifting
//! the items that were already there.

use std::future::Future;

use kiro_core::model::{ApiKey, Member, Membership, OAuthClient};
use kiro_core::store::{ApiKeyFilter, ApiKeyStore, ClientStore, WorkspaceStore};
use kiro_core::{PageRequest, Paged, StoreError};
use kiro_store::SqlStore;
use kiro_types::workspace::Role;
use kiro_types::{ApiKeyId, UserId, WorkspaceId};

use crate::{at, new_workspace, stored_user};

store_tests!(
    api_keys_are_paged_newest_first_with_ties_broken_by_id,
    api_key_filters_apply_before_paging,
    api_keys_inserted_between_pages_never_shift_the_walk,
    clients_are_paged_newest_first,
    workspaces_are_paged_oldest_first,
    members_are_paged_by_join_time_and_new_members_come_last,
);

/// Reads a list page by page, `limit` items at a time, following each page's `next`.
async fn walk<T, F, Fut>(limit: u32, mut fetch: F) -> anyhow::Result<Vec<Vec<T>>>
where
    F: FnMut(PageRequest) -> Fut,
    Fut: Future<Output = Result<Paged<T>, StoreError>>,
{
    let mut pages = Vec::new();
    let mut request = PageRequest::first(limit);
    loop {
        let page = fetch(request.clone()).await?;
        pages.push(page.items);
        match page.next {
            Some(next) => request.after = Some(next),
            None => return Ok(pages),
        }
        anyhow::ensure!(pages.len() <= 100, "the walk does not end");
    }
}

fn sizes<T>(pages: &[Vec<T>]) -> Vec<usize> {
    pages.iter().map(Vec::len).collect()
}

fn key(workspace_id: WorkspaceId, created_by: UserId, n: usize, offset_ms: i64) -> ApiKey {
    ApiKey {
        id: ApiKeyId::new(),
        workspace_id,
        created_by,
        name: format!("key {n}"),
        prefix: format!("kiro_{n}"),
        secret_digest: format!("digest {n} {}", uuid::Uuid::now_v7()),
        scopes: vec!["read".to_owned()],
        created_at: at(offset_ms),
        expires_at: None,
        last_used_at: None,
        revoked_at: None,
    }
}

/// Walks a workspace's keys matching `filter`, `limit` at a time.
async fn walk_keys(
    store: &SqlStore,
    workspace: WorkspaceId,
    filter: ApiKeyFilter,
    limit: u32,
) -> anyhow::Result<Vec<Vec<ApiKey>>> {
    walk(limit, |page| {
        let store = store.clone();
        async move { store.list_api_keys(workspace, &filter, &page).await }
    })
    .await
}

/// Newest first by creation time, then by id, as the list orders them.
fn newest_first(mut keys: Vec<ApiKey>) -> Vec<ApiKey> {
    keys.sort_by_key(|k| std::cmp::Reverse(k.sort_key()));
    keys
}

async fn api_keys_are_paged_newest_first_with_ties_broken_by_id(
    store: SqlStore,
) -> anyhow::Result<()> {
    let (ada, workspace) = stored_user(&store, "ada@example.com").await?;
    // Three keys share one creation time: only the id orders them.
    let keys: Vec<ApiKey> = [0, 10, 10, 10, 20]
        .into_iter()
        .enumerate()
        .map(|(n, t)| key(workspace.id, ada.id, n, t))
        .collect();
    for k in keys.iter().rev() {
        store.insert_api_key(k, &crate::ev()).await?;
    }
    let expected = newest_first(keys);

    let all = ApiKeyFilter::default();
    let by_two = walk_keys(&store, workspace.id, all, 2).await?;
    let by_one = walk_keys(&store, workspace.id, all, 1).await?;
    let at_once = walk_keys(&store, workspace.id, all, 5).await?;

    assert_eq!(sizes(&by_two), vec![2, 2, 1]);
    assert_eq!(by_two.concat(), expected);
    assert_eq!(sizes(&by_one), vec![1; 5]);
    assert_eq!(by_one.concat(), expected);
    // A page that ends exactly at the last item says so: no empty page follows.
    assert_eq!(sizes(&at_once), vec![5]);
    Ok(())
}

async fn api_key_filters_apply_before_paging(store: SqlStore) -> anyhow::Result<()> {
    let (ada, workspace) = stored_user(&store, "ada@example.com").await?;
    let (grace, _) = stored_user(&store, "grace@example.com").await?;
    let mut keys = Vec::new();
    for n in 0..8 {
        let creator = if n % 2 == 0 { ada.id } else { grace.id };
        let mut k = key(workspace.id, creator, n, i64::try_from(n)? * 10);
        if n % 3 == 0 {
            k.revoked_at = Some(at(1_000));
        }
        store.insert_api_key(&k, &crate::ev()).await?;
        keys.push(k);
    }
    let expected = |keep: &dyn Fn(&ApiKey) -> bool| {
        newest_first(keys.iter().filter(|k| keep(k)).cloned().collect())
    };

    let adas_live = ApiKeyFilter {
        created_by: Some(ada.id),
        revoked: Some(false),
    };
    let revoked = ApiKeyFilter {
        created_by: None,
        revoked: Some(true),
    };
    let live = walk_keys(&store, workspace.id, adas_live, 1).await?;
    let dead = walk_keys(&store, workspace.id, revoked, 2).await?;

    assert_eq!(
        live.concat(),
        expected(&|k| k.created_by == ada.id && k.revoked_at.is_none())
    );
    assert_eq!(dead.concat(), expected(&|k| k.revoked_at.is_some()));
    assert_eq!(sizes(&dead), vec![2, 1]);
    Ok(())
}

async fn api_keys_inserted_between_pages_never_shift_the_walk(
    store: SqlStore,
) -> anyhow::Result<()> {
    let (ada, workspace) = stored_user(&store, "ada@example.com").await?;
    let originals: Vec<ApiKey> = [0, 10, 20, 30, 40]
        .into_iter()
        .enumerate()
        .map(|(n, t)| key(workspace.id, ada.id, n, t))
        .collect();
    for k in &originals {
        store.insert_api_key(k, &crate::ev()).await?;
    }
    let expected = newest_first(originals.clone());

    let mut seen: Vec<ApiKey> = Vec::new();
    let mut request = PageRequest::first(2);
    let mut n = 100;
    loop {
        let page = store
            .list_api_keys(workspace.id, &ApiKeyFilter::default(), &request)
            .await?;
        seen.extend(page.items);
        let Some(next) = page.next else { break };
        // Between pages: a newer key, one at the very time of the last item seen (a tie
        // broken by its later id), and one older than every original.
        for offset in [1_000, next.at_ms - at(0).timestamp_millis(), -1_000] {
            store
                .insert_api_key(&key(workspace.id, ada.id, n, offset), &crate::ev())
                .await?;
            n += 1;
        }
        request.after = Some(next);
        anyhow::ensure!(seen.len() < 100, "the walk does not end");
    }

    let original_ids: Vec<ApiKeyId> = expected.iter().map(|k| k.id).collect();
    let seen_originals: Vec<ApiKeyId> = seen
        .iter()
        .map(|k| k.id)
        .filter(|id| original_ids.contains(id))
        .collect();
    assert_eq!(seen_originals, original_ids, "each original once, in order");
    let mut ids: Vec<ApiKeyId> = seen.iter().map(|k| k.id).collect();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), seen.len(), "no key twice");
    Ok(())
}

fn client(id: &str, workspace_id: WorkspaceId, created_by: UserId, offset_ms: i64) -> OAuthClient {
    OAuthClient {
        client_id: id.to_owned(),
        workspace_id,
        name: format!("client {id}"),
        secret_digest: None,
        role: Role::Member,
        created_by,
        created_at: at(offset_ms),
        revoked_at: None,
    }
}

async fn clients_are_paged_newest_first(store: SqlStore) -> anyhow::Result<()> {
    let (ada, workspace) = stored_user(&store, "ada@example.com").await?;
    let (grace, other) = stored_user(&store, "grace@example.com").await?;
    let clients = vec![
        client("app_c", workspace.id, ada.id, 10),
        client("app_a", workspace.id, ada.id, 10),
        client("app_b", workspace.id, ada.id, 10),
        client("app_old", workspace.id, ada.id, 0),
        client("app_new", workspace.id, ada.id, 20),
    ];
    for c in &clients {
        store.insert_client(c, &crate::ev()).await?;
    }
    store
        .insert_client(&client("foreign", other.id, grace.id, 15), &crate::ev())
        .await?;
    let mut expected = clients;
    expected.sort_by_key(|c| std::cmp::Reverse(c.sort_key()));

    let pages = walk(2, |page| {
        let store = store.clone();
        async move { store.list_clients(workspace.id, &page).await }
    })
    .await?;

    assert_eq!(sizes(&pages), vec![2, 2, 1]);
    let names: Vec<String> = pages.concat().into_iter().map(|c| c.client_id).collect();
    let expected: Vec<String> = expected.into_iter().map(|c| c.client_id).collect();
    assert_eq!(names, expected);
    assert_eq!(
        names[..2],
        ["app_new".to_owned(), expected[1].clone()],
        "newest first"
    );
    Ok(())
}

async fn workspaces_are_paged_oldest_first(store: SqlStore) -> anyhow::Result<()> {
    let (ada, personal) = stored_user(&store, "ada@example.com").await?;
    let (grace, _) = stored_user(&store, "grace@example.com").await?;
    let mut expected = vec![personal];
    for (n, t) in [20, 10, 10, 10].into_iter().enumerate() {
        let team = new_workspace(&format!("team {n}"), false, t);
        store.insert_workspace(&team, ada.id, &crate::ev()).await?;
        expected.push(team);
    }
    // Not ada's: never listed for her.
    store
        .insert_workspace(&new_workspace("grace's", false, 15), grace.id, &crate::ev())
        .await?;
    expected.sort_by_key(|w| w.sort_key());

    let pages = walk(2, |page| {
        let store = store.clone();
        async move { store.list_workspaces_for_user(ada.id, &page).await }
    })
    .await?;

    assert_eq!(sizes(&pages), vec![2, 2, 1]);
    let listed: Vec<_> = pages.concat().into_iter().map(|(w, _)| w).collect();
    assert_eq!(listed, expected);
    Ok(())
}

async fn members_are_paged_by_join_time_and_new_members_come_last(
    store: SqlStore,
) -> anyhow::Result<()> {
    let (ada, workspace) = stored_user(&store, "ada@example.com").await?;
    for (n, t) in [5, 5, 5, 9].into_iter().enumerate() {
        let (user, _) = stored_user(&store, &format!("user{n}@example.com")).await?;
        store
            .insert_membership(
                &Membership {
                    workspace_id: workspace.id,
                    user_id: user.id,
                    role: Role::Member,
                    created_at: at(t),
                },
                &crate::ev(),
            )
            .await?;
    }
    let mut expected = store
        .list_members(workspace.id, &crate::everything())
        .await?
        .items;
    expected.sort_by_key(Member::sort_key);
    assert_eq!(expected[0].user_id, ada.id, "the owner joined first");

    let mut seen: Vec<Member> = Vec::new();
    let mut late = Vec::new();
    let mut request = PageRequest::first(2);
    loop {
        let page = store.list_members(workspace.id, &request).await?;
        seen.extend(page.items);
        let Some(next) = page.next else { break };
        // Someone joins between pages: later than everyone, so at the end of the walk.
        let (user, _) = stored_user(&store, &format!("late{}@example.com", late.len())).await?;
        store
            .insert_membership(
                &Membership {
                    workspace_id: workspace.id,
                    user_id: user.id,
                    role: Role::Viewer,
                    created_at: at(100 + i64::try_from(late.len())?),
                },
                &crate::ev(),
            )
            .await?;
        late.push(user.id);
        request.after = Some(next);
        anyhow::ensure!(seen.len() < 100, "the walk does not end");
    }

    let ids: Vec<UserId> = seen.iter().map(|m| m.user_id).collect();
    let mut wanted: Vec<UserId> = expected.iter().map(|m| m.user_id).collect();
    wanted.extend(&late);
    assert_eq!(
        ids, wanted,
        "originals once and in order, then the late joiners"
    );
    Ok(())
}
