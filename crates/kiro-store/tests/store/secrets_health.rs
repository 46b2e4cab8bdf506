//! Server secrets (first writer wins) and the readiness checks.

use kiro_core::store::{SecretStore, StoreHealth};
use kiro_store::SqlStore;

store_tests!(
    the_first_stored_secret_wins_for_every_later_candidate,
    replicas_racing_for_a_secret_all_get_the_same_value,
    a_connected_store_is_migrated_and_answers,
);

async fn the_first_stored_secret_wins_for_every_later_candidate(
    store: SqlStore,
) -> anyhow::Result<()> {
    assert_eq!(store.get_or_insert_secret("jwt", "first").await?, "first");
    assert_eq!(store.get_or_insert_secret("jwt", "second").await?, "first");
    assert_eq!(store.get_or_insert_secret("jwt", "third").await?, "first");
    assert_eq!(store.get_or_insert_secret("other", "own").await?, "own");
    Ok(())
}

async fn replicas_racing_for_a_secret_all_get_the_same_value(
    store: SqlStore,
) -> anyhow::Result<()> {
    let tasks: Vec<_> = (0..8)
        .map(|i| {
            let store = store.clone();
            tokio::spawn(async move {
                store
                    .get_or_insert_secret("jwt", &format!("candidate {i}"))
                    .await
            })
        })
        .collect();
    let mut values = Vec::new();
    for task in tasks {
        values.push(task.await??);
    }
    values.dedup();
    assert_eq!(values.len(), 1, "{values:?}");
    Ok(())
}

async fn a_connected_store_is_migrated_and_answers(store: SqlStore) -> anyhow::Result<()> {
    assert!(store.migrations_applied().await?);
    store.ping().await?;
    assert_eq!(store.backend_name(), store.backend().name());
    Ok(())
}
