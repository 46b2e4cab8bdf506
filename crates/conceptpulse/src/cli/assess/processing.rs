//! Following uploaded documents while the server processes them: one subscription to their
//! `assessment.document.<id>` events, a progress bar per document on a terminal (indicatif),
//! a plain line per stage otherwise, nothing in `--output json`. Each document is re-read
//! once subscribed and on its completed or failed event, so no outcome is missed.

use std::collections::HashMap;
use std::time::Duration;

use futures::StreamExt;
use indicatif::{MultiProgress, ProgressBar, ProgressDrawTarget, ProgressStyle};
use kiro_sdk::kiro_types::assessment::{DocumentStatus, PdfUploadResult};
use kiro_sdk::{KiroClient, KiroError};

use super::render::plural;
use crate::cli::OutputFormat;
use crate::cli::progress::watched;

/// How progress is shown.
enum Display {
    Bars {
        _group: MultiProgress,
        bars: HashMap<String, ProgressBar>,
    },
    Lines,
    Hidden,
}

impl Display {
    fn new(format: OutputFormat, documents: &[&PdfUploadResult]) -> Self {
        if watched(format) {
            let group = MultiProgress::with_draw_target(ProgressDrawTarget::stderr());
            let style =
                ProgressStyle::with_template("{prefix:30!} [{bar:30}] {pos:>3} % {msg} {elapsed}")
                    .unwrap_or_else(|_| ProgressStyle::default_bar())
                    .progress_chars("=> ");
            let bars = documents
                .iter()
                .map(|d| {
                    let bar = group.add(ProgressBar::new(100));
                    bar.set_style(style.clone());
                    bar.set_prefix(d.filename.clone());
                    bar.set_position(u64::from(d.progress));
                    bar.set_message("queued");
                    bar.enable_steady_tick(Duration::from_millis(200));
                    (d.id.clone(), bar)
                })
                .collect();
            Display::Bars {
                _group: group,
                bars,
            }
        } else if format == OutputFormat::Human {
            Display::Lines
        } else {
            Display::Hidden
        }
    }

    fn stage(&self, document: &PdfUploadResult, progress: u64, stage: &str) {
        match self {
            Display::Bars { bars, .. } => {
                if let Some(bar) = bars.get(&document.id) {
                    bar.set_position(progress);
                    bar.set_message(stage.to_owned());
                }
            }
            Display::Lines => eprintln!("{}: {stage} ({progress} %)", document.filename),
            Display::Hidden => {}
        }
    }

    fn finish(&self, document: &PdfUploadResult) {
        let outcome = match (&document.status, &document.failure) {
            (DocumentStatus::Failed, Some(f)) => format!("failed: {}", f.message),
            (DocumentStatus::Failed, None) => "failed".to_owned(),
            _ => format!("completed, {}", plural(document.page_count, "page")),
        };
        match self {
            Display::Bars { bars, .. } => {
                if let Some(bar) = bars.get(&document.id) {
                    bar.set_position(100);
                    bar.finish_with_message(outcome);
                }
            }
            Display::Lines => eprintln!("{}: {outcome}", document.filename),
            Display::Hidden => {}
        }
    }
}

/// Waits until every document in `documents` still processing has completed or failed,
/// updating each in place. `Ok(false)` when `timeout` passed first (those documents are
/// still processing on the server).
pub async fn follow(
    client: &KiroClient,
    format: OutputFormat,
    documents: &mut [&mut PdfUploadResult],
    timeout: Duration,
) -> Result<bool, KiroError> {
    let pending: Vec<String> = documents
        .iter()
        .filter(|d| d.status == DocumentStatus::Processing)
        .map(|d| d.id.clone())
        .collect();
    if pending.is_empty() {
        return Ok(true);
    }
    let display = {
        let shown: Vec<&PdfUploadResult> = documents
            .iter()
            .filter(|d| pending.contains(&d.id))
            .map(|d| &**d)
            .collect();
        Display::new(format, &shown)
    };
    let assessment = client.assessment();
    let mut events =
        client.subscribe(pending.iter().map(|id| format!("assessment.document.{id}")))?;
    let wait = async {
        events.ready().await?;
        let mut open = 0;
        for document in documents.iter_mut() {
            if !pending.contains(&document.id) {
                continue;
            }
            **document = assessment.document(&document.id).await?;
            if document.status == DocumentStatus::Processing {
                open += 1;
            } else {
                display.finish(document);
            }
        }
        while open > 0 {
            let Some(event) = events.next().await else {
                return Err(KiroError::Connection("the event stream ended".into()));
            };
            let Some(document) = documents
                .iter_mut()
                .find(|d| d.id == event.resource_id && d.status == DocumentStatus::Processing)
            else {
                continue;
            };
            match event.event_type.rsplit('.').next() {
                Some("progress") => {
                    let progress = event.data["progress"].as_u64().unwrap_or(0);
                    let stage = event.data["stage"].as_str().unwrap_or("processing");
                    display.stage(document, progress, stage);
                }
                Some("completed" | "failed") => {
                    **document = assessment.document(&document.id).await?;
                    if document.status != DocumentStatus::Processing {
                        display.finish(document);
                        open -= 1;
                    }
                }
                _ => {}
            }
        }
        Ok(())
    };
    match tokio::time::timeout(timeout, wait).await {
        Ok(done) => done.map(|()| true),
        Err(_) => Ok(false),
    }
}
