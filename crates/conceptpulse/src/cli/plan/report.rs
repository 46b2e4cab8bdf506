//! `conceptpulse plan report PROJECT [--kind K] [--format F] [--output-file FILE]`: the
//! server's status, burndown, overdue and hours reports (JSON, or the server's Markdown and
//! CSV renderings), and the critical-path and utilization reports built here
//! ([`super::derived`]). The text goes to standard output as it is, or into the file, with
//! a line (a JSON document with `--output json`) saying where it went.

use std::path::Path;

use kiro_sdk::kiro_types::planning::ReportType;
use kiro_sdk::{KiroClient, KiroError, ReportFormat, TaskQuery};
use serde_json::json;

use super::args::{ReportArgs, ReportFormatArg, ReportKindArg};
use super::derived::{CriticalPathReport, UtilizationOut};
use super::refusal;
use super::render::project_tasks;
use crate::cli::output::Output;
use crate::cli::{OutputFormat, exit};

/// The server's report type for `kind`, `None` for those built here.
fn server_kind(kind: ReportKindArg) -> Option<ReportType> {
    match kind {
        ReportKindArg::Status => Some(ReportType::Status),
        ReportKindArg::Burndown => Some(ReportType::Burndown),
        ReportKindArg::Overdue => Some(ReportType::Overdue),
        ReportKindArg::Hours => Some(ReportType::Hours),
        ReportKindArg::CriticalPath | ReportKindArg::Utilization => None,
    }
}

/// The format asked for: `--format`, else JSON under `--output json`, else Markdown.
fn format_of(args: &ReportArgs, out: Output) -> ReportFormatArg {
    args.format.unwrap_or(match out.format {
        OutputFormat::Json => ReportFormatArg::Json,
        OutputFormat::Human => ReportFormatArg::Markdown,
    })
}

fn pretty<T: serde::Serialize>(value: &T) -> Result<String, KiroError> {
    serde_json::to_string_pretty(value)
        .map(|text| text + "\n")
        .map_err(|e| KiroError::Decode(e.to_string()))
}

/// The report's text in `format`.
async fn render(
    client: &KiroClient,
    project: &str,
    kind: ReportKindArg,
    format: ReportFormatArg,
) -> Result<String, KiroError> {
    let planning = client.planning();
    if let Some(report_type) = server_kind(kind) {
        return match format {
            ReportFormatArg::Json => pretty(
                &planning
                    .generate_project_report(project, report_type)
                    .await?,
            ),
            ReportFormatArg::Markdown => {
                planning
                    .report_text(project, report_type, ReportFormat::Markdown)
                    .await
            }
            ReportFormatArg::Csv => {
                planning
                    .report_text(project, report_type, ReportFormat::Csv)
                    .await
            }
        };
    }
    let name = planning.get_project(project).await?.name;
    if kind == ReportKindArg::CriticalPath {
        let all = TaskQuery::default();
        let (tasks, schedule) = tokio::try_join!(
            project_tasks(client, project, &all),
            planning.schedule(project),
        )?;
        let report = CriticalPathReport::new(&name, &tasks, &schedule);
        return match format {
            ReportFormatArg::Json => pretty(&report),
            ReportFormatArg::Markdown => Ok(report.markdown()),
            ReportFormatArg::Csv => Ok(report.csv()),
        };
    }
    let report = UtilizationOut {
        project_id: project.to_owned(),
        project_name: name,
        report_type: "utilization",
        utilization: planning
            .get_resource_utilization(project, None, None)
            .await?,
    };
    match format {
        ReportFormatArg::Json => pretty(&report),
        ReportFormatArg::Markdown => Ok(report.markdown()),
        ReportFormatArg::Csv => Ok(report.csv()),
    }
}

/// `conceptpulse plan report PROJECT`.
pub async fn report(client: &KiroClient, out: Output, args: ReportArgs) -> u8 {
    let format = format_of(&args, out);
    let text = match render(client, &args.project, args.kind, format).await {
        Ok(text) => text,
        Err(e) => return refusal::fail(client, out, &e).await,
    };
    match &args.output_file {
        None => {
            print!("{text}");
            exit::OK
        }
        Some(path) => write(out, path, &text, args.kind, format),
    }
}

/// Writes `text` to `path` and says so.
fn write(out: Output, path: &Path, text: &str, kind: ReportKindArg, format: ReportFormatArg) -> u8 {
    if let Err(e) = std::fs::write(path, text) {
        return out.fail_message(
            exit::FAILURE,
            &format!("cannot write {}: {e}", path.display()),
        );
    }
    let format_name = match format {
        ReportFormatArg::Json => "json",
        ReportFormatArg::Markdown => "markdown",
        ReportFormatArg::Csv => "csv",
    };
    let written = json!({
        "path": path.display().to_string(),
        "bytes": text.len(),
        "kind": kind.name(),
        "format": format_name,
    });
    out.emit(&written, |_| {
        format!(
            "Wrote the {} report ({format_name}, {} bytes) to {}.",
            kind.name(),
            text.len(),
            path.display()
        )
    });
    exit::OK
}
