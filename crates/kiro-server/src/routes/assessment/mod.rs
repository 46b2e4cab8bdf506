//! `/v1/assessment/…`: the assessment service's routes — documents and their products,
//! assessments and answers, and learning analytics. Handlers read the request and call
//! [`crate::assessment::AssessmentService`]; uploads get a larger body limit.

mod documents;
mod progress;
mod quizzes;
mod upload;

use axum::extract::DefaultBodyLimit;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::state::AppState;

/// Whether a path takes PDF uploads (and so the upload body limit).
pub fn is_upload_path(path: &str) -> bool {
    matches!(
        path,
        "/v1/assessment/documents" | "/v1/assessment/documents/batch"
    )
}

/// The assessment routes; `upload_limit` bounds upload bodies in bytes.
pub fn routes(upload_limit: usize) -> OpenApiRouter<AppState> {
    let uploads = OpenApiRouter::new()
        .routes(routes!(
            documents::upload_document,
            documents::list_documents
        ))
        .routes(routes!(documents::upload_batch))
        .layer(DefaultBodyLimit::max(upload_limit));
    OpenApiRouter::new()
        .merge(uploads)
        .routes(routes!(documents::get_document, documents::delete_document))
        .routes(routes!(documents::document_text))
        .routes(routes!(documents::document_topics))
        .routes(routes!(documents::document_objectives))
        .routes(routes!(documents::document_lesson))
        .routes(routes!(
            documents::generate_questions,
            documents::latest_questions
        ))
        .routes(routes!(
            quizzes::create_assessment,
            quizzes::list_assessments
        ))
        .routes(routes!(quizzes::create_batch))
        .routes(routes!(quizzes::get_assessment, quizzes::update_assessment))
        .routes(routes!(quizzes::submit_answers))
        .routes(routes!(quizzes::evaluate_answers))
        .routes(routes!(quizzes::statistics))
        .routes(routes!(quizzes::weaknesses))
        .routes(routes!(progress::report))
        .routes(routes!(progress::progress))
        .routes(routes!(progress::revisions))
        .routes(routes!(progress::review))
}
