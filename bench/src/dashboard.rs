//! `kiro-bench dashboard`: how fast ConceptPulse's dashboards load. Spawns
//! `conceptpulse up` (embedded Kiro on SQLite), signs a user up, then measures
//! (1) the server render of `/dashboard` and `/kiro` over HTTP, and (2) page
//! loads in headless Chromium: time to the response's last byte and to the
//! first contentful paint, from the browser's own Navigation and Paint Timing
//! entries.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use anyhow::Context;
use chromiumoxide::cdp::browser_protocol::page::EventLoadEventFired;
use chromiumoxide::{Browser, BrowserConfig, Page};
use futures::StreamExt;
use serde::Deserialize;

use crate::process::{ServerProcess, stop_after};

/// Options of `kiro-bench dashboard`.
#[derive(Debug, clap::Args)]
pub struct DashboardArgs {
    /// The conceptpulse binary [default: `conceptpulse` next to this executable].
    #[arg(long)]
    pub conceptpulse_bin: Option<PathBuf>,
    /// Chromium [default: $CHROMIUM or /usr/bin/chromium].
    #[arg(long)]
    pub chromium: Option<PathBuf>,
    /// Measured loads per page (after one unmeasured warm-up load).
    #[arg(long, default_value_t = 30, value_parser = clap::value_parser!(u32).range(1..))]
    pub runs: u32,
}

/// What the browser reports for one load, in milliseconds from navigation start.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Timing {
    response_end: f64,
    first_contentful_paint: f64,
    load_event_end: f64,
}

pub async fn run(args: DashboardArgs) -> anyhow::Result<()> {
    let bin = match args.conceptpulse_bin {
        Some(path) => path,
        None => std::env::current_exe()?.with_file_name("conceptpulse"),
    };
    anyhow::ensure!(
        bin.is_file(),
        "conceptpulse not found at {}: build it with `cargo build --release -p conceptpulse -p kiro-bench`",
        bin.display()
    );
    let app = ServerProcess::start("conceptpulse", &bin, "ConceptPulse is running at ", |dir| {
        [
            "up",
            "--listen",
            "127.0.0.1:0",
            "--api-listen",
            "127.0.0.1:0",
            "--data-dir",
        ]
        .into_iter()
        .map(str::to_owned)
        .chain([dir.display().to_string()])
        .collect()
    })
    .await?;
    let base = app.base_url().to_owned();
    let chromium = args
        .chromium
        .or_else(|| std::env::var_os("CHROMIUM").map(PathBuf::from))
        .unwrap_or_else(|| PathBuf::from("/usr/bin/chromium"));
    let runs = args.runs;
    stop_after(app, async |_| measure(&base, &chromium, runs).await).await
}

async fn measure(base: &str, chromium: &Path, runs: u32) -> anyhow::Result<()> {
    let http = reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .build()?;
    let signup = http
        .post(format!("{base}/signup"))
        .form(&[
            ("name", "Bench"),
            ("email", "bench@example.com"),
            ("password", "bench-password"),
        ])
        .send()
        .await?;
    anyhow::ensure!(
        signup.status().is_redirection(),
        "sign-up answered {}",
        signup.status()
    );
    println!("ConceptPulse dashboards, {runs} loads each (after a warm-up)");
    println!("server render over HTTP (request to last byte):");
    for path in ["/dashboard", "/kiro"] {
        let mut samples = Vec::new();
        for run in 0..=runs {
            let started = Instant::now();
            let response = http.get(format!("{base}{path}")).send().await?;
            anyhow::ensure!(
                response.status().is_success(),
                "{path}: {}",
                response.status()
            );
            response.bytes().await?;
            if run > 0 {
                samples.push(started.elapsed().as_secs_f64() * 1000.0);
            }
        }
        println!("  {path:<11} {}", summary(&mut samples));
    }
    browser_loads(base, chromium, runs).await
}

