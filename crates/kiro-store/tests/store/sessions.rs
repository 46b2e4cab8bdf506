//! Sessions and refresh tokens: rotation happens once per token, revocation sticks.

use std::sync::Arc;

use kiro_core::StoreError;
use kiro_core::model::{RefreshToken, Session, User};
use kiro_core::store::SessionStore;
use kiro_store::SqlStore;
use kiro_types::SessionId;
use tokio::sync::Barrier;
use uuid::Uuid;

use crate::{at, stored_user};

store_tests!(
    a_session_is_stored_with_its_first_token,
    a_token_rotates_once_and_a_second_rotation_is_stale,
    two_rotations_of_one_token_at_once_let_exactly_one_through,
    revoking_a_session_keeps_the_first_revocation_time,
);

fn token(session: &Session, digest: &str, offset_ms: i64) -> RefreshToken {
    RefreshToken {
        id: Uuid::now_v7(),
        session_id: session.id,
        token_digest: digest.to_owned(),
        created_at: at(offset_ms),
        expires_at: at(offset_ms + 30 * 24 * 3_600_000),
        rotated_at: None,
    }
}

async fn stored_session(store: &SqlStore, user: &User) -> anyhow::Result<(Session, RefreshToken)> {
    let session = Session {
        id: SessionId::new(),
        user_id: user.id,
        client_id: "kiro-cli".to_owned(),
        created_at: at(0),
        revoked_at: None,
    };
    let first = token(&session, &format!("digest-{}", session.id), 0);
    store.insert_session(&session, &first).await?;
    Ok((session, first))
}

async fn a_session_is_stored_with_its_first_token(store: SqlStore) -> anyhow::Result<()> {
    let (ada, _) = stored_user(&store, "ada@example.com").await?;
    let (session, first) = stored_session(&store, &ada).await?;

    assert_eq!(store.get_session(session.id).await?, session);
    assert_eq!(
        store
            .get_refresh_token_by_digest(&first.token_digest)
            .await?,
        first
    );
    assert!(matches!(
        store.get_session(SessionId::new()).await,
        Err(StoreError::NotFound)
    ));
    assert!(matches!(
        store.get_refresh_token_by_digest("no-such-digest").await,
        Err(StoreError::NotFound)
    ));
    Ok(())
}

async fn a_token_rotates_once_and_a_second_rotation_is_stale(
    store: SqlStore,
) -> anyhow::Result<()> {
    let (ada, _) = stored_user(&store, "ada@example.com").await?;
    let (session, first) = stored_session(&store, &ada).await?;
    let second = token(&session, "second", 1_000);
    let third = token(&session, "third", 2_000);

    store
        .rotate_refresh_token(first.id, &second, at(1_000))
        .await?;
    let again = store
        .rotate_refresh_token(first.id, &third, at(2_000))
        .await;

    assert!(matches!(again, Err(StoreError::Stale)), "{again:?}");
    let old = store
        .get_refresh_token_by_digest(&first.token_digest)
        .await?;
    assert_eq!(old.rotated_at, Some(at(1_000)));
    assert_eq!(store.get_refresh_token_by_digest("second").await?, second);
    assert!(matches!(
        store.get_refresh_token_by_digest("third").await,
        Err(StoreError::NotFound)
    ));
    let unknown = store
        .rotate_refresh_token(Uuid::now_v7(), &third, at(3_000))
        .await;
    assert!(matches!(unknown, Err(StoreError::NotFound)), "{unknown:?}");
    Ok(())
}

async fn two_rotations_of_one_token_at_once_let_exactly_one_through(
    store: SqlStore,
) -> anyhow::Result<()> {
    let (ada, _) = stored_user(&store, "ada@example.com").await?;
    let (session, first) = stored_session(&store, &ada).await?;
    let barrier = Arc::new(Barrier::new(2));
    let rotate = |digest: &str| {
        let (store, barrier) = (store.clone(), Arc::clone(&barrier));
        let new = token(&session, digest, 1_000);
        tokio::spawn(async move {
            barrier.wait().await;
            store.rotate_refresh_token(first.id, &new, at(1_000)).await
        })
    };
    let (a, b) = (rotate("a"), rotate("b"));
    let results = [a.await?, b.await?];

    let done = results.iter().filter(|r| r.is_ok()).count();
    let stale = results
        .iter()
        .filter(|r| matches!(r, Err(StoreError::Stale)))
        .count();
    assert_eq!((done, stale), (1, 1), "{results:?}");
    Ok(())
}

async fn revoking_a_session_keeps_the_first_revocation_time(store: SqlStore) -> anyhow::Result<()> {
    let (ada, _) = stored_user(&store, "ada@example.com").await?;
    let (session, _) = stored_session(&store, &ada).await?;

    store.revoke_session(session.id, at(5_000)).await?;
    store.revoke_session(session.id, at(9_000)).await?;

    assert_eq!(
        store.get_session(session.id).await?.revoked_at,
        Some(at(5_000))
    );
    let unknown = store.revoke_session(SessionId::new(), at(1)).await;
    assert!(matches!(unknown, Err(StoreError::NotFound)), "{unknown:?}");
    Ok(())
}
