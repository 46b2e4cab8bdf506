//! `/kiro/planning/projects/{id}/resources`: the utilisation heat map of the people booked
//! on a project (their bookings on every project counted, over-allocated days flagged and
//! named in text too), the project's allocations, and the form that books someone.
//! `?from=&to=` picks the range (default: the span of the project's allocations).

use std::collections::HashMap;

use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use futures::TryStreamExt;
use kiro_sdk::ProjectQuery;
use kiro_sdk::kiro_types::planning::{Project, UtilizationReport};
use serde::Deserialize;

use super::board::Choice;
use super::context::{Planning, Tab, refusal};
use super::forms::AllocationForm;
use super::heatmap::heatmap;
use crate::web::session::SignedIn;
use crate::web::{WebState, render};

/// `?from=&to=` of the heat map.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct RangeQuery {
    pub from: String,
    pub to: String,
}

pub struct AllocationRow {
    pub resource: String,
    pub task: String,
    pub dates: String,
    pub hours: String,
}

/// A person with over-allocated days, for the text under the map.
pub struct OverRow {
    pub resource: String,
    pub days: u32,
}

#[derive(Template)]
#[template(path = "plan/resources.html")]
struct ResourcesPage {
    active: &'static str,
    status: &'static str,
    user_name: String,
    project_id: String,
    project_name: String,
    tabs: Vec<Tab>,
    range: RangeQuery,
    map: String,
    over: Vec<OverRow>,
    allocations: Vec<AllocationRow>,
    members: Vec<Choice>,
    tasks: Vec<Choice>,
    form: AllocationForm,
    error: Option<String>,
}

/// The people of `report` with over-allocated days.
pub fn over_allocated(report: &UtilizationReport) -> Vec<OverRow> {
    report
        .resources
        .iter()
        .filter(|r| r.over_allocated_days > 0)
        .map(|r| OverRow {
            resource: r.resource.clone(),
            days: r.over_allocated_days,
        })
        .collect()
}

pub async fn resources(
    State(state): State<WebState>,
    signed_in: SignedIn,
    Path(id): Path<String>,
    Query(range): Query<RangeQuery>,
) -> Response {
    show(
        &state,
        &signed_in,
        &id,
        range,
        AllocationForm::default(),
        None,
    )
    .await
}

pub async fn allocate(
    State(state): State<WebState>,
    signed_in: SignedIn,
    Path(id): Path<String>,
    Form(form): Form<AllocationForm>,
) -> Response {
    let session = &signed_in.session;
    let planning = match Planning::enter(&state, session).await {
        Ok(p) => p,
        Err(problem) => return problem.render(&state, session),
    };
    let outcome = match form.request() {
        Ok(request) => planning
            .client
            .allocate_resource(&id, &request)
            .await
            .map(|_| ())
            .map_err(|e| refusal(&e, &HashMap::new())),
        Err(message) => Err((StatusCode::UNPROCESSABLE_ENTITY, message)),
    };
    match outcome {
        Ok(()) => Redirect::to(&format!("/kiro/planning/projects/{id}/resources")).into_response(),
        Err(refused) => {
            let range = RangeQuery::default();
            show(&state, &signed_in, &id, range, form, Some(refused)).await
        }
    }
}

/// The workspace's project names by id, for the heat map's cell titles.
pub async fn project_names(planning: &Planning) -> HashMap<String, String> {
    let projects: Vec<Project> = planning
        .client
        .all_projects(&ProjectQuery::default())
        .try_collect()
        .await
        .unwrap_or_default();
    projects.into_iter().map(|p| (p.id, p.name)).collect()
}

async fn show(
    state: &WebState,
    signed_in: &SignedIn,
    id: &str,
    range: RangeQuery,
    form: AllocationForm,
    refused: Option<(StatusCode, String)>,
) -> Response {
    let session = &signed_in.session;
    let planning = match Planning::enter(state, session).await {
        Ok(p) => p,
        Err(problem) => return problem.render(state, session),
    };
    let loaded = match planning.load(id).await {
        Ok(loaded) => loaded,
        Err(problem) => return problem.render(state, session),
    };
    let parse = |text: &str| chrono::NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d").ok();
    let mut error = None;
    let mut status = StatusCode::OK;
    let report = planning
        .client
        .get_resource_utilization(id, parse(&range.from), parse(&range.to))
        .await;
    let members = planning.members(session).await;
    let names: HashMap<String, String> = members.iter().cloned().collect();
    let (map, over) = match report {
        Ok(mut report) => {
            for person in &mut report.resources {
                if let Some(name) = names.get(&person.resource) {
                    person.resource.clone_from(name);
                }
            }
            let projects = project_names(&planning).await;
            let title = format!("Utilisation of the people on {}", loaded.project.name);
            let svg = heatmap("heatmap", &title, &report, &projects);
            let map = Template::render(&svg).unwrap_or_default();
            (map, over_allocated(&report))
        }
        Err(e) => {
            let (refused_status, message) = refusal(&e, &HashMap::new());
            status = refused_status;
            error = Some(message);
            (String::new(), Vec::new())
        }
    };
    if let Some((refused_status, message)) = refused {
        status = refused_status;
        error = Some(message);
    }
    let titles = loaded.titles();
    let allocations = planning
        .client
        .list_allocations(id)
        .await
        .unwrap_or_default()
        .into_iter()
        .map(|a| AllocationRow {
            resource: names.get(&a.resource).cloned().unwrap_or(a.resource),
            task: a
                .task_id
                .map(|t| titles.get(&t).cloned().unwrap_or(t))
                .unwrap_or_default(),
            dates: format!("{} to {}", a.start_date, a.end_date),
            hours: format!("{} h/day ({:.0} %)", a.hours_per_day, a.percent),
        })
        .collect();
    let page = ResourcesPage {
        active: "kiro",
        status: planning.frame.status,
        user_name: planning.frame.user_name,
        project_id: loaded.project.id.clone(),
        project_name: loaded.project.name.clone(),
        tabs: loaded.tabs("resources"),
        range,
        map,
        over,
        allocations,
        members: members
            .into_iter()
            .map(|(value, label)| Choice { value, label })
            .collect(),
        tasks: loaded
            .tasks
            .iter()
            .map(|t| Choice {
                value: t.id.clone(),
                label: t.title.clone(),
            })
            .collect(),
        form,
        error,
    };
    render::page(status, &page)
}