async fn browser_loads(base: &str, chromium: &Path, runs: u32) -> anyhow::Result<()> {
    let profile = tempfile::tempdir()?;
    let config = BrowserConfig::builder()
        .chrome_executable(chromium)
        .no_sandbox()
        .new_headless_mode()
        .user_data_dir(profile.path())
        .arg("--disable-gpu")
        .build()
        .map_err(|e| anyhow::anyhow!("cannot configure Chromium: {e}"))?;
    let (mut browser, mut events) = Browser::launch(config)
        .await
        .with_context(|| format!("starting {}", chromium.display()))?;
    let handler = tokio::spawn(async move { while events.next().await.is_some() {} });
    let page = browser.new_page(format!("{base}/signin")).await?;
    page.find_element("#email")
        .await?
        .click()
        .await?
        .type_str("bench@example.com")
        .await?;
    page.find_element("#password")
        .await?
        .click()
        .await?
        .type_str("bench-password")
        .await?;
    let mut loaded = page.event_listener::<EventLoadEventFired>().await?;
    page.find_element("button[type=submit]")
        .await?
        .click()
        .await?;
    tokio::time::timeout(Duration::from_secs(30), loaded.next())
        .await
        .context("signing in through the form")?;

    println!("Chromium page loads (headless; from navigation start):");
    for path in ["/dashboard", "/kiro"] {
        let (mut response, mut paint, mut load) = (Vec::new(), Vec::new(), Vec::new());
        for run in 0..=runs {
            let timing = load_once(&page, &format!("{base}{path}")).await?;
            if run > 0 {
                response.push(timing.response_end);
                paint.push(timing.first_contentful_paint);
                load.push(timing.load_event_end);
            }
        }
        println!(
            "  {path:<11} response end        {}",
            summary(&mut response)
        );
        println!(
            "  {path:<11} first contentful paint {}",
            summary(&mut paint)
        );
        println!("  {path:<11} load event end         {}", summary(&mut load));
    }
    browser.close().await?;
    browser.wait().await?;
    handler.abort();
    Ok(())
}

/// Navigates to `url`, waits for its load event, and reads the browser's timings.
async fn load_once(page: &Page, url: &str) -> anyhow::Result<Timing> {
    let mut loaded = page.event_listener::<EventLoadEventFired>().await?;
    page.goto(url).await?;
    tokio::time::timeout(Duration::from_secs(30), loaded.next())
        .await
        .with_context(|| format!("loading {url}"))?;
    // Paint entries are recorded asynchronously: wait for the first contentful paint.
    let script = r#"() => new Promise(resolve => {
        const report = () => {
            const nav = performance.getEntriesByType("navigation")[0];
            const fcp = performance.getEntriesByName("first-contentful-paint")[0];
            if (!fcp || nav.loadEventEnd === 0) return false;
            resolve(JSON.stringify({
                responseEnd: nav.responseEnd,
                firstContentfulPaint: fcp.startTime,
                loadEventEnd: nav.loadEventEnd,
            }));
            return true;
        };
        if (!report()) new PerformanceObserver(() => report()).observe({ type: "paint", buffered: true });
        setTimeout(report, 0);
    })"#;
    let json: String = page.evaluate_function(script).await?.into_value()?;
    Ok(serde_json::from_str(&json)?)
}

/// `median 3.1 ms, p95 4.0 ms, min 2.8 ms` of `samples` (milliseconds).
fn summary(samples: &mut [f64]) -> String {
    samples.sort_by(f64::total_cmp);
    let at = |q: f64| {
        let index = ((samples.len() as f64 - 1.0) * q).round() as usize;
        samples.get(index).copied().unwrap_or(f64::NAN)
    };
    format!(
        "median {:.1} ms, p95 {:.1} ms, min {:.1} ms",
        at(0.5),
        at(0.95),
        at(0.0)
    )
}

#[cfg(test)]
mod tests {
    use super::summary;

    #[test]
    fn summary_reads_sorted_quantiles() {
        let mut samples = vec![5.0, 1.0, 3.0, 2.0, 4.0];
        assert_eq!(
            summary(&mut samples),
            "median 3.0 ms, p95 5.0 ms, min 1.0 ms"
        );
    }
}
