//! The event log: each mutation appends exactly one event in its transaction (and none when
//! it fails), listing by workspace, the head and its watch, retention, and — under concurrent
//! writers — ids that become visible strictly in order.

use std::collections::BTreeSet;
use std::sync::Arc;

use chrono::Duration;
use kiro_core::events::{EventDraft, kinds};
use kiro_core::store::{EventStore, WorkspaceStore};
use kiro_store::SqlStore;
use tokio::sync::Mutex;

use crate::{new_workspace, stored_user};

store_tests!(
    a_mutation_appends_its_event_and_a_failed_one_none,
    events_are_listed_per_workspace_in_id_order,
    the_head_watch_moves_with_each_commit,
    retention_removes_old_events_and_remembers_how_far,
    concurrent_writers_never_let_a_reader_skip_an_id,
);

fn draft(workspace: kiro_types::WorkspaceId, version: i64) -> EventDraft {
    EventDraft::new(
        workspace,
        kinds::WORKSPACE_UPDATED,
        workspace.to_string(),
        version,
        "user:test",
        chrono::Utc::now(),
        serde_json::json!({ "version": version }),
    )
}

async fn a_mutation_appends_its_event_and_a_failed_one_none(store: SqlStore) -> anyhow::Result<()> {
    let (_, personal) = stored_user(&store, "ada@example.com").await?;
    let before = store.events_head().await?;
    let mut renamed = personal.clone();
    renamed.name = "Renamed".into();
    store
        .update_workspace(&renamed, personal.version, &draft(personal.id, 2))
        .await?;
    let after = store.events_head().await?;
    assert_eq!(after, before + 1);
    let events = store.list_events(Some(&[personal.id]), before, 10).await?;
    assert_eq!(events.len(), 1);
    assert_eq!(events[0].event_type, "tenancy.workspace.updated");
    assert_eq!(events[0].data["version"], 2);

    // A stale update writes nothing, event included.
    let stale = store
        .update_workspace(&renamed, personal.version, &draft(personal.id, 9))
        .await;
    assert!(stale.is_err());
    assert_eq!(store.events_head().await?, after);
    Ok(())
}

async fn events_are_listed_per_workspace_in_id_order(store: SqlStore) -> anyhow::Result<()> {
    let (ada, _) = stored_user(&store, "ada@example.com").await?;
    let a = new_workspace("a", false, 1);
    let b = new_workspace("b", false, 2);
    store.insert_workspace(&a, ada.id, &draft(a.id, 1)).await?;
    store.insert_workspace(&b, ada.id, &draft(b.id, 1)).await?;
    let mut current = a.clone();
    for v in 1..4 {
        current = store
            .update_workspace(&current, v, &draft(a.id, v + 1))
            .await?;
    }
    let only_a = store.list_events(Some(&[a.id]), 0, 100).await?;
    assert_eq!(only_a.len(), 4);
    assert!(only_a.windows(2).all(|w| w[0].id < w[1].id));
    assert!(only_a.iter().all(|e| e.workspace_id == a.id));
    let both = store.list_events(Some(&[a.id, b.id]), 0, 100).await?;
    assert_eq!(both.len(), 5);
    let page = store.list_events(None, only_a[0].id, 2).await?;
    assert_eq!(page.len(), 2);
    assert!(store.list_events(Some(&[]), 0, 10).await?.is_empty());
    Ok(())
}

async fn the_head_watch_moves_with_each_commit(store: SqlStore) -> anyhow::Result<()> {
    let mut watch = store.watch_head();
    let (_, personal) = stored_user(&store, "ada@example.com").await?;
    watch.changed().await?;
    let seen = *watch.borrow_and_update();
    assert_eq!(seen, store.events_head().await?);
    let mut renamed = personal.clone();
    renamed.name = "x".into();
    store
        .update_workspace(&renamed, 1, &draft(personal.id, 2))
        .await?;
    watch.changed().await?;
    assert_eq!(*watch.borrow(), seen + 1);
    Ok(())
}

async fn retention_removes_old_events_and_remembers_how_far(store: SqlStore) -> anyhow::Result<()> {
    let (_, personal) = stored_user(&store, "ada@example.com").await?;
    let mut current = personal.clone();
    for v in 1..4 {
        current = store
            .update_workspace(&current, v, &draft(personal.id, v + 1))
            .await?;
    }
    assert_eq!(store.events_swept_through().await?, 0);
    assert_eq!(
        store
            .sweep_events(chrono::Utc::now() - Duration::days(1))
            .await?,
        0
    );
    let head = store.events_head().await?;
    let removed = store
        .sweep_events(chrono::Utc::now() + Duration::seconds(1))
        .await?;
    assert_eq!(removed, 4, "the user's creation event and three updates");
    assert_eq!(store.events_swept_through().await?, head);
    assert!(store.list_events(None, 0, 10).await?.is_empty());
    assert_eq!(
        store.events_head().await?,
        0,
        "an empty log has head 0; ids continue past the sweep"
    );
    Ok(())
}

