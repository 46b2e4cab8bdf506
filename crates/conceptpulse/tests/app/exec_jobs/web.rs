//! The web's execution jobs over plain HTTP: "Run as job" from the playground, the job's
//! output and end read from the page's own `/live` stream, the job page before and after it
//! ends, its live-state JSON, cancelling, the status filter and the pages of the list.

use futures::StreamExt;
use reqwest::StatusCode;
use serde_json::Value;

use super::{FOREVER, PATIENCE};
use crate::App;
use crate::web::{browser, location, sign_up};

/// The page's `/live` stream: Server-Sent Events as (event, data) pairs.
struct LiveStream {
    bytes: futures::stream::BoxStream<'static, reqwest::Result<Vec<u8>>>,
    buffer: String,
}

impl LiveStream {
    async fn open(app: &App, web: &reqwest::Client) -> anyhow::Result<Self> {
        let response = web.get(app.url("/live")).send().await?;
        anyhow::ensure!(response.status() == StatusCode::OK);
        let mut live = Self {
            bytes: response
                .bytes_stream()
                .map(|b| b.map(|b| b.to_vec()))
                .boxed(),
            buffer: String::new(),
        };
        while live.next().await?.0 != "ready" {}
        Ok(live)
    }

    async fn next(&mut self) -> anyhow::Result<(String, Value)> {
        loop {
            if let Some(end) = self.buffer.find("\n\n") {
                let block: String = self.buffer.drain(..end + 2).collect();
                let (mut event, mut data) = (String::new(), String::new());
                for line in block.lines() {
                    if let Some(name) = line.strip_prefix("event:") {
                        event = name.trim().to_owned();
                    } else if let Some(more) = line.strip_prefix("data:") {
                        data.push_str(more.trim_start());
                    }
                }
                if event.is_empty() {
                    continue;
                }
                return Ok((event, serde_json::from_str(&data).unwrap_or(Value::Null)));
            }
            let chunk = tokio::time::timeout(PATIENCE, self.bytes.next())
                .await?
                .ok_or_else(|| anyhow::anyhow!("/live ended"))??;
            self.buffer.push_str(&String::from_utf8_lossy(&chunk));
        }
    }

    /// The output chunks of job `id` until its `ending` event.
    async fn until(&mut self, id: &str, ending: &str) -> anyhow::Result<String> {
        let mut output = String::new();
        loop {
            let (event, data) = self.next().await?;
            if event != "kiro" || data["resourceId"] != id {
                continue;
            }
            if data["type"] == "execution.job.output" {
                output.push_str(data["data"]["text"].as_str().unwrap_or_default());
            } else if data["type"] == ending {
                return Ok(output);
            }
        }
    }
}

async fn submit(app: &App, web: &reqwest::Client, code: &str) -> anyhow::Result<String> {
    let submitted = web
        .post(app.url("/kiro/execution/jobs"))
        .form(&[
            ("environment", "python3"),
            ("code", code),
            ("time_limit", "30000"),
        ])
        .send()
        .await?;
    anyhow::ensure!(
        submitted.status() == StatusCode::SEE_OTHER,
        "Run as job answered {}: {}",
        submitted.status(),
        submitted.text().await?
    );
    let to = location(&submitted);
    Ok(to
        .strip_prefix("/kiro/execution/jobs/")
        .ok_or_else(|| anyhow::anyhow!("redirected to {to}"))?
        .to_owned())
}

