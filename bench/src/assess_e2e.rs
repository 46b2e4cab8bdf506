//! `kiro-bench assess-e2e`: the assessment service end to end against a real kiro-server
//! child process: from the start of the upload of a PDF to having its five questions, the
//! time a learner waits, and the server's peak memory (`VmHWM`) while it processes.
//!
//! Each run subscribes to `assessment.document.*`, uploads the file through kiro-sdk, waits
//! for the document's `completed` (or `failed`) event, reads the questions, then deletes the
//! document so the next run is not answered from the content-hash deduplication.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use anyhow::{Context, bail, ensure};
use futures::StreamExt;
use kiro_sdk::{ClientConfig, Credentials, KiroClient, UploadOptions};
use serde_json::json;

use crate::account;
use crate::process::ServerProcess;
use crate::servers::{kiro_bin, setup_client, start_kiro};

/// Options of `kiro-bench assess-e2e`.
#[derive(Debug, clap::Args)]
pub struct AssessE2eArgs {
    /// The kiro-server binary [default: `kiro-server` next to this executable].
    #[arg(long)]
    pub kiro_bin: Option<PathBuf>,
    /// The PDF to upload (113 pages by default).
    #[arg(long, default_value = "../shared/corpus/pdf/17-R-intro.pdf")]
    pub file: PathBuf,
    /// Uploads to time.
    #[arg(long, default_value_t = 5, value_parser = clap::value_parser!(u32).range(1..))]
    pub runs: u32,
}

/// One upload's figures.
struct Run {
    accepted: Duration,
    processed: Duration,
    total: Duration,
    pages: u32,
    questions: usize,
}

pub async fn run(args: AssessE2eArgs) -> anyhow::Result<()> {
    let bin = kiro_bin(args.kiro_bin)?;
    let bytes = std::fs::read(&args.file).with_context(|| {
        format!(
            "reading {} (run from the repository root)",
            args.file.display()
        )
    })?;
    let name = args.file.file_name().map_or_else(
        || "document.pdf".to_owned(),
        |n| n.to_string_lossy().into_owned(),
    );
    let server = start_kiro(&bin).await?;
    let result = measure(&server, &name, &bytes, args.runs).await;
    let peak = server.peak_rss_bytes();
    server.stop().await?;
    let runs = result?;
    report(&name, bytes.len(), &runs, peak?);
    Ok(())
}

async fn measure(
    server: &ServerProcess,
    name: &str,
    bytes: &[u8],
    runs: u32,
) -> anyhow::Result<Vec<Run>> {
    let base = server.base_url().to_owned();
    account::access_token(&setup_client()?, &base).await?;
    let mut config = ClientConfig::new(&base);
    config.timeout = Duration::from_secs(120);
    let client = KiroClient::connect(config).await?;
    client
        .authenticate(Credentials::Password {
            email: account::EMAIL.to_owned(),
            password: account::PASSWORD.to_owned(),
        })
        .await?;
    let assessment = client.assessment();
    let mut out = Vec::new();
    for i in 0..runs {
        let mut events = client.subscribe(["assessment.document.*"])?;
        events.ready().await?;
        let started = Instant::now();
        let uploaded = assessment
            .upload_pdf(name, bytes.to_vec(), &UploadOptions::default())
            .await?;
        let accepted = started.elapsed();
        loop {
            let event = tokio::time::timeout(Duration::from_secs(300), events.next())
                .await
                .context("no event within 300 s")?
                .context("the event stream ended")?;
            if event.resource_id != uploaded.id {
                continue;
            }
            match event.event_type.as_str() {
                "assessment.document.completed" => break,
                "assessment.document.failed" => bail!("processing failed: {}", event.data),
                _ => {}
            }
        }
        let processed = started.elapsed();
        let questions = assessment.latest_questions(&uploaded.id).await?;
        let total = started.elapsed();
        let document = assessment.document(&uploaded.id).await?;
        ensure!(
            questions.questions.len() == 5,
            "{} questions",
            questions.questions.len()
        );
        eprintln!("run {}: {:.0} ms", i + 1, total.as_secs_f64() * 1000.0);
        out.push(Run {
            accepted,
            processed,
            total,
            pages: document.page_count,
            questions: questions.questions.len(),
        });
        assessment.delete_document(&uploaded.id).await?;
    }
    Ok(out)
}

fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    values.get(values.len() / 2).copied().unwrap_or_default()
}

fn report(name: &str, size: usize, runs: &[Run], peak: u64) {
    let ms = |f: fn(&Run) -> Duration| {
        median(runs.iter().map(|r| f(r).as_secs_f64() * 1000.0).collect())
    };
    let (accepted, processed, total) = (ms(|r| r.accepted), ms(|r| r.processed), ms(|r| r.total));
    let min = runs
        .iter()
        .map(|r| r.total.as_secs_f64() * 1000.0)
        .fold(f64::MAX, f64::min);
    let max = runs
        .iter()
        .map(|r| r.total.as_secs_f64() * 1000.0)
        .fold(0.0, f64::max);
    let pages = runs.first().map_or(0, |r| r.pages);
    let questions = runs.first().map_or(0, |r| r.questions);
    let mb = size as f64 / 1e6;
    println!(
        "assess-e2e: {name} ({pages} pages, {mb:.1} MB), {} runs, SQLite server",
        runs.len()
    );
    println!("  upload accepted (202):       {accepted:>8.0} ms  (median)");
    println!("  processed (completed event): {processed:>8.0} ms  (median)");
    println!(
        "  upload to {questions} questions:       {total:>8.0} ms  (median; min {min:.0}, max {max:.0})"
    );
    println!(
        "  server peak RSS (VmHWM):     {:>8.1} MiB",
        peak as f64 / 1_048_576.0
    );
    println!(
        "{}",
        json!({
            "bench": "assess-e2e",
            "file": name,
            "pages": pages,
            "runs": runs.len(),
            "accepted_ms": accepted,
            "processed_ms": processed,
            "total_ms": total,
            "peak_rss_bytes": peak,
        })
    );
}