async fn concurrent_writers_never_let_a_reader_skip_an_id(store: SqlStore) -> anyhow::Result<()> {
    let (ada, _) = stored_user(&store, "ada@example.com").await?;
    let start = store.events_head().await?;
    let writers = 6;
    let per_writer = 20;
    let mut workspaces = Vec::new();
    for n in 0..writers {
        let ws = new_workspace(&format!("w{n}"), false, n);
        store
            .insert_workspace(&ws, ada.id, &draft(ws.id, 1))
            .await?;
        workspaces.push(ws);
    }
    let after_setup = store.events_head().await?;
    let seen = Arc::new(Mutex::new(Vec::<i64>::new()));
    let done = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let reader = {
        let (store, seen, done) = (store.clone(), seen.clone(), done.clone());
        tokio::spawn(async move {
            let mut last = after_setup;
            loop {
                let finished = done.load(std::sync::atomic::Ordering::SeqCst);
                let batch = store.list_events(None, last, 1000).await?;
                if let Some(e) = batch.last() {
                    last = e.id;
                }
                seen.lock().await.extend(batch.iter().map(|e| e.id));
                if finished {
                    return anyhow::Ok(());
                }
                tokio::task::yield_now().await;
            }
        })
    };
    let mut tasks = Vec::new();
    for ws in workspaces {
        let store = store.clone();
        tasks.push(tokio::spawn(async move {
            let mut current = ws;
            for _ in 0..per_writer {
                let v = current.version;
                current = store
                    .update_workspace(&current, v, &draft(current.id, v + 1))
                    .await?;
            }
            anyhow::Ok(())
        }));
    }
    for t in tasks {
        t.await??;
    }
    done.store(true, std::sync::atomic::Ordering::SeqCst);
    reader.await??;
    let all: Vec<i64> = store
        .list_events(None, after_setup, 10_000)
        .await?
        .iter()
        .map(|e| e.id)
        .collect();
    assert_eq!(all.len(), writers as usize * per_writer);
    let seen = seen.lock().await.clone();
    assert_eq!(
        seen, all,
        "the tailing reader saw every id, in order, exactly once"
    );
    assert!(start < after_setup);
    let unique: BTreeSet<i64> = seen.iter().copied().collect();
    assert_eq!(unique.len(), seen.len());
    Ok(())
}

/// Deterministic form of the ordering guarantee on PostgreSQL: while a transaction that drew
/// event id N is still open, no other mutation can commit id N+1.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_open_event_transaction_holds_back_later_ids_on_postgres() -> anyhow::Result<()> {
    let Some(db) = kiro_store::testing::TestDatabase::postgres()? else {
        println!("KIRO_TEST_DATABASE_URL is unset: skipping");
        return Ok(());
    };
    let store = db.store().await?;
    let (_, personal) = stored_user(&store, "ada@example.com").await?;
    let head = store.events_head().await?;

    // Transaction A follows the store's protocol and stays open.
    let mut a = store.mutation().await?;
    let a_id: i64 = {
        sqlx::query("SELECT 1 FROM (SELECT pg_advisory_xact_lock($1)) AS locked")
            .bind(kiro_store::events::EVENT_LOCK_KEY)
            .execute(a.conn())
            .await?;
        sqlx::query_scalar("SELECT nextval('events_id_seq')")
            .fetch_one(a.conn())
            .await?
    };

    // Mutation B starts while A is open.
    let b = {
        let store = store.clone();
        let mut renamed = personal.clone();
        renamed.name = "B".into();
        tokio::spawn(async move {
            store
                .update_workspace(&renamed, 1, &draft(renamed.id, 2))
                .await
        })
    };
    // Wait (polling with a deadline) until B is queued behind A's lock.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    loop {
        let waiting: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted",
        )
        .fetch_one(store.pool())
        .await?;
        if waiting > 0 {
            break;
        }
        assert!(
            !b.is_finished(),
            "B committed while A held id {a_id}: ids could be seen out of order"
        );
        assert!(
            std::time::Instant::now() < deadline,
            "B never reached the event lock"
        );
        tokio::task::yield_now().await;
    }
    assert_eq!(
        store.events_head().await?,
        head,
        "nothing committed past A's open id"
    );

    // A commits its event; then B goes through with a later id.
    sqlx::query(
        "INSERT INTO events (id, workspace_id, topic, event_type, resource_id, version, actor, at, data)
         VALUES ($1, $2, 't', 'tenancy.workspace.updated', 'r', 1, 'system', 0, '{}')",
    )
    .bind(a_id)
    .bind(personal.id.to_string())
    .execute(a.conn())
    .await?;
    a.commit(&store, &draft(personal.id, 1)).await?;
    b.await??;
    let ids: Vec<i64> = store
        .list_events(None, head, 10)
        .await?
        .iter()
        .map(|e| e.id)
        .collect();
    assert_eq!(ids.len(), 3);
    assert!(ids.windows(2).all(|w| w[0] < w[1]));
    assert_eq!(ids[0], a_id);
    Ok(())
}
