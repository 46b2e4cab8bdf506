//! `/kiro/planning/projects/{id}/gantt`: the project's Gantt chart (the SVG of
//! [`super::gantt`]) with the form that moves a task's dates, and `…/gantt.svg`, the chart
//! alone. The page follows the project live: `assets/plan.js` refetches the fragment and
//! swaps it in when a `kiro` event about one of its tasks or dependencies arrives, so a
//! move made in another browser shows here without a reload.

use std::collections::HashMap;

use askama::Template;
use axum::Form;
use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use chrono::Utc;

use super::board::Choice;
use super::context::{Loaded, Planning, Tab, refusal};
use super::forms::DatesForm;
use super::gantt::gantt;
use crate::web::learn::problem::is_plain_id;
use crate::web::session::SignedIn;
use crate::web::{WebState, render};

/// The id of the chart's SVG element (its bars are `gantt-bar-{task id}`).
pub const CHART_ID: &str = "gantt";

/// One task's row of the table under the chart.
pub struct DateRow {
    pub id: String,
    pub title: String,
    pub start: String,
    pub end: String,
    pub slack: String,
}

#[derive(Template)]
#[template(path = "plan/gantt_page.html")]
struct GanttPage {
    active: &'static str,
    status: &'static str,
    user_name: String,
    project_id: String,
    project_name: String,
    tabs: Vec<Tab>,
    chart: String,
    rows: Vec<DateRow>,
    tasks: Vec<Choice>,
    form: DatesForm,
    error: Option<String>,
}

/// The chart of `loaded` as SVG text.
fn chart(loaded: &Loaded) -> String {
    let title = format!("Gantt chart of {}", loaded.project.name);
    let today = Utc::now().date_naive();
    let svg = gantt(
        CHART_ID,
        &title,
        &loaded.tasks,
        &loaded.schedule,
        &loaded.milestones,
        today,
    );
    askama::Template::render(&svg).unwrap_or_else(|e| {
        tracing::error!(error = %e, "cannot render a Gantt chart");
        String::new()
    })
}

fn rows(loaded: &Loaded) -> Vec<DateRow> {
    let scheduled: HashMap<&str, i64> = loaded
        .schedule
        .tasks
        .iter()
        .map(|s| (s.task_id.as_str(), s.slack_days))
        .collect();
    let day = |d: Option<chrono::NaiveDate>| d.map_or_else(String::new, |d| d.to_string());
    loaded
        .tasks
        .iter()
        .map(|t| DateRow {
            id: t.id.clone(),
            title: t.title.clone(),
            start: day(t.start_date),
            end: day(t.end_date),
            slack: scheduled
                .get(t.id.as_str())
                .map_or_else(|| "–".to_owned(), |s| format!("{s} d")),
        })
        .collect()
}

pub async fn gantt_page(
    State(state): State<WebState>,
    signed_in: SignedIn,
    Path(id): Path<String>,
) -> Response {
    show(&state, &signed_in, &id, DatesForm::default(), None).await
}

/// The chart alone, for the page's live refresh.
pub async fn gantt_svg(
    State(state): State<WebState>,
    signed_in: SignedIn,
    Path(id): Path<String>,
) -> Response {
    let session = &signed_in.session;
    let loaded = match Planning::enter(&state, session).await {
        Ok(planning) => planning.load(&id).await,
        Err(problem) => Err(problem),
    };
    match loaded {
        Ok(loaded) => (
            [
                (header::CONTENT_TYPE, "image/svg+xml; charset=utf-8"),
                (header::CACHE_CONTROL, "no-store"),
            ],
            chart(&loaded),
        )
            .into_response(),
        Err(problem) => (problem.status, problem.message).into_response(),
    }
}

pub async fn move_dates(
    State(state): State<WebState>,
    signed_in: SignedIn,
    Path(id): Path<String>,
    Form(form): Form<DatesForm>,
) -> Response {
    let session = &signed_in.session;
    let planning = match Planning::enter(&state, session).await {
        Ok(p) => p,
        Err(problem) => return problem.render(&state, session),
    };
    let outcome = match form.request() {
        Ok((task, _)) if !is_plain_id(&task) => {
            Err((StatusCode::NOT_FOUND, "There is no such task.".to_owned()))
        }
        Ok((task, patch)) => planning
            .client
            .update_task(&task, &patch, None)
            .await
            .map(|_| ())
            .map_err(|e| refusal(&e, &HashMap::new())),
        Err(message) => Err((StatusCode::UNPROCESSABLE_ENTITY, message)),
    };
    match outcome {
        Ok(()) => Redirect::to(&format!("/kiro/planning/projects/{id}/gantt")).into_response(),
        Err(refused) => show(&state, &signed_in, &id, form, Some(refused)).await,
    }
}

async fn show(
    state: &WebState,
    signed_in: &SignedIn,
    id: &str,
    form: DatesForm,
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
    let (status, error) = match refused {
        Some((status, message)) => (status, Some(message)),
        None => (StatusCode::OK, None),
    };
    let page = GanttPage {
        active: "kiro",
        status: planning.frame.status,
        user_name: planning.frame.user_name,
        project_id: loaded.project.id.clone(),
        project_name: loaded.project.name.clone(),
        tabs: loaded.tabs("gantt"),
        chart: chart(&loaded),
        rows: rows(&loaded),
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
