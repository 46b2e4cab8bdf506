//! What every planning page shares: entering the session's workspace, loading one project
//! with its tasks, schedule and milestones, the project's tab bar, and turning Kiro's
//! refusals into sentences (a dependency cycle is named by the tasks' titles).

use std::collections::HashMap;

use axum::http::StatusCode;
use futures::TryStreamExt;
use kiro_sdk::kiro_types::planning::{Milestone, Project, Schedule, Task};
use kiro_sdk::kiro_types::workspace::MemberOut;
use kiro_sdk::{KiroError, Method, PlanningClient, TaskQuery};

use crate::web::WebState;
use crate::web::learn::problem::{self, Frame, Problem, is_plain_id, sentence};
use crate::web::learn::study;
use crate::web::session::Session;

/// The signed-in user's planning in the session's workspace (the same one the learning
/// pages work in).
pub struct Planning {
    pub client: PlanningClient,
    pub workspace_id: String,
    pub workspace: String,
    pub frame: Frame,
}

impl Planning {
    pub async fn enter(state: &WebState, session: &Session) -> Result<Self, Problem> {
        let study = study::enter(session)
            .await
            .map_err(|e| Problem::from_kiro(&e))?;
        Ok(Self {
            client: session.client.planning(),
            workspace_id: study.workspace_id,
            workspace: study.name,
            frame: Frame::of(state, session),
        })
    }

    /// The workspace's members, `(user id, name)`, for the assignee and resource choices.
    pub async fn members(&self, session: &Session) -> Vec<(String, String)> {
        let path = format!("/v1/workspaces/{}/members?limit=200", self.workspace_id);
        let page: Result<kiro_sdk::kiro_types::page::Page<MemberOut>, _> =
            session.client.request(Method::GET, &path, None).await;
        page.map(|p| {
            p.items
                .into_iter()
                .map(|m| (m.user_id.to_string(), m.name))
                .collect()
        })
        .unwrap_or_default()
    }

    /// A project with everything its views draw from.
    pub async fn load(&self, project_id: &str) -> Result<Loaded, Problem> {
        if !is_plain_id(project_id) {
            return Err(Problem::not_found(
                "No such project",
                "This address names no project; pick one from the list.",
            )
            .with_link("/kiro/planning", "Your projects"));
        }
        let missing =
            |e: KiroError| Problem::from_kiro(&e).with_link("/kiro/planning", "Your projects");
        let project = self.client.get_project(project_id).await.map_err(missing)?;
        let tasks: Vec<Task> = self
            .client
            .all_tasks(project_id, &TaskQuery::default())
            .try_collect()
            .await
            .map_err(missing)?;
        let schedule = self.client.schedule(project_id).await.map_err(missing)?;
        let milestones = self
            .client
            .list_milestones(project_id)
            .await
            .map_err(missing)?;
        Ok(Loaded {
            project,
            tasks,
            schedule,
            milestones,
        })
    }
}

/// One project as its pages show it.
pub struct Loaded {
    pub project: Project,
    pub tasks: Vec<Task>,
    pub schedule: Schedule,
    pub milestones: Vec<Milestone>,
}

impl Loaded {
    /// Task titles by id.
    pub fn titles(&self) -> HashMap<String, String> {
        self.tasks
            .iter()
            .map(|t| (t.id.clone(), t.title.clone()))
            .collect()
    }

    /// The tabs of this project's pages, `active` marked.
    pub fn tabs(&self, active: &str) -> Vec<Tab> {
        tabs(&self.project.id, active)
    }
}

/// One link of a project's tab bar.
pub struct Tab {
    pub href: String,
    pub label: &'static str,
    pub current: bool,
}

