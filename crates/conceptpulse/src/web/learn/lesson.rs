//! `GET /learn/lesson?pdf=&topic=`: the correction lesson for one weak topic, assembled by
//! Kiro from the uploaded document — what it is and why it matters, the key definition, the
//! explanation, a worked example and an analogy, each passage with the page it is from.

use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;
use kiro_sdk::kiro_types::assessment::Lesson;
use serde::Deserialize;

use super::document::pages;
use super::problem::{Frame, Problem, is_plain_id};
use super::study;
use crate::web::session::SignedIn;
use crate::web::{WebState, render};

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct LessonQuery {
    pdf: String,
    topic: String,
}

#[derive(Template)]
#[template(path = "learn/lesson.html")]
struct LessonPage {
    active: &'static str,
    status: &'static str,
    user_name: String,
    lesson: Lesson,
    pages: String,
    key_terms: String,
}

pub async fn lesson(
    State(state): State<WebState>,
    signed_in: SignedIn,
    Query(query): Query<LessonQuery>,
) -> Response {
    let session = &signed_in.session;
    let (pdf, topic) = (query.pdf.trim(), query.topic.trim());
    if !is_plain_id(pdf) || topic.is_empty() {
        return Problem::unprocessable(
            "Which lesson?",
            "A lesson needs a document and one of its topics: open it from your quiz results \
             or a revision.",
        )
        .with_link("/learn/revisions", "Your revisions")
        .render(&state, session);
    }
    if let Err(e) = study::enter(session).await {
        return Problem::from_kiro(&e).render(&state, session);
    }
    match session.client.assessment().lesson(pdf, topic).await {
        Ok(lesson) => {
            let frame = Frame::of(&state, session);
            render::ok(&LessonPage {
                active: "",
                status: frame.status,
                user_name: frame.user_name,
                pages: pages(&lesson.pages),
                key_terms: lesson.key_terms.join(", "),
                lesson,
            })
        }
        Err(e) => {
            let problem = match e.code() {
                Some("assessment.document.not_found") => Problem::not_found(
                    "No such document",
                    "There is no document with this address in your workspace.",
                ),
                Some("assessment.topic.not_found") => Problem::not_found(
                    "No lesson on this topic",
                    format!(
                        "The document says nothing about “{topic}”. Pick one of the topics \
                         found in it."
                    ),
                )
                .with_link(format!("/learn/documents/{pdf}"), "The document's topics"),
                _ => Problem::from_kiro(&e),
            };
            problem.render(&state, session)
        }
    }
}
