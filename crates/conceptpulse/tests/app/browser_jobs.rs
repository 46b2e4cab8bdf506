//! Chromium follows an execution job live: "Run as job" in the playground leads to the job's
//! page, whose output grows as the program writes (the `kiro` events of `/live`, appended by
//! `live.js`), and whose status turns to cancelled in place when the job is cancelled, without
//! reloading. Waits are page loads and `MutationObserver` promises, never sleeps.

use std::time::Duration;

use chromiumoxide::Page;
use kiro_testkit::Backend;

use crate::App;
use crate::browser::{Chromium, check, fill, submit};

/// Prints a line, then another every 0.2 s until it is stopped.
const TICKING: &str = "import time\nprint('first', flush=True)\nwhile True:\n    time.sleep(0.2)\n    print('tick', flush=True)\n";

/// Resolves once `condition` (a JavaScript expression) holds, checked on each change under
/// `root`.
async fn until(page: &Page, root: &str, condition: &str, what: &str) -> anyhow::Result<()> {
    let script = format!(
        r#"() => new Promise(resolve => {{
            const done = () => {condition};
            if (done()) return resolve(true);
            new MutationObserver(() => done() && resolve(true))
                .observe(document.querySelector({root:?}), {{ childList: true, characterData: true, subtree: true, attributes: true }});
        }})"#
    );
    tokio::time::timeout(Duration::from_secs(30), page.evaluate_function(script))
        .await
        .map_err(|_| anyhow::anyhow!("{what} never happened"))??;
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_job_page_shows_output_and_cancellation_live() -> anyhow::Result<()> {
    let Some(app) = App::start(Backend::Sqlite).await? else {
        anyhow::bail!("SQLite is always available");
    };
    let chromium = Chromium::launch().await?;
    let page = chromium.browser.new_page(app.url("/signup")).await?;
    fill(&page, "#name", "Ada").await?;
    fill(&page, "#email", "ada@example.com").await?;
    fill(&page, "#password", "correct-horse").await?;
    submit(&page, "button[type=submit]").await?;
    fill(&page, "#subject", "Programming").await?;
    submit(&page, "form[action='/onboarding'] button").await?;

    page.goto(app.url("/kiro/execution"))
        .await?
        .wait_for_navigation()
        .await?;
    let ready: bool = check(
        &page,
        "!document.getElementById('sandbox-unavailable') && !!document.querySelector('option[value=python3]')",
    )
    .await?;
    if !ready {
        let shown: String = check(&page, "location.href + ' ' + document.body.innerText").await?;
        eprintln!("SKIPPED: the sandbox or python3 is unavailable here: {shown}");
        return chromium.close().await;
    }
    let set = format!(
        "document.getElementById('environment').value = 'python3';
         document.getElementById('code').value = {TICKING:?};
         document.getElementById('time_limit').value = '30000'; true"
    );
    let _: bool = check(&page, &set).await?;
    let url = submit(&page, "#run-job").await?;
    let id = url
        .rsplit_once("/kiro/execution/jobs/")
        .map(|(_, id)| id.to_owned())
        .ok_or_else(|| anyhow::anyhow!("Run as job led to {url}"))?;
    let _: bool = check(&page, "window.notReloaded = true").await?;

    // The output grows while the page is open: only live events can add to it.
    let ticks = "(document.getElementById('job-stdout').textContent.match(/tick/g) || []).length";
    let at_load: usize = check(&page, ticks).await?;
    until(
        &page,
        "#job-stdout",
        &format!("{ticks} > {at_load} + 1"),
        "new output",
    )
    .await?;
    let stdout: String = check(&page, "document.getElementById('job-stdout').textContent").await?;
    assert!(stdout.starts_with("first\ntick\n"), "{stdout}");

    // Cancelled elsewhere (a request that does not leave the page): the status follows.
    let cancel = format!(
        "fetch('/kiro/execution/jobs/{id}/cancel', {{ method: 'POST', credentials: 'same-origin' }}).then(r => r.ok)"
    );
    let cancelled: bool = check(&page, &cancel).await?;
    assert!(cancelled, "the cancel form's post succeeds");
    until(
        &page,
        "#job-live",
        "document.getElementById('job-status').textContent === 'cancelled' && !document.getElementById('cancel-job')",
        "the cancelled status",
    )
    .await?;
    let kept: bool = check(&page, "window.notReloaded === true").await?;
    assert!(kept, "the page was updated in place");
    let finished: String =
        check(&page, "document.getElementById('job-finished').textContent").await?;
    assert!(finished.ends_with("UTC"), "{finished}");

    chromium.close().await?;
    app.up.shutdown().await
}