pub async fn the_web_lists_jobs_and_shows_each_live(app: App) -> anyhow::Result<()> {
    let web = browser()?;
    sign_up(&app, &web, "Lin", "lin@example.com").await?;
    web.post(app.url("/onboarding"))
        .form(&[("subject", "Programming")])
        .send()
        .await?;
    let playground = web
        .get(app.url("/kiro/execution"))
        .send()
        .await?
        .text()
        .await?;
    if playground.contains("sandbox-unavailable") || !playground.contains(r#"value="python3""#) {
        eprintln!("SKIPPED: the sandbox or python3 is unavailable here");
        return Ok(());
    }
    assert!(playground.contains(r#"href="/kiro/execution/jobs""#));
    assert!(playground.contains(r#"formaction="/kiro/execution/jobs""#));

    let mut live = LiveStream::open(&app, &web).await?;
    let id = submit(
        &app,
        &web,
        "for i in range(3):\n    print(f'<{i}>', flush=True)\n",
    )
    .await?;
    let streamed = live.until(&id, "execution.job.completed").await?;
    assert_eq!(streamed, "<0>\n<1>\n<2>\n", "the output came as events");

    let page = web
        .get(app.url(&format!("/kiro/execution/jobs/{id}")))
        .send()
        .await?;
    assert_eq!(page.status(), StatusCode::OK);
    let page = page.text().await?;
    assert!(
        page.contains(r#"id="job-status" role="status" aria-live="polite">completed"#),
        "{page}"
    );
    assert!(page.contains(">accepted<"), "{page}");
    assert!(
        page.contains("&#60;0&#62;\n&#60;1&#62;"),
        "the output, escaped: {page}"
    );
    assert!(
        !page.contains(r#"id="cancel-job""#),
        "an ended job has no cancel button"
    );
    let state: Value = web
        .get(app.url(&format!("/kiro/execution/jobs/{id}/live?after=0")))
        .send()
        .await?
        .json()
        .await?;
    assert_eq!(state["final"], true);
    assert_eq!(state["verdict"], "accepted");
    let lines: String = state["lines"]
        .as_array()
        .map(|lines| lines.iter().filter_map(|l| l["text"].as_str()).collect())
        .unwrap_or_default();
    assert_eq!(lines, "<0>\n<1>\n<2>\n");
    let later: Value = web
        .get(app.url(&format!("/kiro/execution/jobs/{id}/live?after=999")))
        .send()
        .await?
        .json()
        .await?;
    assert_eq!(
        later["lines"],
        Value::Array(Vec::new()),
        "nothing after the last line"
    );

    let long = submit(&app, &web, FOREVER).await?;
    let first = live.until(&long, "execution.job.started").await?;
    assert_eq!(first, "");
    let running = web
        .get(app.url(&format!("/kiro/execution/jobs/{long}")))
        .send()
        .await?
        .text()
        .await?;
    assert!(running.contains(r#"id="cancel-job""#), "{running}");
    assert!(running.contains(&format!(r#"data-job="{long}""#)));
    let cancelled = web
        .post(app.url(&format!("/kiro/execution/jobs/{long}/cancel")))
        .send()
        .await?;
    assert_eq!(cancelled.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&cancelled), format!("/kiro/execution/jobs/{long}"));
    live.until(&long, "execution.job.cancelled").await?;
    let again = web
        .post(app.url(&format!("/kiro/execution/jobs/{long}/cancel")))
        .send()
        .await?;
    assert_eq!(again.status(), StatusCode::CONFLICT);

    let list = web
        .get(app.url("/kiro/execution/jobs"))
        .send()
        .await?
        .text()
        .await?;
    let (at_long, at_first) = (list.find(&long), list.find(&id));
    assert!(at_long.is_some() && at_first.is_some(), "{list}");
    assert!(at_long < at_first, "newest first");
    assert!(list.contains("badge-job-cancelled"));
    let completed = web
        .get(app.url("/kiro/execution/jobs?status=completed"))
        .send()
        .await?
        .text()
        .await?;
    assert!(completed.contains(&id) && !completed.contains(&long));
    let bogus = web
        .get(app.url("/kiro/execution/jobs?status=done"))
        .send()
        .await?;
    assert_eq!(bogus.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bogus.text().await?.contains("queued, running"));
    let missing = web
        .get(app.url("/kiro/execution/jobs/no-such-job"))
        .send()
        .await?;
    assert_eq!(missing.status(), StatusCode::NOT_FOUND);

    // Twenty more make a second page; the first job is the oldest, on it.
    let mut newest = String::new();
    for _ in 0..20 {
        newest = submit(&app, &web, "pass\n").await?;
    }
    let first_page = web
        .get(app.url("/kiro/execution/jobs"))
        .send()
        .await?
        .text()
        .await?;
    assert_eq!(first_page.matches("<tr data-job=").count(), 20);
    assert!(first_page.contains(&newest) && !first_page.contains(&id));
    let older = first_page
        .split(r#"<a href=""#)
        .filter_map(|s| s.split('"').next())
        .find(|href| href.contains("cursor="))
        .map(|href| href.replace("&#38;", "&").replace("&amp;", "&"))
        .ok_or_else(|| anyhow::anyhow!("an Older jobs link: {first_page}"))?;
    let second_page = web.get(app.url(&older)).send().await?.text().await?;
    assert!(second_page.contains(&id), "{second_page}");
    assert!(second_page.contains("Newest jobs"));

    let refused = web
        .post(app.url("/kiro/execution/jobs"))
        .form(&[("environment", "python3"), ("code", " ")])
        .send()
        .await?;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.text().await?.contains("Write some code to run."));
    Ok(())
}
