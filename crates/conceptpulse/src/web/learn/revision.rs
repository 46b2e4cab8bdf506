//! Spaced revision: `GET /learn/revisions` lists the weak topics Kiro has scheduled (due now
//! first, then coming up; an early review is allowed), each with a self-rated recall —
//! again, hard, good or easy — that `POST /learn/revisions/{id}/review` records. Kiro's
//! scheduler (FSRS, or the fixed 1-3-7 days) sets the next date. Reviews go through the
//! session's offline queue, so a rating made while Kiro is away lands when it returns.

use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use chrono::{DateTime, Utc};
use kiro_sdk::kiro_types::assessment::{Recall, Revision};
use kiro_sdk::{Call, KiroError, Submitted};
use serde::Deserialize;

use super::problem::{Frame, Problem, is_plain_id};
use super::results::lesson_url;
use super::study;
use crate::web::session::{Session, SignedIn};
use crate::web::{WebState, render};

/// The four grades, as the buttons offer them.
pub const RECALLS: [(&str, &str); 4] = [
    ("again", "Again: I had forgotten it"),
    ("hard", "Hard: I remembered with effort"),
    ("good", "Good: I remembered it"),
    ("easy", "Easy: I knew it at once"),
];

pub struct RevisionRow {
    pub id: String,
    pub topic: String,
    pub due: String,
    pub reviews: u32,
    pub last: String,
    pub lesson: String,
}

#[derive(Template)]
#[template(path = "learn/revisions.html")]
struct RevisionsPage {
    active: &'static str,
    status: &'static str,
    user_name: String,
    due: Vec<RevisionRow>,
    upcoming: Vec<RevisionRow>,
    recalls: [(&'static str, &'static str); 4],
    notice: Option<String>,
    error: Option<String>,
}

/// "due now", "in 3 hours", "in 2 days" (from `now`).
pub fn when(due: DateTime<Utc>, now: DateTime<Utc>) -> String {
    let minutes = (due - now).num_minutes();
    match minutes {
        m if m <= 0 => "due now".to_owned(),
        m if m < 60 => format!("in {m} min"),
        m if m < 48 * 60 => format!("in {} hours", (m + 30) / 60),
        m => format!("in {} days", (m + 12 * 60) / (24 * 60)),
    }
}

fn recall_name(recall: Option<Recall>) -> String {
    match recall {
        None => "not reviewed yet".to_owned(),
        Some(Recall::Again) => "last: again".to_owned(),
        Some(Recall::Hard) => "last: hard".to_owned(),
        Some(Recall::Good) => "last: good".to_owned(),
        Some(Recall::Easy) => "last: easy".to_owned(),
    }
}

