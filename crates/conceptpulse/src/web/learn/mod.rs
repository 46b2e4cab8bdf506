//! The learning loop's pages, under `/learn`: upload a PDF and watch it being processed,
//! take the diagnosis quiz one timed question at a time, see the results and the weakest
//! topic, read its correction lesson, revise on Kiro's spaced schedule, follow progress in
//! server-drawn charts, and (for instructors) read per-question statistics. Every page is
//! rendered on the server and every form posts and redirects, so all of it works with
//! JavaScript off; everything lasting is kept by Kiro, reached through kiro-sdk in the
//! session's study workspace. Must not import kiro-core or kiro-server types.

mod charts;
mod document;
mod lesson;
pub(crate) mod problem;
mod progress;
mod quiz;
mod results;
mod revision;
mod state;
mod statistics;
pub(crate) mod study;
mod summary;
mod upload;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::routing::{get, post};

pub use state::LearnState;
pub use summary::{PriorityTopic, Summary, summary};

use super::WebState;

/// The `/learn` routes.
pub fn routes() -> Router<WebState> {
    Router::new()
        .route(
            "/learn/upload",
            get(upload::upload_page)
                .post(upload::upload)
                .layer(DefaultBodyLimit::max(upload::UPLOAD_LIMIT)),
        )
        .route("/learn/documents/{id}", get(document::document_page))
        .route("/learn/documents/{id}/progress", get(document::progress))
        .route(
            "/learn/documents/{id}/password",
            post(document::retry_with_password),
        )
        .route(
            "/learn/documents/{id}/diagnosis",
            post(document::start_diagnosis),
        )
        .route("/learn/quizzes", get(statistics::quizzes))
        .route(
            "/learn/quizzes/{id}/questions/{n}",
            get(quiz::question).post(quiz::answer),
        )
        .route("/learn/quizzes/{id}/submit", post(quiz::submit))
        .route("/learn/quizzes/{id}/results", get(results::results))
        .route(
            "/learn/quizzes/{id}/statistics",
            get(statistics::statistics),
        )
        .route("/learn/lesson", get(lesson::lesson))
        .route("/learn/revisions", get(revision::revisions))
        .route("/learn/revisions/{id}/review", post(revision::review))
        .route("/learn/progress", get(progress::progress))
        .route("/learn/workspace", post(study::choose))
}
