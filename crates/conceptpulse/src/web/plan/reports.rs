//! `/kiro/planning/projects/{id}/reports[/{kind}]`: the project's reports — status,
//! burndown, critical path, utilisation, overdue and at-risk, estimate vs actual — each a
//! page with Markdown and CSV downloads (`…/{kind}/download?format=markdown|csv`). Kiro's
//! own reports are proxied as the text Kiro renders; the critical path and utilisation are
//! exported from the same table the page shows.

use std::collections::HashMap;

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use kiro_sdk::ReportFormat;
use kiro_sdk::kiro_types::planning::ReportType;
use serde::Deserialize;

use super::context::{Loaded, Planning, Tab, refusal};
use super::resources::project_names;
use super::table::{self, Table};
use crate::web::learn::problem::Problem;
use crate::web::session::SignedIn;
use crate::web::{WebState, render};

/// The report pages, in the order the index lists them.
pub const KINDS: [Kind; 6] = [
    Kind::Status,
    Kind::Burndown,
    Kind::CriticalPath,
    Kind::Utilisation,
    Kind::Overdue,
    Kind::Hours,
];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Status,
    Burndown,
    CriticalPath,
    Utilisation,
    Overdue,
    Hours,
}

impl Kind {
    pub fn slug(self) -> &'static str {
        match self {
            Kind::Status => "status",
            Kind::Burndown => "burndown",
            Kind::CriticalPath => "critical-path",
            Kind::Utilisation => "utilisation",
            Kind::Overdue => "overdue",
            Kind::Hours => "hours",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Kind::Status => "Status",
            Kind::Burndown => "Burndown",
            Kind::CriticalPath => "Critical path",
            Kind::Utilisation => "Utilisation",
            Kind::Overdue => "Overdue and at risk",
            Kind::Hours => "Estimate vs actual",
        }
    }

    pub fn parse(slug: &str) -> Option<Kind> {
        KINDS.into_iter().find(|k| k.slug() == slug)
    }

    /// The report Kiro renders for this page, when it renders one.
    fn server_report(self) -> Option<ReportType> {
        match self {
            Kind::Status => Some(ReportType::Status),
            Kind::Burndown => Some(ReportType::Burndown),
            Kind::Overdue => Some(ReportType::Overdue),
            Kind::Hours => Some(ReportType::Hours),
            Kind::CriticalPath | Kind::Utilisation => None,
        }
    }
}

/// A report's link in the index and the page's report switcher.
pub struct ReportLink {
    pub slug: &'static str,
    pub label: &'static str,
    pub current: bool,
}

#[derive(Template)]
#[template(path = "plan/report.html")]
struct ReportPage {
    active: &'static str,
    status: &'static str,
    user_name: String,
    project_id: String,
    project_name: String,
    tabs: Vec<Tab>,
    links: Vec<ReportLink>,
    slug: &'static str,
    table: Table,
}

/// `?format=` of a download.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct DownloadQuery {
    format: String,
}

fn links(current: Kind) -> Vec<ReportLink> {
    KINDS
        .into_iter()
        .map(|k| ReportLink {
            slug: k.slug(),
            label: k.label(),
            current: k == current,
        })
        .collect()
}

fn unknown(slug: &str) -> Problem {
    Problem::not_found(
        "No such report",
        format!(
            "`{slug}` is not a report; choose status, burndown, critical path, utilisation, \
             overdue or estimate vs actual."
        ),
    )
}

/// The table of report `kind` of `loaded`.
async fn build(planning: &Planning, loaded: &Loaded, kind: Kind) -> Result<Table, Problem> {
    let id = &loaded.project.id;
    let failed = |e: kiro_sdk::KiroError| {
        let (status, message) = refusal(&e, &HashMap::new());
        Problem::new(status, "This report cannot be made", message)
    };
    if let Some(report_type) = kind.server_report() {
        let report = planning
            .client
            .generate_project_report(id, report_type)
            .await
            .map_err(failed)?;
        return Ok(match kind {
            Kind::Burndown => table::burndown(&report),
            Kind::Overdue => table::overdue(&report),
            Kind::Hours => table::estimate_vs_actual(&report),
            _ => table::status(&report),
        });
    }
    if kind == Kind::CriticalPath {
        let titles = loaded.titles();
        return Ok(table::critical_path(
            &loaded.project.name,
            &loaded.schedule,
            &titles,
        ));
    }
    let mut report = planning
        .client
        .get_resource_utilization(id, None, None)
        .await
        .map_err(failed)?;
    let names = project_names(planning).await;
    for person in &mut report.resources {
        if let Some(name) = names.get(&person.resource) {
            person.resource.clone_from(name);
        }
    }
    Ok(table::utilisation(&loaded.project.name, &report))
}

