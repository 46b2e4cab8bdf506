//! Retries: a server that comes up late is reached; a non-retryable error is not retried.

use std::sync::Arc;
use std::time::Duration;

use kiro_core::ManualClock;
use kiro_sdk::kiro_types::discovery::ServicesOut;
use kiro_sdk::{KiroClient, KiroError, Method, RetryPolicy};
use kiro_store::testing::TestDatabase;
use kiro_testkit::spawn_server;

use crate::{connect, fast_config};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_request_is_retried_until_the_server_comes_up() -> anyhow::Result<()> {
    // Reserve a free port, then leave it closed.
    let port = std::net::TcpListener::bind("127.0.0.1:0")?
        .local_addr()?
        .port();
    let database = TestDatabase::sqlite()?;
    let data_dir = tempfile::tempdir()?;
    let app = kiro_server::startup::build(
        kiro_testkit::test_config(data_dir.path(), database.url()),
        Arc::new(ManualClock::new()),
    )
    .await?;
    let mut config = fast_config(&format!("http://127.0.0.1:{port}"));
    config.retry = RetryPolicy {
        max_attempts: 200,
        base_delay: Duration::from_millis(5),
        max_delay: Duration::from_millis(50),
        budget: 200,
    };
    let client = KiroClient::new(config)?;
    let call = tokio::spawn({
        let client = client.clone();
        async move {
            client
                .request::<ServicesOut>(Method::GET, "/v1/services", None)
                .await
        }
    });
    // Await the first retry: the call has failed at least once against the closed port.
    tokio::time::timeout(Duration::from_secs(10), async {
        while client.retries() == 0 {
            tokio::task::yield_now().await;
        }
    })
    .await?;

    let listener = tokio::net::TcpListener::bind(("127.0.0.1", port)).await?;
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let serving = tokio::spawn(kiro_server::startup::serve(listener, app, async move {
        let _ = stopped.await;
    }));
    let services = call.await??;

    assert_eq!(services.services.len(), 6);
    assert!(client.attempts() >= 2);
    let _ = stop.send(());
    serving.await??;
    Ok(())
}

#[tokio::test]
async fn a_non_retryable_error_is_sent_once() -> anyhow::Result<()> {
    let server = spawn_server().await?;
    let client = connect(&server).await?;
    let (attempts, retries) = (client.attempts(), client.retries());

    let result = client.me().await;

    let Err(error @ KiroError::Api(_)) = result else {
        anyhow::bail!("expected a 401, got {result:?}");
    };
    assert_eq!(error.code(), Some("auth.missing_credentials"));
    assert_eq!(client.attempts() - attempts, 1);
    assert_eq!(client.retries(), retries);
    Ok(())
}

#[tokio::test]
async fn retries_stop_at_max_attempts() -> anyhow::Result<()> {
    let port = std::net::TcpListener::bind("127.0.0.1:0")?
        .local_addr()?
        .port();
    let client = KiroClient::new(fast_config(&format!("http://127.0.0.1:{port}")))?;

    let result = client.health().await;

    assert!(
        matches!(result, Err(KiroError::Connection(_))),
        "{result:?}"
    );
    assert_eq!(client.attempts(), 4);
    assert_eq!(client.retries(), 3);
    Ok(())
}
