//! Idempotency keys: claim, complete and read back for replay; racing claims; release; lease
//! takeover; expiry and the sweep.

use std::sync::Arc;

use kiro_core::StoreError;
use kiro_core::idempotency::{IdempotencyClaim, IdempotencyStore, StoredResponse};
use kiro_store::SqlStore;
use tokio::sync::Barrier;
use uuid::Uuid;

use crate::at;

store_tests!(
    a_claimed_key_is_completed_and_read_back_for_replay,
    racing_claims_let_exactly_one_through,
    a_released_key_can_be_claimed_again,
    a_claim_whose_lease_ran_out_is_taken_over_and_cannot_complete,
    expired_keys_are_ignored_and_swept,
    keys_belong_to_one_principal,
);

/// A claim on `key` by `principal` made at `offset_ms`, holding the key for a minute.
fn claim(principal: &str, key: &str, hash: &str, offset_ms: i64) -> IdempotencyClaim {
    IdempotencyClaim {
        principal: principal.to_owned(),
        key: key.to_owned(),
        request_hash: hash.to_owned(),
        token: Uuid::now_v7(),
        created_at: at(offset_ms),
        expires_at: at(offset_ms + 60_000),
    }
}

fn created() -> StoredResponse {
    StoredResponse {
        status: 201,
        headers: vec![
            ("content-type".to_owned(), "application/json".to_owned()),
            ("location".to_owned(), "/v1/workspaces/1".to_owned()),
        ],
        // Not UTF-8: the body is bytes, whatever it holds.
        body: vec![b'{', 0xff, 0x00, b'}'],
    }
}

async fn a_claimed_key_is_completed_and_read_back_for_replay(
    store: SqlStore,
) -> anyhow::Result<()> {
    let first = claim("user:ada", "key-1", "hash-a", 0);
    store.claim_idempotency_key(&first, at(0)).await?;

    let running = store
        .get_idempotency_key("user:ada", "key-1", at(1))
        .await?;
    assert_eq!(running.claim, first);
    assert_eq!(running.response, None);

    store
        .complete_idempotency_key(&first, &created(), at(86_400_000))
        .await?;
    let done = store
        .get_idempotency_key("user:ada", "key-1", at(2))
        .await?;
    assert_eq!(done.response, Some(created()));
    assert_eq!(done.claim.request_hash, "hash-a");
    assert_eq!(done.claim.expires_at, at(86_400_000));

    let again = store
        .claim_idempotency_key(&claim("user:ada", "key-1", "hash-a", 3), at(3))
        .await;
    assert!(
        matches!(again, Err(StoreError::Conflict { .. })),
        "{again:?}"
    );
    // A completed claim cannot be completed twice.
    let twice = store
        .complete_idempotency_key(&first, &created(), at(5))
        .await;
    assert!(matches!(twice, Err(StoreError::NotFound)), "{twice:?}");
    let missing = store.get_idempotency_key("user:ada", "other", at(0)).await;
    assert!(matches!(missing, Err(StoreError::NotFound)), "{missing:?}");
    Ok(())
}

async fn racing_claims_let_exactly_one_through(store: SqlStore) -> anyhow::Result<()> {
    let racers = 8;
    let barrier = Arc::new(Barrier::new(racers));
    let tasks: Vec<_> = (0..racers)
        .map(|_| {
            let store = store.clone();
            let barrier = barrier.clone();
            tokio::spawn(async move {
                barrier.wait().await;
                store
                    .claim_idempotency_key(&claim("user:ada", "race", "hash", 0), at(0))
                    .await
            })
        })
        .collect();

    let mut won = 0;
    for task in tasks {
        match task.await? {
            Ok(()) => won += 1,
            Err(StoreError::Conflict { .. }) => {}
            Err(other) => anyhow::bail!("a racer failed: {other:?}"),
        }
    }

    assert_eq!(won, 1);
    Ok(())
}

