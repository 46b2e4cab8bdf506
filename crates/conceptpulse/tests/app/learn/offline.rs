//! Kiro away in the middle of the loop: pages that read say so (nothing changed), a
//! revision rated meanwhile waits in the session's offline queue, and lands once when Kiro
//! is back.

use reqwest::StatusCode;

use super::{EINSTEIN, Live, quiz_of, quiz_with_answers, take, upload, wrong};
use crate::App;
use crate::web::{browser, location, sign_up};

async fn a_revision_rated_while_kiro_is_away_lands_when_it_returns(
    mut app: App,
) -> anyhow::Result<()> {
    let web = browser()?;
    sign_up(&app, &web, "Eve", "eve@example.com").await?;
    let mut live = Live::open(&app, &web).await?;
    let id = upload(&app, &web, "Physics", EINSTEIN).await?;
    assert_eq!(live.processed(&app, &web, &id).await?, "completed");
    let started = web
        .post(app.url(&format!("/learn/documents/{id}/diagnosis")))
        .send()
        .await?;
    let quiz = quiz_with_answers(&app, "eve@example.com", &quiz_of(&location(&started))?).await?;
    take(&app, &web, &quiz, |_, q| wrong(q)).await?;
    let revisions = web
        .get(app.url("/learn/revisions"))
        .send()
        .await?
        .text()
        .await?;
    let revision = revisions
        .split(r#"data-revision=""#)
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .map(str::to_owned)
        .ok_or_else(|| anyhow::anyhow!("no revision listed: {revisions}"))?;

    app.up.server.halt().await?;
    live.until(|kind, data| kind == "status" && data.contains("\"offline\""))
        .await?;
    let away = web.get(app.url("/learn/revisions")).send().await?;
    assert_eq!(away.status(), StatusCode::SERVICE_UNAVAILABLE);
    assert!(away.text().await?.contains("Nothing was changed"));
    let rated = web
        .post(app.url(&format!("/learn/revisions/{revision}/review")))
        .form(&[("recall", "hard")])
        .send()
        .await?;
    assert_eq!(location(&rated), "/learn/revisions?queued=1");
    live.until(|kind, data| kind == "sync" && data.contains("\"pending\":1"))
        .await?;

    app.up.server.resume().await?;
    live.until(|kind, data| kind == "sync" && data.contains("\"pending\":0"))
        .await?;
    let back = web
        .get(app.url("/learn/revisions"))
        .send()
        .await?
        .text()
        .await?;
    let row = back
        .split(&format!(r#"data-revision="{revision}""#))
        .nth(1)
        .unwrap_or_default();
    assert!(
        row.contains("1 review(s) · last: hard"),
        "the rating landed once: {back}"
    );
    Ok(())
}

crate::on_both_backends!(a_revision_rated_while_kiro_is_away_lands_when_it_returns);
