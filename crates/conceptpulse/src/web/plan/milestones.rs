//! `/kiro/planning/projects/{id}/milestones`: each milestone with its date, the tasks that
//! gate it and their status, and whether it is met (every gating task closed, as Kiro's
//! metrics count it), missed (its day has passed), at risk (a gating task is blocked or
//! planned to end after the milestone) or on track. Plus the form that adds one.

use std::collections::HashMap;

use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::Form;
use chrono::{NaiveDate, Utc};
use kiro_sdk::kiro_types::planning::{Milestone, Schedule, Task, TaskStatus};

use super::board::{Choice, status_label};
use super::context::{Planning, Tab, refusal};
use super::forms::MilestoneForm;
use crate::web::session::SignedIn;
use crate::web::{WebState, render};

/// Where a milestone stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Standing {
    /// `met`, `missed`, `at-risk` or `on-track` (also the CSS class).
    pub class: &'static str,
    pub label: &'static str,
    /// Why it is missed or at risk.
    pub reasons: Vec<String>,
}

/// How `milestone` stands on `today`, given the project's `tasks` and `schedule`.
pub fn standing(
    milestone: &Milestone,
    tasks: &[Task],
    schedule: &Schedule,
    today: NaiveDate,
) -> Standing {
    let by_id: HashMap<&str, &Task> = tasks.iter().map(|t| (t.id.as_str(), t)).collect();
    let finish: HashMap<&str, NaiveDate> = schedule
        .tasks
        .iter()
        .map(|s| (s.task_id.as_str(), s.earliest_finish))
        .collect();
    let open: Vec<&Task> = milestone
        .task_ids
        .iter()
        .filter_map(|id| by_id.get(id.as_str()).copied())
        .filter(|t| !t.status.is_closed())
        .collect();
    if open.is_empty() {
        return Standing {
            class: "met",
            label: "Met",
            reasons: Vec::new(),
        };
    }
    if milestone.date < today {
        return Standing {
            class: "missed",
            label: "Missed",
            reasons: vec![format!(
                "{} gating task(s) still open after {}",
                open.len(),
                milestone.date
            )],
        };
    }
    let mut reasons = Vec::new();
    for task in &open {
        if task.status == TaskStatus::Blocked {
            reasons.push(format!("{} is blocked", task.title));
        }
        let ends = task.end_date.or(finish.get(task.id.as_str()).copied());
        if let Some(end) = ends.filter(|end| *end > milestone.date) {
            reasons.push(format!("{} is planned to end {end}", task.title));
        }
    }
    if reasons.is_empty() {
        Standing {
            class: "on-track",
            label: "On track",
            reasons,
        }
    } else {
        Standing {
            class: "at-risk",
            label: "At risk",
            reasons,
        }
    }
}

/// A gating task as the milestone view lists it.
pub struct Gate {
    pub title: String,
    pub status: &'static str,
    pub status_label: &'static str,
}

pub struct MilestoneRow {
    pub id: String,
    pub name: String,
    pub date: NaiveDate,
    pub standing: Standing,
    pub gates: Vec<Gate>,
}

#[derive(Template)]
#[template(path = "plan/milestones.html")]
struct MilestonesPage {
    active: &'static str,
    status: &'static str,
    user_name: String,
    project_id: String,
    project_name: String,
    tabs: Vec<Tab>,
    milestones: Vec<MilestoneRow>,
    tasks: Vec<Choice>,
    form: MilestoneForm,
    error: Option<String>,
}

pub async fn milestones(
    State(state): State<WebState>,
    signed_in: SignedIn,
    Path(id): Path<String>,
) -> Response {
    show(&state, &signed_in, &id, MilestoneForm::default(), None).await
}

pub async fn create_milestone(
    State(state): State<WebState>,
    signed_in: SignedIn,
    Path(id): Path<String>,
    Form(form): Form<MilestoneForm>,
) -> Response {
    let session = &signed_in.session;
    let planning = match Planning::enter(&state, session).await {
        Ok(p) => p,
        Err(problem) => return problem.render(&state, session),
    };
    let outcome = match form.request() {
        Ok(request) => planning
            .client
            .create_milestone(&id, &request)
            .await
            .map(|_| ())
            .map_err(|e| refusal(&e, &HashMap::new())),
        Err(message) => Err((StatusCode::UNPROCESSABLE_ENTITY, message)),
    };
    match outcome {
        Ok(()) => Redirect::to(&format!("/kiro/planning/projects/{id}/milestones")).into_response(),
        Err(refused) => show(&state, &signed_in, &id, form, Some(refused)).await,
    }
}

