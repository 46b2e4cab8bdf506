//! The learning loop over plain HTTP, as a browser with JavaScript off sees it (plus the
//! `/live` stream a page with JavaScript listens to): uploads of real corpus PDFs, their
//! processing, the diagnosis quiz, results, lessons, revisions, progress, the dashboard and
//! instructors' statistics — and every bad input refused without storing anything.

mod instructor;
mod loop_pages;
mod offline;
mod refusals;
mod uploads;

use std::pin::Pin;
use std::time::Duration;

use futures::{Stream, StreamExt};
use kiro_sdk::kiro_types::assessment::{Assessment, Question};
use kiro_sdk::{FormPart, RawBody};
use reqwest::StatusCode;
use reqwest::header::CONTENT_TYPE;

use crate::App;
use crate::web::location;

/// How long a document may take to process in a debug build.
pub const PROCESSING: Duration = Duration::from_secs(180);
/// A 24-page paper: quick to process.
pub const EINSTEIN: &str = "12-einstein-electrodynamics.pdf";
pub const LOCKED: &str = "20-userpw-encrypted.pdf";

/// A file of the shared corpus.
pub fn corpus(name: &str) -> anyhow::Result<Vec<u8>> {
    let path = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/corpus/pdf")
        .join(name);
    std::fs::read(&path).map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))
}

/// A `multipart/form-data` body of text `fields` and an optional `file` part.
pub fn form(fields: &[(&str, &str)], file: Option<(&str, Vec<u8>)>) -> RawBody {
    let mut parts: Vec<FormPart> = fields
        .iter()
        .map(|(name, value)| FormPart {
            name: (*name).to_owned(),
            filename: None,
            bytes: value.as_bytes().to_vec(),
        })
        .collect();
    if let Some((filename, bytes)) = file {
        parts.push(FormPart {
            name: "file".to_owned(),
            filename: Some(filename.to_owned()),
            bytes,
        });
    }
    RawBody::multipart(&parts)
}

/// Posts `body` to the upload form.
pub async fn post_upload(
    app: &App,
    web: &reqwest::Client,
    body: RawBody,
) -> anyhow::Result<reqwest::Response> {
    Ok(web
        .post(app.url("/learn/upload"))
        .header(CONTENT_TYPE, body.content_type)
        .body(body.bytes)
        .send()
        .await?)
}

/// Uploads corpus file `name` for `subject`; the document's id.
pub async fn upload(
    app: &App,
    web: &reqwest::Client,
    subject: &str,
    name: &str,
) -> anyhow::Result<String> {
    let body = form(
        &[("subject", subject), ("topic", "")],
        Some((name, corpus(name)?)),
    );
    let response = post_upload(app, web, body).await?;
    anyhow::ensure!(
        response.status() == StatusCode::SEE_OTHER,
        "upload answered {}: {}",
        response.status(),
        response.text().await?
    );
    let to = location(&response);
    to.strip_prefix("/learn/documents/")
        .map(str::to_owned)
        .ok_or_else(|| anyhow::anyhow!("the upload led to {to}"))
}

/// The `/live` stream of one browser session, read event by event.
pub struct Live {
    stream: Pin<Box<dyn Stream<Item = reqwest::Result<Vec<u8>>> + Send>>,
    buffer: String,
}

impl Live {
    /// Opens the stream and waits for its `ready` event: every change from now on arrives.
    pub async fn open(app: &App, web: &reqwest::Client) -> anyhow::Result<Self> {
        let response = web.get(app.url("/live")).send().await?;
        anyhow::ensure!(
            response.status() == StatusCode::OK,
            "/live: {}",
            response.status()
        );
        let mut live = Self {
            stream: Box::pin(response.bytes_stream().map(|c| c.map(|b| b.to_vec()))),
            buffer: String::new(),
        };
        live.until(|kind, _| kind == "ready").await?;
        Ok(live)
    }

    /// The data of the next event for which `wanted(kind, data)` holds.
    pub async fn until(&mut self, wanted: impl Fn(&str, &str) -> bool) -> anyhow::Result<String> {
        tokio::time::timeout(PROCESSING, async {
            loop {
                while let Some(end) = self.buffer.find("\n\n") {
                    let event: String = self.buffer.drain(..end + 2).collect();
                    let kind = field(&event, "event").unwrap_or_default();
                    let data = field(&event, "data").unwrap_or_default();
                    if wanted(&kind, &data) {
                        return Ok(data);
                    }
                }
                match self.stream.next().await {
                    Some(chunk) => self.buffer.push_str(&String::from_utf8_lossy(&chunk?)),
                    None => anyhow::bail!("the event stream ended"),
                }
            }
        })
        .await
        .map_err(|_| anyhow::anyhow!("no such event within {PROCESSING:?}"))?
    }