fn row(revision: &Revision, now: DateTime<Utc>) -> RevisionRow {
    RevisionRow {
        id: revision.id.clone(),
        topic: revision.topic.clone(),
        due: when(revision.due_at, now),
        reviews: revision.reviews,
        last: recall_name(revision.last_recall),
        lesson: lesson_url(&revision.pdf_id, &revision.topic),
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct RevisionsQuery {
    reviewed: Option<String>,
    queued: Option<String>,
}

async fn page(
    state: &WebState,
    session: &Session,
    reviewed: Option<&str>,
    queued: bool,
) -> Result<RevisionsPage, Problem> {
    study::enter(session)
        .await
        .map_err(|e| Problem::from_kiro(&e))?;
    let revisions = session
        .client
        .assessment()
        .revisions(false)
        .await
        .map_err(|e| Problem::from_kiro(&e))?;
    let now = Utc::now();
    let notice = if queued {
        Some(
            "Saved here. Kiro cannot be reached right now; your rating reaches it as soon as it \
             is back."
                .to_owned(),
        )
    } else {
        reviewed
            .and_then(|id| revisions.iter().find(|r| r.id == id))
            .map(|r| {
                format!(
                    "Recorded. Next revision of {}: {} ({}).",
                    r.topic,
                    when(r.due_at, now),
                    r.due_at.format("%Y-%m-%d")
                )
            })
    };
    let (due, upcoming): (Vec<&Revision>, Vec<&Revision>) =
        revisions.iter().partition(|r| r.due_at <= now);
    let frame = Frame::of(state, session);
    Ok(RevisionsPage {
        active: "revise",
        status: frame.status,
        user_name: frame.user_name,
        due: due.into_iter().map(|r| row(r, now)).collect(),
        upcoming: upcoming.into_iter().map(|r| row(r, now)).collect(),
        recalls: RECALLS,
        notice,
        error: None,
    })
}

pub async fn revisions(
    State(state): State<WebState>,
    signed_in: SignedIn,
    Query(query): Query<RevisionsQuery>,
) -> Response {
    let session = &signed_in.session;
    match page(
        &state,
        session,
        query.reviewed.as_deref(),
        query.queued.is_some(),
    )
    .await
    {
        Ok(page) => render::ok(&page),
        Err(problem) => problem.render(&state, session),
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ReviewForm {
    recall: String,
}

fn no_revision() -> Problem {
    Problem::not_found(
        "No such revision",
        "There is no revision with this address for you; it may belong to another learner or \
         workspace.",
    )
    .with_link("/learn/revisions", "Your revisions")
}

fn parse_recall(name: &str) -> Option<Recall> {
    match name {
        "again" => Some(Recall::Again),
        "hard" => Some(Recall::Hard),
        "good" => Some(Recall::Good),
        "easy" => Some(Recall::Easy),
        _ => None,
    }
}

pub async fn review(
    State(state): State<WebState>,
    signed_in: SignedIn,
    Path(id): Path<String>,
    Form(form): Form<ReviewForm>,
) -> Response {
    let session = &signed_in.session;
    let Some(recall) = parse_recall(&form.recall) else {
        return match page(&state, session, None, false).await {
            Ok(mut page) => {
                page.error = Some(
                    "Rate how well you recalled the topic: again, hard, good or easy.".to_owned(),
                );
                render::page(StatusCode::UNPROCESSABLE_ENTITY, &page)
            }
            Err(problem) => problem.render(&state, session),
        };
    };
    if !is_plain_id(&id) {
        return no_revision().render(&state, session);
    }
    // Unreachable, the rating still goes to the queue, for the workspace last studied in.
    match study::enter(session).await {
        Ok(_) | Err(KiroError::Connection(_) | KiroError::Timeout) => {}
        Err(e) => return Problem::from_kiro(&e).render(&state, session),
    }
    let call = Call::post(format!("/v1/assessment/revisions/{id}/reviews"))
        .json(serde_json::json!({ "recall": recall }));
    match session.queue.submit(call).await {
        Ok(Submitted::Sent(_)) => {
            Redirect::to(&format!("/learn/revisions?reviewed={id}")).into_response()
        }
        Ok(Submitted::Queued { .. }) => Redirect::to("/learn/revisions?queued=1").into_response(),
        Err(e) if e.code() == Some("assessment.revision.not_found") => {
            no_revision().render(&state, session)
        }
        Err(e) => Problem::from_kiro(&e).render(&state, session),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn due_dates_read_as_durations() {
        let now = Utc::now();
        assert_eq!(when(now - chrono::Duration::hours(1), now), "due now");
        assert_eq!(when(now + chrono::Duration::minutes(5), now), "in 5 min");
        assert_eq!(when(now + chrono::Duration::hours(20), now), "in 20 hours");
        assert_eq!(when(now + chrono::Duration::days(6), now), "in 6 days");
    }

    #[test]
    fn only_the_four_grades_are_recalls() {
        for (name, _) in RECALLS {
            assert!(parse_recall(name).is_some(), "{name}");
        }
        assert_eq!(parse_recall("perfect"), None);
        assert_eq!(parse_recall(""), None);
    }
}