pub async fn reports(
    state: State<WebState>,
    signed_in: SignedIn,
    Path(id): Path<String>,
) -> Response {
    show(state, signed_in, id, Kind::Status).await
}

pub async fn report(
    state: State<WebState>,
    signed_in: SignedIn,
    Path((id, slug)): Path<(String, String)>,
) -> Response {
    match Kind::parse(&slug) {
        Some(kind) => show(state, signed_in, id, kind).await,
        None => unknown(&slug).render(&state.0, &signed_in.session),
    }
}

async fn show(
    State(state): State<WebState>,
    signed_in: SignedIn,
    id: String,
    kind: Kind,
) -> Response {
    let session = &signed_in.session;
    let planning = match Planning::enter(&state, session).await {
        Ok(p) => p,
        Err(problem) => return problem.render(&state, session),
    };
    let loaded = match planning.load(&id).await {
        Ok(loaded) => loaded,
        Err(problem) => return problem.render(&state, session),
    };
    let table = match build(&planning, &loaded, kind).await {
        Ok(table) => table,
        Err(problem) => return problem.render(&state, session),
    };
    render::ok(&ReportPage {
        active: "kiro",
        status: planning.frame.status,
        user_name: planning.frame.user_name,
        project_id: loaded.project.id.clone(),
        project_name: loaded.project.name.clone(),
        tabs: loaded.tabs("reports"),
        links: links(kind),
        slug: kind.slug(),
        table,
    })
}

/// A report as a Markdown or CSV file.
pub async fn download(
    State(state): State<WebState>,
    signed_in: SignedIn,
    Path((id, slug)): Path<(String, String)>,
    Query(query): Query<DownloadQuery>,
) -> Response {
    let session = &signed_in.session;
    let Some(kind) = Kind::parse(&slug) else {
        return unknown(&slug).render(&state, session);
    };
    let (format, extension, content_type) = match query.format.as_str() {
        "markdown" | "md" => (ReportFormat::Markdown, "md", "text/markdown; charset=utf-8"),
        "csv" => (ReportFormat::Csv, "csv", "text/csv; charset=utf-8"),
        other => {
            return Problem::unprocessable(
                "No such format",
                format!("`{other}` is not a download format; choose markdown or csv."),
            )
            .render(&state, session);
        }
    };
    let planning = match Planning::enter(&state, session).await {
        Ok(p) => p,
        Err(problem) => return problem.render(&state, session),
    };
    let loaded = match planning.load(&id).await {
        Ok(loaded) => loaded,
        Err(problem) => return problem.render(&state, session),
    };
    let text = match kind.server_report() {
        Some(report_type) => planning
            .client
            .report_text(&id, report_type, format)
            .await
            .map_err(|e| {
                let (status, message) = refusal(&e, &HashMap::new());
                Problem::new(status, "This report cannot be made", message)
            }),
        None => build(&planning, &loaded, kind)
            .await
            .map(|table| match format {
                ReportFormat::Markdown => table.markdown(),
                ReportFormat::Csv => table.csv(),
            }),
    };
    let text = match text {
        Ok(text) => text,
        Err(problem) => return problem.render(&state, session),
    };
    let disposition = format!(
        "attachment; filename=\"project-{}-{}.{extension}\"",
        loaded.project.id,
        kind.slug()
    );
    let disposition =
        HeaderValue::try_from(disposition).unwrap_or(HeaderValue::from_static("attachment"));
    (
        StatusCode::OK,
        [
            (header::CONTENT_TYPE, HeaderValue::from_static(content_type)),
            (header::CONTENT_DISPOSITION, disposition),
        ],
        text,
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_report_page_has_a_slug_that_parses_back() {
        for kind in KINDS {
            assert_eq!(Kind::parse(kind.slug()), Some(kind));
        }
        assert_eq!(Kind::parse("velocity"), None);
        assert!(Kind::CriticalPath.server_report().is_none());
        assert_eq!(Kind::Hours.server_report(), Some(ReportType::Hours));
    }
}