/// The tab bar of project `id`'s pages.
pub fn tabs(id: &str, active: &str) -> Vec<Tab> {
    let base = format!("/kiro/planning/projects/{id}");
    [
        ("board", "", "Board"),
        ("gantt", "/gantt", "Gantt"),
        ("milestones", "/milestones", "Milestones"),
        ("resources", "/resources", "Resources"),
        ("reports", "/reports", "Reports"),
    ]
    .into_iter()
    .map(|(key, path, label)| Tab {
        href: format!("{base}{path}"),
        label,
        current: key == active,
    })
    .collect()
}

/// The status and sentence for a refused planning call. Field errors are listed; a cycle is
/// named by the titles of its tasks (`titles`), so the user sees which dependency closes it.
pub fn refusal(error: &KiroError, titles: &HashMap<String, String>) -> (StatusCode, String) {
    let KiroError::Api(api) = error else {
        return problem::explain(error);
    };
    let status = StatusCode::from_u16(api.status).unwrap_or(StatusCode::BAD_GATEWAY);
    let details = api.details.as_ref();
    if api.code == "planning.dependency.cycle" {
        let cycle: Vec<String> = details
            .and_then(|d| d.get("cycle"))
            .and_then(|c| c.as_array())
            .map(|ids| {
                ids.iter()
                    .filter_map(|id| id.as_str())
                    .map(|id| titles.get(id).cloned().unwrap_or_else(|| id.to_owned()))
                    .collect()
            })
            .unwrap_or_default();
        if !cycle.is_empty() {
            return (
                status,
                format!(
                    "This dependency would close the cycle {}. Remove one of its dependencies \
                     first or choose another predecessor; nothing was changed.",
                    cycle.join(" → ")
                ),
            );
        }
    }
    let fields: Vec<String> = details
        .and_then(|d| d.get("fields"))
        .and_then(|f| f.as_array())
        .map(|fields| {
            fields
                .iter()
                .filter_map(|f| {
                    let field = f.get("field")?.as_str()?;
                    let message = f.get("message")?.as_str()?;
                    Some(format!("{field}: {message}"))
                })
                .collect()
        })
        .unwrap_or_default();
    if fields.is_empty() {
        (status, sentence(&api.message))
    } else {
        (status, sentence(&fields.join("; ")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use kiro_sdk::kiro_types::error::ErrorType;

    fn api(code: &str, status: u16, details: serde_json::Value) -> KiroError {
        KiroError::Api(Box::new(kiro_sdk::ApiError {
            status,
            error_type: ErrorType::Conflict,
            code: code.into(),
            message: "this dependency would close the cycle a → b → a".into(),
            details: Some(details),
            request_id: "r".into(),
            service: Some("planning".into()),
            retryable: false,
            retry_after: None,
        }))
    }

    #[test]
    fn a_cycle_is_named_by_its_tasks_titles() {
        let titles = HashMap::from([
            ("a".to_owned(), "Design".to_owned()),
            ("b".to_owned(), "Build".to_owned()),
        ]);
        let error = api(
            "planning.dependency.cycle",
            409,
            serde_json::json!({ "cycle": ["a", "b", "a"] }),
        );
        let (status, message) = refusal(&error, &titles);
        assert_eq!(status, StatusCode::CONFLICT);
        assert!(message.contains("Design → Build → Design"), "{message}");
    }

    #[test]
    fn field_errors_are_listed_and_other_refusals_read_as_sentences() {
        let error = api(
            "validation.failed",
            422,
            serde_json::json!({ "fields": [{ "field": "title", "message": "too long" }] }),
        );
        assert_eq!(refusal(&error, &HashMap::new()).1, "Title: too long.");
        let plain = api(
            "planning.task.violates_dependency",
            409,
            serde_json::json!({}),
        );
        assert!(
            refusal(&plain, &HashMap::new())
                .1
                .starts_with("This dependency")
        );
    }

    #[test]
    fn the_tab_bar_marks_the_current_page() {
        let tabs = tabs("p1", "gantt");
        assert_eq!(tabs.len(), 5);
        assert_eq!(tabs[1].href, "/kiro/planning/projects/p1/gantt");
        assert!(tabs[1].current && !tabs[0].current);
    }
}