    /// Waits until document `id` is processed, as its page's script does: reads its state,
    /// and while it is processing awaits its `completed` or `failed` event. The status.
    pub async fn processed(
        &mut self,
        app: &App,
        web: &reqwest::Client,
        id: &str,
    ) -> anyhow::Result<String> {
        let progress: serde_json::Value = web
            .get(app.url(&format!("/learn/documents/{id}/progress")))
            .send()
            .await?
            .json()
            .await?;
        if progress["status"] != "processing" {
            return Ok(progress["status"].as_str().unwrap_or_default().to_owned());
        }
        let resource = format!("\"resourceId\":\"{id}\"");
        let data = self
            .until(|kind, data| {
                kind == "kiro"
                    && data.contains(&resource)
                    && (data.contains("assessment.document.completed")
                        || data.contains("assessment.document.failed"))
            })
            .await?;
        Ok(if data.contains("completed") {
            "completed".to_owned()
        } else {
            "failed".to_owned()
        })
    }
}

fn field(event: &str, name: &str) -> Option<String> {
    let prefix = format!("{name}:");
    let lines: Vec<&str> = event
        .lines()
        .filter_map(|l| l.strip_prefix(&prefix))
        .map(|l| l.strip_prefix(' ').unwrap_or(l))
        .collect();
    (!lines.is_empty()).then(|| lines.join("\n"))
}

/// The quiz id of a question page address.
pub fn quiz_of(location: &str) -> anyhow::Result<String> {
    location
        .strip_prefix("/learn/quizzes/")
        .and_then(|rest| rest.split('/').next())
        .map(str::to_owned)
        .ok_or_else(|| anyhow::anyhow!("not a quiz page: {location}"))
}

/// The quiz as its creator's session reads it (with answers).
pub async fn quiz_with_answers(app: &App, email: &str, id: &str) -> anyhow::Result<Assessment> {
    let session = app
        .up
        .web
        .sessions
        .of(email)
        .await
        .ok_or_else(|| anyhow::anyhow!("{email} has no session"))?;
    Ok(session.client.assessment().assessment(id).await?)
}

/// A right answer to `question`.
pub fn right(question: &Question) -> String {
    question
        .correct_answer
        .clone()
        .unwrap_or_else(|| question.rubric.join(" "))
}

/// A wrong answer to `question`.
pub fn wrong(question: &Question) -> String {
    let correct = question.correct_answer.clone().unwrap_or_default();
    question
        .options
        .as_ref()
        .and_then(|o| o.iter().find(|o| **o != correct).cloned())
        .unwrap_or_else(|| "no idea at all".to_owned())
}

/// Posts `answer` to question `n` (1-based) of quiz `id` with the page clock at one second.
pub async fn answer(
    app: &App,
    web: &reqwest::Client,
    id: &str,
    n: usize,
    answer: &str,
) -> anyhow::Result<reqwest::Response> {
    Ok(web
        .post(app.url(&format!("/learn/quizzes/{id}/questions/{n}")))
        .form(&[("answer", answer), ("time_spent", "1")])
        .send()
        .await?)
}

/// Answers every question of quiz `id` in order with `pick`; where the last answer led.
pub async fn take(
    app: &App,
    web: &reqwest::Client,
    quiz: &Assessment,
    pick: impl Fn(usize, &Question) -> String,
) -> anyhow::Result<String> {
    let count = quiz.questions.len();
    let mut to = String::new();
    for (i, question) in quiz.questions.iter().enumerate() {
        let page = web
            .get(app.url(&format!("/learn/quizzes/{}/questions/{}", quiz.id, i + 1)))
            .send()
            .await?;
        anyhow::ensure!(
            page.status() == StatusCode::OK,
            "question {}: {}",
            i + 1,
            page.status()
        );
        let html = page.text().await?;
        anyhow::ensure!(
            html.contains(&format!("Question {} of {count}", i + 1)),
            "question {} page: {html}",
            i + 1
        );
        let response = answer(app, web, &quiz.id, i + 1, &pick(i, question)).await?;
        anyhow::ensure!(
            response.status() == StatusCode::SEE_OTHER,
            "answer {}: {} {}",
            i + 1,
            response.status(),
            response.text().await?
        );
        to = location(&response);
    }
    Ok(to)
}
