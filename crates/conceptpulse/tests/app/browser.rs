//! Chromium (Debian's, through chromiumoxide, headless at a phone's width) against
//! `conceptpulse up`: sign up, see the connection badge follow the embedded API as it stops
//! and starts again, sign out, sign back in. Waits are promises in the page (a
//! `MutationObserver` on the badge), never sleeps.

use std::time::Duration;

use chromiumoxide::cdp::browser_protocol::page::EventLoadEventFired;
use chromiumoxide::{Browser, BrowserConfig, Page};
use futures::StreamExt;
use kiro_testkit::Backend;

use crate::App;

/// Debian's Chromium, or the one `CHROMIUM` names.
fn chromium() -> String {
    std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".to_owned())
}

pub struct Chromium {
    pub browser: Browser,
    handler: tokio::task::JoinHandle<()>,
    _profile: tempfile::TempDir,
}

impl Chromium {
    pub async fn launch() -> anyhow::Result<Self> {
        let profile = tempfile::tempdir()?;
        let config = BrowserConfig::builder()
            .chrome_executable(chromium())
            .no_sandbox()
            .new_headless_mode()
            .user_data_dir(profile.path())
            .window_size(390, 844)
            .arg("--disable-gpu")
            .arg("--disable-dev-shm-usage")
            .build()
            .map_err(|e| anyhow::anyhow!("cannot configure Chromium: {e}"))?;
        let (browser, mut events) = Browser::launch(config).await.map_err(|e| {
            anyhow::anyhow!(
                "cannot start {} (apt-get install -y chromium): {e}",
                chromium()
            )
        })?;
        // The handler drives the DevTools connection; a message it cannot parse is skipped.
        let handler = tokio::spawn(async move { while events.next().await.is_some() {} });
        Ok(Self {
            browser,
            handler,
            _profile: profile,
        })
    }

    pub async fn close(mut self) -> anyhow::Result<()> {
        self.browser.close().await?;
        self.browser.wait().await?;
        self.handler.abort();
        Ok(())
    }
}

pub async fn fill(page: &Page, selector: &str, text: &str) -> anyhow::Result<()> {
    page.find_element(selector)
        .await?
        .click()
        .await?
        .type_str(text)
        .await?;
    Ok(())
}

/// Clicks `button` (a form's submit button) and waits for the page it leads to to load.
pub async fn submit(page: &Page, button: &str) -> anyhow::Result<String> {
    let mut loaded = page.event_listener::<EventLoadEventFired>().await?;
    page.find_element(button).await?.click().await?;
    tokio::time::timeout(Duration::from_secs(30), loaded.next())
        .await
        .map_err(|_| anyhow::anyhow!("no page loaded after clicking {button}"))?;
    Ok(page.url().await?.unwrap_or_default())
}

/// Resolves once the connection badge reads `text`.
async fn badge_reads(page: &Page, text: &str) -> anyhow::Result<()> {
    let script = format!(
        r#"() => new Promise(resolve => {{
            const badge = document.getElementById("connection-badge");
            const done = () => badge.textContent.trim() === {text:?};
            if (done()) return resolve(true);
            new MutationObserver(() => done() && resolve(true))
                .observe(badge, {{ childList: true, characterData: true, subtree: true }});
        }})"#
    );
    tokio::time::timeout(Duration::from_secs(30), page.evaluate_function(script))
        .await
        .map_err(|_| anyhow::anyhow!("the badge never read {text:?}"))??;
    Ok(())
}

pub async fn check<T: serde::de::DeserializeOwned>(
    page: &Page,
    expression: &str,
) -> anyhow::Result<T> {
    Ok(page.evaluate(expression).await?.into_value()?)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sign_up_watch_the_badge_and_sign_out() -> anyhow::Result<()> {
    let Some(mut app) = App::start(Backend::Sqlite).await? else {
        anyhow::bail!("SQLite is always available");
    };
    let chromium = Chromium::launch().await?;
    let page = chromium.browser.new_page(app.url("/signup")).await?;

    let unlabelled: usize = check(
        &page,
        "[...document.querySelectorAll('input')].filter(i => i.labels.length === 0).length",
    )
    .await?;
    assert_eq!(unlabelled, 0, "every field has a label");
    fill(&page, "#name", "Grace").await?;
    fill(&page, "#email", "grace@example.com").await?;
    fill(&page, "#password", "correct-horse").await?;
    let url = submit(&page, "button[type=submit]").await?;
    assert!(
        url.ends_with("/onboarding"),
        "sign-up leads to onboarding: {url}"
    );

    page.goto(app.url("/kiro"))
        .await?
        .wait_for_navigation()
        .await?;
    badge_reads(&page, "Kiro connected").await?;
    let fits: bool = check(
        &page,
        "document.documentElement.scrollWidth <= window.innerWidth",
    )
    .await?;
    assert!(fits, "the Kiro dashboard fits a phone's width");

    app.up.server.halt().await?;
    badge_reads(&page, "Kiro offline").await?;
    app.up.server.resume().await?;
    badge_reads(&page, "Kiro connected").await?;

    let url = submit(&page, "form[action='/signout'] button").await?;
    assert!(url.ends_with("/signin?signed_out=1"), "{url}");
    let notice: String = check(&page, "document.querySelector('.notice').textContent").await?;
    assert!(notice.contains("signed out"), "{notice}");

    fill(&page, "#email", "grace@example.com").await?;
    fill(&page, "#password", "correct-horse").await?;
    let url = submit(&page, "button[type=submit]").await?;
    assert!(url.ends_with("/dashboard"), "{url}");
    let heading: String = check(&page, "document.querySelector('h1').textContent").await?;
    assert_eq!(heading, "Your learning loop");

    chromium.close().await?;
    app.up.shutdown().await
}
