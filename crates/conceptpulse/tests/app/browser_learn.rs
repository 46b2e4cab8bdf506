//! Chromium walks the learning loop with JavaScript on: sign up, upload the R manual, watch
//! its processing page move on by itself (live events), take the five-question diagnosis
//! with the running clock, read the results and the lesson they point to, rate a revision,
//! and read the progress page's SVG charts. Waits are page loads and promises in the page,
//! never sleeps.

use std::time::Duration;

use chromiumoxide::Page;
use chromiumoxide::cdp::browser_protocol::dom::SetFileInputFilesParams;
use chromiumoxide::cdp::browser_protocol::page::EventLoadEventFired;
use futures::StreamExt;
use kiro_testkit::Backend;

use crate::App;
use crate::browser::{Chromium, check, fill, submit};
use crate::learn::{PROCESSING, quiz_of, quiz_with_answers, wrong};

const MANUAL: &str = "17-R-intro.pdf";

/// Resolves once an element matching `selector` is on the page.
async fn appears(page: &Page, selector: &str) -> anyhow::Result<()> {
    let script = format!(
        r#"() => new Promise(resolve => {{
            const found = () => document.querySelector({selector:?}) !== null;
            if (found()) return resolve(true);
            new MutationObserver(() => found() && resolve(true))
                .observe(document.documentElement, {{ childList: true, subtree: true }});
        }})"#
    );
    tokio::time::timeout(Duration::from_secs(30), page.evaluate_function(script))
        .await
        .map_err(|_| anyhow::anyhow!("{selector} never appeared"))??;
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn walk_the_learning_loop() -> anyhow::Result<()> {
    let Some(app) = App::start(Backend::Sqlite).await? else {
        anyhow::bail!("SQLite is always available");
    };
    let chromium = Chromium::launch().await?;
    let page = chromium.browser.new_page(app.url("/signup")).await?;
    fill(&page, "#name", "Lin").await?;
    fill(&page, "#email", "lin@example.com").await?;
    fill(&page, "#password", "correct-horse").await?;
    submit(&page, "button[type=submit]").await?;

    // Upload the manual.
    page.goto(app.url("/learn/upload"))
        .await?
        .wait_for_navigation()
        .await?;
    fill(&page, "#subject", "Statistics").await?;
    let input = page.find_element("#file").await?;
    let path = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/corpus/pdf")
        .join(MANUAL)
        .canonicalize()?;
    let mut files = SetFileInputFilesParams::new(vec![path.display().to_string()]);
    files.backend_node_id = Some(input.backend_node_id);
    page.execute(files).await?;
    let url = submit(&page, "form[action='/learn/upload'] button[type=submit]").await?;
    assert!(url.contains("/learn/documents/"), "{url}");

    // The processing page moves on by itself when Kiro is done.
    let started: bool = check(&page, "document.getElementById('start-diagnosis') !== null").await?;
    if !started {
        let bar: bool = check(&page, "document.getElementById('doc-progress') !== null").await?;
        assert!(bar, "a progress bar while processing");
        let mut loaded = page.event_listener::<EventLoadEventFired>().await?;
        tokio::time::timeout(PROCESSING, loaded.next())
            .await
            .map_err(|_| anyhow::anyhow!("the processing page never moved on"))?;
        appears(&page, "#start-diagnosis").await?;
    }
    let topics: usize = check(
        &page,
        "document.querySelectorAll('#topics tbody tr').length",
    )
    .await?;
    assert!(topics > 0, "the detected topics are listed");

    // The diagnosis, one timed question at a time; every answer wrong.
    let url = submit(&page, "#start-diagnosis").await?;
    let path = url
        .split_once("/learn/")
        .map(|(_, rest)| format!("/learn/{rest}"))
        .unwrap_or_default();
    let quiz_id = quiz_of(&path)?;
    let quiz = quiz_with_answers(&app, "lin@example.com", &quiz_id).await?;
    for (i, question) in quiz.questions.iter().enumerate() {
        let position: String = check(
            &page,
            "document.getElementById('quiz-position').textContent",
        )
        .await?;
        assert_eq!(position, format!("Question {} of 5", i + 1));
        let clock: String = check(
            &page,
            "document.getElementById('question-timer').textContent",
        )
        .await?;
        assert!(clock.contains(':'), "{clock}");
        let unlabelled: usize = check(
            &page,
            "[...document.querySelectorAll('input:not([type=hidden]), textarea')].filter(i => i.labels.length === 0).length",
        )
        .await?;
        assert_eq!(unlabelled, 0, "every answer field has a label");
        let choice = wrong(question);
        if question.kind.is_choice() {
            let script = format!(
                "(() => {{ const r = [...document.querySelectorAll('input[type=radio]')].find(r => r.value === {choice:?}); r.click(); return r.checked; }})()"
            );
            let checked: bool = check(&page, &script).await?;
            assert!(checked);
        } else {
            let field = if question.kind.as_str() == "essay" {
                "textarea#answer"
            } else {
                "input#answer"
            };
            fill(&page, field, &choice).await?;
        }
        if let Err(e) = submit(&page, "#next-question").await {
            let url = page.url().await?.unwrap_or_default();
            anyhow::bail!("question {} ({:?}): {e}; at {url}", i + 1, question.kind);
        }
    }

    // Results, and the lesson they point to.
    let url = page.url().await?.unwrap_or_default();
    assert!(url.ends_with("/results"), "{url}");
    let score: String = check(&page, "document.getElementById('result-score').textContent").await?;
    assert_eq!(score, "0 / 5");
    let weakest: String = check(
        &page,
        "document.getElementById('weakest-topic').textContent",
    )
    .await?;
    let url = submit(&page, "#fix-it").await?;
    assert!(url.contains("/learn/lesson?"), "{url}");
    let heading: String = check(&page, "document.querySelector('h1').textContent").await?;
    assert_eq!(heading, format!("Lesson: {weakest}"));

    // Rate a revision.
    page.goto(app.url("/learn/revisions"))
        .await?
        .wait_for_navigation()
        .await?;
    submit(&page, ".revision button.recall-good").await?;
    let notice: String = check(
        &page,
        "document.getElementById('revision-notice').textContent",
    )
    .await?;
    assert!(notice.starts_with("Recorded."), "{notice}");

    // Progress, as SVG with text.
    page.goto(app.url("/learn/progress"))
        .await?
        .wait_for_navigation()
        .await?;
    let charts: usize = check(
        &page,
        "[...document.querySelectorAll('svg.chart[role=img]')].filter(s => s.querySelector('title').textContent && s.querySelector('desc').textContent).length",
    )
    .await?;
    assert_eq!(charts, 3, "three labelled charts");
    let fits: bool = check(
        &page,
        "document.documentElement.scrollWidth <= window.innerWidth",
    )
    .await?;
    assert!(fits, "the progress page fits a phone's width");

    chromium.close().await?;
    app.up.shutdown().await
}