async fn a_released_key_can_be_claimed_again(store: SqlStore) -> anyhow::Result<()> {
    let first = claim("user:ada", "key-1", "hash-a", 0);
    store.claim_idempotency_key(&first, at(0)).await?;

    // Someone else's token releases nothing.
    let stranger = claim("user:ada", "key-1", "hash-a", 0);
    store.release_idempotency_key(&stranger).await?;
    assert!(
        store
            .get_idempotency_key("user:ada", "key-1", at(1))
            .await
            .is_ok()
    );

    store.release_idempotency_key(&first).await?;
    let gone = store.get_idempotency_key("user:ada", "key-1", at(1)).await;
    assert!(matches!(gone, Err(StoreError::NotFound)), "{gone:?}");

    let retry = claim("user:ada", "key-1", "hash-a", 2);
    store.claim_idempotency_key(&retry, at(2)).await?;
    store
        .complete_idempotency_key(&retry, &created(), at(86_400_000))
        .await?;
    // Releasing after completion keeps the stored response.
    store.release_idempotency_key(&retry).await?;
    let kept = store
        .get_idempotency_key("user:ada", "key-1", at(3))
        .await?;
    assert_eq!(kept.response, Some(created()));
    Ok(())
}

async fn a_claim_whose_lease_ran_out_is_taken_over_and_cannot_complete(
    store: SqlStore,
) -> anyhow::Result<()> {
    let dead = claim("user:ada", "key-1", "hash-a", 0);
    store.claim_idempotency_key(&dead, at(0)).await?;
    let during = store
        .claim_idempotency_key(&claim("user:ada", "key-1", "hash-a", 59_999), at(59_999))
        .await;
    assert!(
        matches!(during, Err(StoreError::Conflict { .. })),
        "{during:?}"
    );

    let heir = claim("user:ada", "key-1", "hash-a", 60_000);
    store.claim_idempotency_key(&heir, at(60_000)).await?;

    let late = store
        .complete_idempotency_key(&dead, &created(), at(86_400_000))
        .await;
    assert!(matches!(late, Err(StoreError::NotFound)), "{late:?}");
    store.release_idempotency_key(&dead).await?;
    let record = store
        .get_idempotency_key("user:ada", "key-1", at(60_001))
        .await?;
    assert_eq!(record.claim.token, heir.token);
    Ok(())
}

async fn expired_keys_are_ignored_and_swept(store: SqlStore) -> anyhow::Result<()> {
    let old = claim("user:ada", "old", "hash", 0);
    store.claim_idempotency_key(&old, at(0)).await?;
    store
        .complete_idempotency_key(&old, &created(), at(10_000))
        .await?;
    let fresh = claim("user:ada", "fresh", "hash", 0);
    store.claim_idempotency_key(&fresh, at(0)).await?;
    store
        .complete_idempotency_key(&fresh, &created(), at(20_000))
        .await?;

    assert!(
        store
            .get_idempotency_key("user:ada", "old", at(9_999))
            .await
            .is_ok()
    );
    let expired = store
        .get_idempotency_key("user:ada", "old", at(10_000))
        .await;
    assert!(matches!(expired, Err(StoreError::NotFound)), "{expired:?}");

    assert_eq!(store.delete_expired_idempotency_keys(at(10_000)).await?, 1);
    assert_eq!(store.delete_expired_idempotency_keys(at(10_000)).await?, 0);
    assert!(
        store
            .get_idempotency_key("user:ada", "fresh", at(10_000))
            .await
            .is_ok()
    );
    // An expired but unswept key is free to claim again.
    store
        .claim_idempotency_key(&claim("user:ada", "fresh", "other", 20_000), at(20_000))
        .await?;
    Ok(())
}

async fn keys_belong_to_one_principal(store: SqlStore) -> anyhow::Result<()> {
    store
        .claim_idempotency_key(&claim("user:ada", "shared", "hash-a", 0), at(0))
        .await?;
    store
        .claim_idempotency_key(&claim("key:grace", "shared", "hash-b", 0), at(0))
        .await?;

    let ada = store
        .get_idempotency_key("user:ada", "shared", at(1))
        .await?;
    let grace = store
        .get_idempotency_key("key:grace", "shared", at(1))
        .await?;
    assert_eq!(ada.claim.request_hash, "hash-a");
    assert_eq!(grace.claim.request_hash, "hash-b");
    Ok(())
}
