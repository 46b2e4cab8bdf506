//! `GET/POST /kiro/planning`: the workspace's projects (name, status, dates, a link to each
//! board) and the form that creates one. A refused form is shown again, filled in, with
//! Kiro's reason.

use askama::Template;
use axum::Form;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use futures::TryStreamExt;
use kiro_sdk::ProjectQuery;
use kiro_sdk::kiro_types::planning::{ConstraintPolicy, Project, ProjectStatus};

use super::context::{Planning, refusal};
use super::forms::ProjectForm;
use crate::web::session::SignedIn;
use crate::web::{WebState, render};

/// One row of the project list.
pub struct ProjectRow {
    pub id: String,
    pub name: String,
    pub status: &'static str,
    pub dates: String,
}

impl ProjectRow {
    fn of(project: &Project) -> Self {
        let day =
            |d: Option<chrono::NaiveDate>| d.map_or_else(|| "–".to_owned(), |d| d.to_string());
        Self {
            id: project.id.clone(),
            name: project.name.clone(),
            status: project.status.as_str(),
            dates: format!("{} to {}", day(project.start_date), day(project.end_date)),
        }
    }
}

#[derive(Template)]
#[template(path = "plan/projects.html")]
struct ProjectsPage {
    active: &'static str,
    status: &'static str,
    user_name: String,
    workspace: String,
    projects: Vec<ProjectRow>,
    statuses: &'static [ProjectStatus],
    policies: &'static [ConstraintPolicy],
    form: ProjectForm,
    error: Option<String>,
}

pub async fn list_projects(State(state): State<WebState>, signed_in: SignedIn) -> Response {
    page(&state, &signed_in, ProjectForm::default(), None).await
}

pub async fn create_project(
    State(state): State<WebState>,
    signed_in: SignedIn,
    Form(form): Form<ProjectForm>,
) -> Response {
    let session = &signed_in.session;
    let planning = match Planning::enter(&state, session).await {
        Ok(p) => p,
        Err(problem) => return problem.render(&state, session),
    };
    let request = match form.request() {
        Ok(request) => request,
        Err(message) => {
            let refused = Some((StatusCode::UNPROCESSABLE_ENTITY, message));
            return page(&state, &signed_in, form, refused).await;
        }
    };
    match planning.client.create_project(&request).await {
        Ok(project) => {
            Redirect::to(&format!("/kiro/planning/projects/{}", project.id)).into_response()
        }
        Err(e) => {
            let refused = Some(refusal(&e, &Default::default()));
            page(&state, &signed_in, form, refused).await
        }
    }
}

async fn page(
    state: &WebState,
    signed_in: &SignedIn,
    form: ProjectForm,
    refused: Option<(StatusCode, String)>,
) -> Response {
    let session = &signed_in.session;
    let planning = match Planning::enter(state, session).await {
        Ok(p) => p,
        Err(problem) => return problem.render(state, session),
    };
    let listed: Result<Vec<Project>, _> = planning
        .client
        .all_projects(&ProjectQuery::default())
        .try_collect()
        .await;
    let (projects, mut error) = match listed {
        Ok(projects) => (projects.iter().map(ProjectRow::of).collect(), None),
        Err(e) => (Vec::new(), Some(refusal(&e, &Default::default()).1)),
    };
    let mut status = StatusCode::OK;
    if let Some((refused_status, message)) = refused {
        status = refused_status;
        error = Some(message);
    }
    render::page(
        status,
        &ProjectsPage {
            active: "kiro",
            status: planning.frame.status,
            user_name: planning.frame.user_name,
            workspace: planning.workspace,
            projects,
            statuses: ProjectStatus::ALL,
            policies: ConstraintPolicy::ALL,
            form,
            error,
        },
    )
}
