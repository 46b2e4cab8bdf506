//! `paginate()`: a list as a lazy stream, one request per page.

use futures::{StreamExt, TryStreamExt};
use kiro_sdk::kiro_types::workspace::WorkspaceOut;
use kiro_testkit::TestServer;

use crate::{create_workspace, signed_in};

async fn paginate_walks_every_page_lazily(server: TestServer) -> anyhow::Result<()> {
    let client = signed_in(&server).await?;
    for n in 0..6 {
        create_workspace(&client, &format!("page {n}")).await?;
    }
    let attempts = client.attempts();

    let mut stream = Box::pin(client.paginate::<WorkspaceOut>("/v1/workspaces?limit=3"));
    let first = stream.next().await.transpose()?;
    let after_first = client.attempts() - attempts;
    let rest: Vec<WorkspaceOut> = stream.try_collect().await?;

    // The personal workspace and six more: 7 items, pages of 3, 3 and 1.
    assert_eq!(after_first, 1);
    assert!(first.is_some_and(|w| w.personal));
    assert_eq!(rest.len(), 6);
    assert_eq!(client.attempts() - attempts, 3);
    let names: Vec<&str> = rest.iter().map(|w| w.name.as_str()).collect();
    assert_eq!(
        names,
        ["page 0", "page 1", "page 2", "page 3", "page 4", "page 5"]
    );
    Ok(())
}

async fn an_error_ends_the_stream_after_yielding_it(server: TestServer) -> anyhow::Result<()> {
    let client = crate::connect(&server).await?;

    let items: Vec<_> = client
        .paginate::<WorkspaceOut>("/v1/workspaces")
        .collect()
        .await;

    assert_eq!(items.len(), 1);
    assert_eq!(
        items[0].as_ref().err().and_then(|e| e.code()),
        Some("auth.missing_credentials")
    );
    Ok(())
}

kiro_testkit::on_both_backends!(
    paginate_walks_every_page_lazily,
    an_error_ends_the_stream_after_yielding_it,
);