async fn show(
    state: &WebState,
    signed_in: &SignedIn,
    id: &str,
    form: MilestoneForm,
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
    let today = Utc::now().date_naive();
    let by_id: HashMap<&str, &Task> = loaded.tasks.iter().map(|t| (t.id.as_str(), t)).collect();
    let mut milestones: Vec<MilestoneRow> = loaded
        .milestones
        .iter()
        .map(|m| MilestoneRow {
            id: m.id.clone(),
            name: m.name.clone(),
            date: m.date,
            standing: standing(m, &loaded.tasks, &loaded.schedule, today),
            gates: m
                .task_ids
                .iter()
                .filter_map(|t| by_id.get(t.as_str()))
                .map(|t| Gate {
                    title: t.title.clone(),
                    status: t.status.as_str(),
                    status_label: status_label(t.status),
                })
                .collect(),
        })
        .collect();
    milestones.sort_by_key(|m| m.date);
    let (status, error) = match refused {
        Some((status, message)) => (status, Some(message)),
        None => (StatusCode::OK, None),
    };
    let page = MilestonesPage {
        active: "kiro",
        status: planning.frame.status,
        user_name: planning.frame.user_name,
        project_id: loaded.project.id.clone(),
        project_name: loaded.project.name.clone(),
        tabs: loaded.tabs("milestones"),
        milestones,
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::web::plan::timeline::fixtures::{day, milestone, task};
    use kiro_core::planning::plan::build_schedule;

    fn gated(tasks: &[&str]) -> Milestone {
        let mut m = milestone("Beta", "2026-01-10");
        m.task_ids = tasks.iter().map(|t| (*t).to_owned()).collect();
        m
    }

    fn schedule(tasks: &[Task]) -> Schedule {
        build_schedule("p", day("2026-01-05"), tasks, &[]).unwrap_or_else(|| Schedule {
            project_id: "p".into(),
            start: day("2026-01-05"),
            finish: day("2026-01-05"),
            duration_days: 0,
            tasks: Vec::new(),
            critical_path: Vec::new(),
            violations: Vec::new(),
        })
    }

    #[test]
    fn a_milestone_is_met_once_its_gating_tasks_are_closed() {
        let mut a = task("a", Some("2026-01-05"), Some("2026-01-06"), &[]);
        a.status = TaskStatus::Done;
        let tasks = [a];
        let s = standing(&gated(&["a"]), &tasks, &schedule(&tasks), day("2026-01-20"));
        assert_eq!(s.class, "met");
    }

    #[test]
    fn late_or_blocked_gates_put_it_at_risk_and_a_past_day_misses_it() {
        let early = task("a", Some("2026-01-05"), Some("2026-01-06"), &[]);
        let late = task("b", Some("2026-01-08"), Some("2026-01-12"), &[]);
        let tasks = [early.clone(), late];
        let today = day("2026-01-06");
        let on_track = standing(&gated(&["a"]), &tasks, &schedule(&tasks), today);
        assert_eq!(on_track.class, "on-track");
        let risky = standing(&gated(&["a", "b"]), &tasks, &schedule(&tasks), today);
        assert_eq!(risky.class, "at-risk");
        assert!(risky.reasons[0].contains("Task b is planned to end 2026-01-12"));
        let mut blocked = early;
        blocked.status = TaskStatus::Blocked;
        let tasks = [blocked];
        let s = standing(&gated(&["a"]), &tasks, &schedule(&tasks), today);
        assert_eq!(
            (s.class, s.reasons[0].as_str()),
            ("at-risk", "Task a is blocked")
        );
        let missed = standing(&gated(&["a"]), &tasks, &schedule(&tasks), day("2026-01-11"));
        assert_eq!(missed.class, "missed");
    }
}
