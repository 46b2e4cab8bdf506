//! Which workspace the learning loop works in. A learner's notes, quizzes and revisions live
//! in a study workspace: the one they picked, else the oldest shared (non-personal) one they
//! can write to — the subject named at onboarding, or a class an instructor added them to —
//! else their personal workspace. The session's client names it on every request, since a
//! user with several workspaces has no default (`POST /learn/workspace` switches).

use axum::Form;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use kiro_sdk::KiroError;
use kiro_sdk::kiro_types::workspace::{Role, WorkspaceOut};
use serde::Deserialize;

use super::problem::Problem;
use crate::web::WebState;
use crate::web::session::{Session, SignedIn};

/// The study workspace of a request.
#[derive(Debug, Clone)]
pub struct Study {
    pub workspace_id: String,
    pub name: String,
    pub role: Role,
    /// Every workspace the learner could study in, `(id, name)`, oldest first.
    pub choices: Vec<(String, String)>,
}

impl Study {
    /// Whether the learner sees instructors' views (question statistics) here.
    pub fn is_instructor(&self) -> bool {
        self.role.at_least(Role::Admin)
    }
}

/// The study workspace out of `workspaces`, `chosen` first when it is still one of them.
fn pick(workspaces: &[WorkspaceOut], chosen: Option<&str>) -> Option<Study> {
    let mut usable: Vec<&WorkspaceOut> = workspaces
        .iter()
        .filter(|w| w.role.at_least(Role::Viewer))
        .collect();
    usable.sort_by_key(|w| w.created_at);
    let picked = chosen
        .and_then(|id| usable.iter().find(|w| w.id.to_string() == id))
        .or_else(|| {
            usable
                .iter()
                .find(|w| !w.personal && w.role.at_least(Role::Member))
        })
        .or_else(|| usable.iter().find(|w| w.personal))
        .or_else(|| usable.first())?;
    Some(Study {
        workspace_id: picked.id.to_string(),
        name: picked.name.clone(),
        role: picked.role,
        choices: usable
            .iter()
            .map(|w| (w.id.to_string(), w.name.clone()))
            .collect(),
    })
}

/// Finds the session's study workspace and makes its client act in it.
pub async fn enter(session: &Session) -> Result<Study, KiroError> {
    let me = session.client.me().await?;
    let chosen = session.learn.chosen_workspace().await;
    let study = pick(&me.workspaces, chosen.as_deref()).ok_or_else(|| {
        KiroError::Decode("this account belongs to no workspace; ask an administrator".into())
    })?;
    session
        .client
        .use_workspace(Some(study.workspace_id.clone()));
    Ok(study)
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ChooseForm {
    workspace: String,
}

/// `POST /learn/workspace`: study in another of one's workspaces.
pub async fn choose(
    State(state): State<WebState>,
    signed_in: SignedIn,
    Form(form): Form<ChooseForm>,
) -> Response {
    let session = &signed_in.session;
    let me = match session.client.me().await {
        Ok(me) => me,
        Err(e) => return Problem::from_kiro(&e).render(&state, session),
    };
    if pick(&me.workspaces, Some(&form.workspace)).is_none_or(|s| s.workspace_id != form.workspace)
    {
        return Problem::unprocessable(
            "Choose one of your workspaces.",
            "The workspace sent is not one you belong to; pick one from the list on your dashboard.",
        )
        .render(&state, session);
    }
    session.learn.choose_workspace(form.workspace).await;
    Redirect::to("/dashboard").into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn workspace(name: &str, personal: bool, role: Role, minute: u32) -> WorkspaceOut {
        let at = chrono::DateTime::from_timestamp(i64::from(minute) * 60, 0).unwrap_or_default();
        WorkspaceOut {
            id: kiro_sdk::kiro_types::ids::WorkspaceId::new(),
            name: name.into(),
            personal,
            role,
            version: 1,
            created_at: at,
            updated_at: at,
        }
    }

    #[test]
    fn the_oldest_shared_workspace_is_studied_in_unless_another_is_chosen() {
        let own = workspace("Me", true, Role::Owner, 1);
        let biology = workspace("Biology", false, Role::Owner, 3);
        let class = workspace("Class", false, Role::Member, 2);
        let watched = workspace("Watched", false, Role::Viewer, 0);
        let all = vec![own.clone(), biology.clone(), class, watched];
        let study = pick(&all, None).map(|s| s.name);
        assert_eq!(study.as_deref(), Some("Class"), "viewers cannot write");
        let chosen = biology.id.to_string();
        let study = pick(&all, Some(&chosen));
        assert_eq!(study.as_ref().map(|s| s.name.as_str()), Some("Biology"));
        assert!(study.is_some_and(|s| s.is_instructor() && s.choices.len() == 4));
        let gone = pick(std::slice::from_ref(&own), Some(&chosen)).map(|s| s.name);
        assert_eq!(gone.as_deref(), Some("Me"), "a stale choice falls back");
        assert!(pick(&[], None).is_none());
    }
}
