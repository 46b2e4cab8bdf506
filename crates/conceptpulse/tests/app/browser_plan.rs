//! Two Chromium browsers (separate profiles, each signed in on its own) open the same
//! project's Gantt chart; one moves a task with the page's form, and the other's chart
//! redraws that task's bar by itself (the live `kiro` event makes the page refetch the SVG).
//! Waits are promises in the page (`MutationObserver`), never sleeps.

use std::time::Duration;

use chromiumoxide::Page;
use kiro_testkit::Backend;

use crate::App;
use crate::browser::{Chromium, check, fill, submit};
use crate::plan_web::{create_project, create_task};
use crate::web::{browser, sign_up};

const EMAIL: &str = "lin@example.com";

/// Signs in as the test user in `chromium` and opens `path`.
async fn open_signed_in(chromium: &Chromium, app: &App, path: &str) -> anyhow::Result<Page> {
    let page = chromium.browser.new_page(app.url("/signin")).await?;
    fill(&page, "#email", EMAIL).await?;
    fill(&page, "#password", "correct-horse").await?;
    let url = submit(&page, "button[type=submit]").await?;
    anyhow::ensure!(url.ends_with("/dashboard"), "signed in to {url}");
    page.goto(app.url(path))
        .await?
        .wait_for_navigation()
        .await?;
    Ok(page)
}

/// Resolves once `predicate` (a JavaScript expression) holds, re-checked on every change
/// under `document`; returns the expression `value` then.
async fn once(page: &Page, predicate: &str, value: &str, what: &str) -> anyhow::Result<String> {
    let script = format!(
        r#"() => new Promise(resolve => {{
            const done = () => {predicate};
            if (done()) return resolve(String({value}));
            new MutationObserver(() => done() && resolve(String({value})))
                .observe(document.documentElement, {{ childList: true, subtree: true, attributes: true }});
        }})"#
    );
    let result = tokio::time::timeout(Duration::from_secs(30), page.evaluate_function(script))
        .await
        .map_err(|_| anyhow::anyhow!("{what} never happened"))??;
    Ok(result.into_value()?)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_move_in_one_browser_redraws_the_gantt_bar_in_the_other() -> anyhow::Result<()> {
    let Some(app) = App::start(Backend::Sqlite).await? else {
        anyhow::bail!("SQLite is always available");
    };
    let web = browser()?;
    sign_up(&app, &web, "Lin", EMAIL).await?;
    let project = create_project(&app, &web, "Live plan").await?;
    create_task(
        &app,
        &web,
        &project,
        &[
            ("title", "Design"),
            ("start_date", "2030-03-02"),
            ("end_date", "2030-03-04"),
        ],
    )
    .await?;
    let build = create_task(
        &app,
        &web,
        &project,
        &[
            ("title", "Build"),
            ("start_date", "2030-03-05"),
            ("end_date", "2030-03-06"),
        ],
    )
    .await?;
    let gantt = format!("/kiro/planning/projects/{project}/gantt");
    let bar = format!(r#"document.querySelector('rect[data-task-id="{build}"]')"#);

    let mover = Chromium::launch().await?;
    let watcher = Chromium::launch().await?;
    let moving = open_signed_in(&mover, &app, &gantt).await?;
    let watching = open_signed_in(&watcher, &app, &gantt).await?;
    once(
        &watching,
        "document.getElementById('gantt-live').hasAttribute('data-following')",
        "true",
        "the watching page's live subscription",
    )
    .await?;
    let before: String = check(&watching, &format!("{bar}.getAttribute('x')")).await?;

    // The mover picks Build and gives it later dates with the page's form.
    let picked: bool = check(
        &moving,
        &format!(
            r#"(() => {{ const s = document.getElementById('task'); s.value = {build:?};
                s.dispatchEvent(new Event('change'));
                document.getElementById('start_date').value = '2030-03-10';
                document.getElementById('end_date').value = '2030-03-12';
                return s.value === {build:?}; }})()"#
        ),
    )
    .await?;
    assert!(picked);
    let url = submit(&moving, "#move-task").await?;
    assert!(
        url.ends_with(&gantt),
        "the form leads back to the chart: {url}"
    );
    let moved_here: String = check(&moving, &format!("{bar}.getAttribute('x')")).await?;
    assert_ne!(moved_here, before, "the mover's own chart shows the move");

    // The watcher's chart redraws the bar by itself.
    let after = once(
        &watching,
        &format!("{bar} !== null && {bar}.getAttribute('x') !== {before:?}"),
        &format!("{bar}.getAttribute('x')"),
        "the watcher's bar moving",
    )
    .await?;
    assert_eq!(
        after, moved_here,
        "both browsers draw the bar at the same place"
    );
    let later = after.parse::<i64>()? > before.parse::<i64>()?;
    assert!(later, "the bar moved right: {before} → {after}");

    mover.close().await?;
    watcher.close().await?;
    app.up.shutdown().await
}
