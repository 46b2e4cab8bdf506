//! `/kiro/planning/projects/{id}`: a project's board, one column per task status. A card
//! moves by its own small form (choose a status, press Move: works with JavaScript off) or
//! by dragging it to another column (`assets/plan.js` posts the same form and asks for
//! JSON). Below the columns: the forms that create a task and add a dependency. A refusal
//! (a dependency that closes a cycle, a bad date) re-renders the board with the reason
//! next to the form and everything typed still in it.

use std::collections::HashMap;

use askama::Template;
use axum::Form;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Json, Redirect, Response};
use kiro_sdk::kiro_types::planning::{DependencyKind, Task, TaskPatch, TaskPriority, TaskStatus};

use super::context::{Planning, Tab, refusal};
use super::forms::{DependencyForm, StatusForm, TaskForm};
use crate::web::learn::problem::is_plain_id;
use crate::web::session::SignedIn;
use crate::web::{WebState, render};

/// The words of a status on the board.
pub fn status_label(status: TaskStatus) -> &'static str {
    match status {
        TaskStatus::Todo => "To do",
        TaskStatus::InProgress => "In progress",
        TaskStatus::Blocked => "Blocked",
        TaskStatus::Done => "Done",
        TaskStatus::Cancelled => "Cancelled",
    }
}

/// One task's card.
pub struct Card {
    pub id: String,
    pub title: String,
    pub status: &'static str,
    pub dates: String,
    pub assignee: Option<String>,
    pub priority: &'static str,
    pub estimate: String,
    pub tags: Vec<String>,
    /// Titles of the tasks it waits for.
    pub after: Vec<String>,
}

/// One column of the board.
pub struct Column {
    pub status: &'static str,
    pub label: &'static str,
    pub cards: Vec<Card>,
}

/// A choice of a select: value, label.
pub struct Choice {
    pub value: String,
    pub label: String,
}

#[derive(Template)]
#[template(path = "plan/board.html")]
struct BoardPage {
    active: &'static str,
    status: &'static str,
    user_name: String,
    project_id: String,
    project_name: String,
    tabs: Vec<Tab>,
    columns: Vec<Column>,
    statuses: Vec<Choice>,
    tasks: Vec<Choice>,
    members: Vec<Choice>,
    priorities: &'static [TaskPriority],
    kinds: &'static [DependencyKind],
    task_form: TaskForm,
    task_error: Option<String>,
    dependency_form: DependencyForm,
    dependency_error: Option<String>,
    move_error: Option<String>,
}

/// What a re-rendered board keeps of a refused form.
#[derive(Default)]
struct Refused {
    status: Option<StatusCode>,
    task: Option<(TaskForm, String)>,
    dependency: Option<(DependencyForm, String)>,
    moved: Option<String>,
}

fn columns(
    tasks: &[Task],
    titles: &HashMap<String, String>,
    names: &HashMap<String, String>,
) -> Vec<Column> {
    TaskStatus::ALL
        .iter()
        .map(|status| Column {
            status: status.as_str(),
            label: status_label(*status),
            cards: tasks
                .iter()
                .filter(|t| t.status == *status)
                .map(|t| card(t, titles, names))
                .collect(),
        })
        .collect()
}

fn card(task: &Task, titles: &HashMap<String, String>, names: &HashMap<String, String>) -> Card {
    let day = |d: Option<chrono::NaiveDate>| d.map_or_else(|| "?".to_owned(), |d| d.to_string());
    let dates = match (task.start_date, task.end_date) {
        (None, None) => "not scheduled".to_owned(),
        (start, end) => format!("{} to {}", day(start), day(end)),
    };
    Card {
        id: task.id.clone(),
        title: task.title.clone(),
        status: task.status.as_str(),
        dates,
        assignee: task
            .assignee
            .as_ref()
            .map(|a| names.get(a).cloned().unwrap_or_else(|| a.clone())),
        priority: task.priority.as_str(),
        estimate: format!("{} h", task.estimated_hours),
        tags: task.tags.clone(),
        after: task
            .dependencies
            .iter()
            .map(|id| titles.get(id).cloned().unwrap_or_else(|| id.clone()))
            .collect(),
    }
}

pub async fn board(
    State(state): State<WebState>,
    signed_in: SignedIn,
    Path(id): Path<String>,
) -> Response {
    show(&state, &signed_in, &id, Refused::default()).await
}

pub async fn create_task(
    State(state): State<WebState>,
    signed_in: SignedIn,
    Path(id): Path<String>,
    Form(form): Form<TaskForm>,
) -> Response {
    let session = &signed_in.session;
    let planning = match Planning::enter(&state, session).await {
        Ok(p) => p,
        Err(problem) => return problem.render(&state, session),
    };
    let outcome = match form.request() {
        Ok(request) => planning
            .client
            .create_task(&id, &request)
            .await
            .map_err(|e| refusal(&e, &HashMap::new())),
        Err(message) => Err((StatusCode::UNPROCESSABLE_ENTITY, message)),
    };
    match outcome {
        Ok(task) => {
            Redirect::to(&format!("/kiro/planning/projects/{id}#task-{}", task.id)).into_response()
        }
        Err((status, message)) => {
            let refused = Refused {
                status: Some(status),
                task: Some((form, message)),
                ..Refused::default()
            };
            show(&state, &signed_in, &id, refused).await
        }
    }
}

