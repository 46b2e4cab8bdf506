//! `kiro-bench extract`: PDF text extraction over a corpus directory with kiro-assess's
//! `pdf-extract` and `auto` engines: pages, pages/s, MB/s, word overlap with `pdftotext` and
//! peak memory. Runs in this process, one file at a time.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use anyhow::Context;
use kiro_assess::extract::{Engine, ExtractOptions, extract};
use serde_json::json;

/// Options of `kiro-bench extract`.
#[derive(Debug, clap::Args)]
pub struct ExtractArgs {
    /// Directory of PDFs [default: `../shared/corpus/pdf`, relative to the current directory].
    #[arg(long)]
    pub corpus: Option<PathBuf>,
}

/// One file read by one engine.
struct Row {
    file: String,
    engine: &'static str,
    outcome: Result<(usize, String), String>,
    seconds: f64,
    bytes: usize,
    f1: Option<f64>,
}

/// Runs the benchmark and prints its figures, then one JSON line.
pub fn run(args: ExtractArgs) -> anyhow::Result<()> {
    let dir = args
        .corpus
        .unwrap_or_else(|| PathBuf::from("../shared/corpus/pdf"));
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .with_context(|| format!("reading the corpus directory {}", dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x.eq_ignore_ascii_case("pdf")))
        .collect();
    files.sort();
    let has_pdftotext = Command::new("pdftotext").arg("-v").output().is_ok();
    let mut rows = Vec::new();
    for path in &files {
        let bytes = std::fs::read(path).with_context(|| format!("reading {}", path.display()))?;
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let reference = if has_pdftotext {
            reference_words(path)
        } else {
            None
        };
        for (engine, label) in [(Engine::PdfExtract, "pdf-extract"), (Engine::Auto, "auto")] {
            eprintln!("extract: {name} with {label}…");
            let options = ExtractOptions {
                engine,
                ..ExtractOptions::default()
            };
            let started = Instant::now();
            let result = extract(&bytes, &options);
            let seconds = started.elapsed().as_secs_f64();
            let f1 = match (&result, &reference) {
                (Ok(doc), Some(reference)) => {
                    let text: Vec<&str> = doc.pages.iter().map(|p| p.text.as_str()).collect();
                    Some(f1(&words(&text.join("\n")), reference))
                }
                _ => None,
            };
            rows.push(Row {
                file: name.clone(),
                engine: label,
                outcome: result
                    .map(|doc| (doc.pages.len(), doc.extractor))
                    .map_err(|e| format!("{e:?}")),
                seconds,
                bytes: bytes.len(),
                f1,
            });
        }
    }
    let peak_kib = peak_rss_kib();
    print_rows(&rows, has_pdftotext, peak_kib);
    Ok(())
}

fn print_rows(rows: &[Row], has_pdftotext: bool, peak_kib: Option<u64>) {
    println!(
        "{:<34} {:<11} {:>6} {:>9} {:>8} {:>7} {:>6}  outcome",
        "file", "engine", "pages", "ms", "pages/s", "MB/s", "F1"
    );
    let mut json_rows = Vec::new();
    for row in rows {
        let pages = row.outcome.as_ref().map_or(0, |(p, _)| *p);
        let per_s = |x: f64| {
            if row.seconds > 0.0 {
                x / row.seconds
            } else {
                0.0
            }
        };
        let pages_per_s = per_s(pages as f64);
        let mb_per_s = per_s(row.bytes as f64 / 1_000_000.0);
        let f1 = row.f1.map_or("-".to_owned(), |f| format!("{f:.3}"));
        let outcome = match &row.outcome {
            Ok((_, extractor)) => format!("ok via {extractor}"),
            Err(e) => e.clone(),
        };
        println!(
            "{:<34} {:<11} {:>6} {:>9.1} {:>8.1} {:>7.2} {:>6}  {}",
            row.file,
            row.engine,
            pages,
            row.seconds * 1000.0,
            pages_per_s,
            mb_per_s,
            f1,
            outcome
        );
        json_rows.push(json!({
            "file": row.file,
            "engine": row.engine,
            "ok": row.outcome.is_ok(),
            "outcome": outcome,
            "pages": pages,
            "seconds": row.seconds,
            "pages_per_s": pages_per_s,
            "mb_per_s": mb_per_s,
            "f1_vs_pdftotext": row.f1,
        }));
    }
    if !has_pdftotext {
        println!("pdftotext is not installed: no F1 and no fallback");
    }
    match peak_kib {
        Some(kib) => println!("peak RSS (VmHWM): {:.1} MiB", kib as f64 / 1024.0),
        None => println!("peak RSS: unknown (no /proc/self/status)"),
    }
    let line = json!({"bench": "extract", "rows": json_rows, "peak_rss_kib": peak_kib});
    println!("{line}");
}

/// The words `pdftotext` reads from the whole file, or `None` when it fails.
fn reference_words(path: &Path) -> Option<HashMap<String, usize>> {
    let out = Command::new("pdftotext")
        .args(["-enc", "UTF-8"])
        .arg(path)
        .arg("-")
        .output()
        .ok()?;
    out.status
        .success()
        .then(|| words(&String::from_utf8_lossy(&out.stdout)))
}

/// Lower-cased alphanumeric words with their counts.
fn words(text: &str) -> HashMap<String, usize> {
    let mut counts = HashMap::new();
    for word in text
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
    {
        *counts.entry(word.to_lowercase()).or_insert(0) += 1;
    }
    counts
}

/// F1 of two word multisets: harmonic mean of precision and recall of the overlap.
fn f1(got: &HashMap<String, usize>, reference: &HashMap<String, usize>) -> f64 {
    let overlap: usize = got
        .iter()
        .map(|(w, n)| (*n).min(reference.get(w).copied().unwrap_or(0)))
        .sum();
    let (got_total, ref_total) = (
        got.values().sum::<usize>(),
        reference.values().sum::<usize>(),
    );
    if overlap == 0 || got_total == 0 || ref_total == 0 {
        return 0.0;
    }
    let precision = overlap as f64 / got_total as f64;
    let recall = overlap as f64 / ref_total as f64;
    2.0 * precision * recall / (precision + recall)
}

/// The process's peak resident set size, from `VmHWM` in `/proc/self/status`.
fn peak_rss_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    status
        .lines()
        .find(|l| l.starts_with("VmHWM:"))?
        .split_whitespace()
        .nth(1)?
        .parse()
        .ok()
}