/// Whether the request is the board's script asking for JSON rather than a page.
fn wants_json(headers: &HeaderMap) -> bool {
    headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains("application/json"))
}

pub async fn move_task(
    State(state): State<WebState>,
    signed_in: SignedIn,
    Path((id, task_id)): Path<(String, String)>,
    headers: HeaderMap,
    Form(form): Form<StatusForm>,
) -> Response {
    let session = &signed_in.session;
    let planning = match Planning::enter(&state, session).await {
        Ok(p) => p,
        Err(problem) => return problem.render(&state, session),
    };
    let outcome = match (form.status(), is_plain_id(&task_id)) {
        (Err(message), _) => Err((StatusCode::UNPROCESSABLE_ENTITY, message)),
        (_, false) => Err((StatusCode::NOT_FOUND, "There is no such task.".to_owned())),
        (Ok(status), true) => {
            let patch = TaskPatch {
                status: Some(status),
                ..TaskPatch::default()
            };
            planning
                .client
                .update_task(&task_id, &patch, None)
                .await
                .map_err(|e| refusal(&e, &HashMap::new()))
        }
    };
    match (outcome, wants_json(&headers)) {
        (Ok(task), true) => Json(serde_json::json!({
            "id": task.id, "status": task.status, "version": task.version
        }))
        .into_response(),
        (Ok(task), false) => {
            Redirect::to(&format!("/kiro/planning/projects/{id}#task-{}", task.id)).into_response()
        }
        (Err((status, message)), true) => {
            (status, Json(serde_json::json!({ "error": message }))).into_response()
        }
        (Err((status, message)), false) => {
            let refused = Refused {
                status: Some(status),
                moved: Some(message),
                ..Refused::default()
            };
            show(&state, &signed_in, &id, refused).await
        }
    }
}

pub async fn add_dependency(
    State(state): State<WebState>,
    signed_in: SignedIn,
    Path(id): Path<String>,
    Form(form): Form<DependencyForm>,
) -> Response {
    let session = &signed_in.session;
    let planning = match Planning::enter(&state, session).await {
        Ok(p) => p,
        Err(problem) => return problem.render(&state, session),
    };
    let outcome = match form.request() {
        Ok((successor, dependency)) if is_plain_id(&successor) => {
            match planning
                .client
                .add_dependency(&successor, &dependency)
                .await
            {
                Ok(_) => Ok(()),
                Err(e) => {
                    let titles = match planning.load(&id).await {
                        Ok(loaded) => loaded.titles(),
                        Err(_) => HashMap::new(),
                    };
                    Err(refusal(&e, &titles))
                }
            }
        }
        Ok(_) => Err((StatusCode::NOT_FOUND, "There is no such task.".to_owned())),
        Err(message) => Err((StatusCode::UNPROCESSABLE_ENTITY, message)),
    };
    match outcome {
        Ok(()) => Redirect::to(&format!(
            "/kiro/planning/projects/{id}#task-{}",
            form.successor.trim()
        ))
        .into_response(),
        Err((status, message)) => {
            let refused = Refused {
                status: Some(status),
                dependency: Some((form, message)),
                ..Refused::default()
            };
            show(&state, &signed_in, &id, refused).await
        }
    }
}

async fn show(state: &WebState, signed_in: &SignedIn, id: &str, refused: Refused) -> Response {
    let session = &signed_in.session;
    let planning = match Planning::enter(state, session).await {
        Ok(p) => p,
        Err(problem) => return problem.render(state, session),
    };
    let loaded = match planning.load(id).await {
        Ok(loaded) => loaded,
        Err(problem) => return problem.render(state, session),
    };
    let members = planning.members(session).await;
    let names: HashMap<String, String> = members.iter().cloned().collect();
    let titles = loaded.titles();
    let (task_form, task_error) = refused.task.unzip();
    let (dependency_form, dependency_error) = refused.dependency.unzip();
    let page = BoardPage {
        active: "kiro",
        status: planning.frame.status,
        user_name: planning.frame.user_name,
        project_id: loaded.project.id.clone(),
        project_name: loaded.project.name.clone(),
        tabs: loaded.tabs("board"),
        columns: columns(&loaded.tasks, &titles, &names),
        statuses: TaskStatus::ALL
            .iter()
            .map(|s| Choice {
                value: s.as_str().to_owned(),
                label: status_label(*s).to_owned(),
            })
            .collect(),
        tasks: loaded
            .tasks
            .iter()
            .map(|t| Choice {
                value: t.id.clone(),
                label: t.title.clone(),
            })
            .collect(),
        members: members
            .into_iter()
            .map(|(value, label)| Choice { value, label })
            .collect(),
        priorities: TaskPriority::ALL,
        kinds: DependencyKind::ALL,
        task_form: task_form.unwrap_or_default(),
        task_error,
        dependency_form: dependency_form.unwrap_or_default(),
        dependency_error,
        move_error: refused.moved,
    };
    render::page(refused.status.unwrap_or(StatusCode::OK), &page)
}
