//! One uploaded document: its processing page (a progress bar that `live.js` moves as Kiro's
//! `assessment.document.*` events arrive, and that refreshes itself without JavaScript),
//! its failure with Kiro's suggestion (a protected PDF is retried with just its password),
//! and, once processed, its topics and the action that starts the diagnosis quiz.

use askama::Template;
use axum::Form;
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use kiro_sdk::UploadOptions;
use kiro_sdk::kiro_types::assessment::{
    AssessmentCreateRequest, DEFAULT_QUESTION_COUNT, DocumentStatus, PdfUploadResult, TopicAnalysis,
};
use serde::Deserialize;

use super::problem::{Frame, Problem, explain, is_plain_id};
use super::study;
use crate::web::session::{Session, SignedIn};
use crate::web::{WebState, render};

/// Failure codes a password can fix.
const PASSWORD_CODES: [&str; 2] = ["assessment.pdf.encrypted", "assessment.pdf.wrong_password"];

/// A topic as the page lists it.
pub struct TopicRow {
    pub name: String,
    pub importance: u32,
    pub pages: String,
}

/// Why processing failed and what to do.
pub struct FailureView {
    pub message: String,
    pub suggestion: String,
    pub needs_password: bool,
}

#[derive(Template)]
#[template(path = "learn/document.html")]
struct DocumentPage {
    active: &'static str,
    status: &'static str,
    user_name: String,
    doc: PdfUploadResult,
    failure: Option<FailureView>,
    /// Whether the UI still has the file, so a password alone retries it.
    held: bool,
    topics: Vec<TopicRow>,
    key_terms: String,
    reading_minutes: u32,
    complexity: String,
    objectives: Vec<String>,
    error: Option<String>,
}

impl DocumentPage {
    fn subject(&self) -> String {
        self.doc.subject.clone().unwrap_or_default()
    }

    fn topic(&self) -> String {
        self.doc.topic.clone().unwrap_or_default()
    }
}

fn missing() -> Problem {
    Problem::not_found(
        "No such document",
        "There is no document with this address in your workspace. It may have been deleted, \
         or it belongs to another workspace.",
    )
    .with_link("/learn/upload", "Upload a document")
}

/// The page for document `id`, with `error` above the password form.
async fn page(
    state: &WebState,
    session: &Session,
    id: &str,
    error: Option<String>,
) -> Result<DocumentPage, Problem> {
    if !is_plain_id(id) {
        return Err(missing());
    }
    study::enter(session)
        .await
        .map_err(|e| Problem::from_kiro(&e))?;
    let assessment = session.client.assessment();
    let doc = assessment
        .document(id)
        .await
        .map_err(|e| match e.status() {
            Some(404) => missing(),
            _ => Problem::from_kiro(&e),
        })?;
    let frame = Frame::of(state, session);
    let mut page = DocumentPage {
        active: "upload",
        status: frame.status,
        user_name: frame.user_name,
        failure: doc.failure.as_ref().map(|f| FailureView {
            message: super::problem::sentence(&f.message),
            suggestion: f.suggestion.clone(),
            needs_password: PASSWORD_CODES.contains(&f.code.as_str()),
        }),
        held: session.learn.held(id).await.is_some(),
        doc,
        topics: Vec::new(),
        key_terms: String::new(),
        reading_minutes: 0,
        complexity: String::new(),
        objectives: Vec::new(),
        error,
    };
    if page.doc.status == DocumentStatus::Completed {
        session.learn.release(id).await;
        page.held = false;
        let analysis = assessment
            .analyze_topics(id)
            .await
            .map_err(|e| Problem::from_kiro(&e))?;
        fill(&mut page, analysis);
    }
    Ok(page)
}

fn fill(page: &mut DocumentPage, analysis: TopicAnalysis) {
    page.topics = analysis
        .topics
        .iter()
        .map(|t| TopicRow {
            name: t.name.clone(),
            importance: (t.importance * 100.0).round().clamp(0.0, 100.0) as u32,
            pages: pages(&t.pages),
        })
        .collect();
    page.key_terms = analysis
        .key_terms
        .iter()
        .take(12)
        .cloned()
        .collect::<Vec<_>>()
        .join(", ");
    page.reading_minutes = analysis.estimated_reading_time;
    page.complexity = format!("{:?}", analysis.complexity).to_lowercase();
    page.objectives = analysis.objectives.iter().map(|o| o.text.clone()).collect();
}

/// "1–3, 7" from ascending page numbers (the first eight ranges).
pub fn pages(numbers: &[u32]) -> String {
    let mut ranges: Vec<(u32, u32)> = Vec::new();
    for &n in numbers {
        match ranges.last_mut() {
            Some((_, end)) if n == *end + 1 => *end = n,
            Some((_, end)) if n == *end => {}
            _ => ranges.push((n, n)),
        }
    }
    let mut parts: Vec<String> = ranges
        .iter()
        .take(8)
        .map(|&(a, b)| {
            if a == b {
                a.to_string()
            } else {
                format!("{a}–{b}")
            }
        })
        .collect();
    if ranges.len() > 8 {
        parts.push("…".to_owned());
    }
    parts.join(", ")
}

pub async fn document_page(
    State(state): State<WebState>,
    signed_in: SignedIn,
    Path(id): Path<String>,
) -> Response {
    match page(&state, &signed_in.session, &id, None).await {
        Ok(page) => render::ok(&page),
        Err(problem) => problem.render(&state, &signed_in.session),
    }
}

/// `GET /learn/documents/{id}/progress`: where processing stands, for `live.js` to check
/// once its event subscription is live.
pub async fn progress(signed_in: SignedIn, Path(id): Path<String>) -> Response {
    let session = &signed_in.session;
    if !is_plain_id(&id) {
        return (
            StatusCode::NOT_FOUND,
            Json(serde_json::json!({ "error": "not_found" })),
        )
            .into_response();
    }
    if let Err(e) = study::enter(session).await {
        return (
            explain(&e).0,
            Json(serde_json::json!({ "error": e.code() })),
        )
            .into_response();
    }
    match session.client.assessment().document(&id).await {
        Ok(doc) => Json(serde_json::json!({
            "status": doc.status.as_str(),
            "progress": doc.progress,
        }))
        .into_response(),
        Err(e) => (
            explain(&e).0,
            Json(serde_json::json!({ "error": e.code() })),
        )
            .into_response(),
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct PasswordForm {
    password: String,
}

/// `POST /learn/documents/{id}/password`: uploads the kept file again with its password.
pub async fn retry_with_password(
    State(state): State<WebState>,
    signed_in: SignedIn,
    Path(id): Path<String>,
    Form(form): Form<PasswordForm>,
) -> Response {
    let session = &signed_in.session;
    let again = |status: StatusCode, message: String| {
        let (state, id) = (state.clone(), id.clone());
        async move {
            match page(&state, session, &id, Some(message)).await {
                Ok(page) => render::page(status, &page),
                Err(problem) => problem.render(&state, session),
            }
        }
    };
    if form.password.is_empty() {
        let message = "Type the PDF's password (it is case-sensitive).".to_owned();
        return again(StatusCode::UNPROCESSABLE_ENTITY, message).await;
    }
    let Some(held) = session.learn.held(&id).await else {
        return Problem::new(
            StatusCode::CONFLICT,
            "Upload the file again",
            "This page no longer has the file (it is kept only until it is processed). Upload \
             it again with its password.",
        )
        .with_link("/learn/upload", "Upload it with its password")
        .render(&state, session);
    };
    if let Err(e) = study::enter(session).await {
        return Problem::from_kiro(&e).render(&state, session);
    }
    let options = UploadOptions {
        password: Some(form.password),
        subject: held.subject.clone(),
        topic: held.topic.clone(),
    };
    let uploaded = session
        .client
        .assessment()
        .upload_pdf(&held.filename, held.bytes.clone(), &options)
        .await;
    match uploaded {
        Ok(document) => {
            session.learn.release(&id).await;
            if document.status == DocumentStatus::Processing {
                let mut kept = held;
                kept.document_id = document.id.clone();
                session.learn.hold(kept).await;
            }
            Redirect::to(&format!("/learn/documents/{}", document.id)).into_response()
        }
        Err(e) => {
            let (status, message) = explain(&e);
            again(status, message).await
        }
    }
}

/// `POST /learn/documents/{id}/diagnosis`: an assessment from the document's questions (new
/// ones when it was already taken), then its first question.
pub async fn start_diagnosis(
    State(state): State<WebState>,
    signed_in: SignedIn,
    Path(id): Path<String>,
) -> Response {
    let session = &signed_in.session;
    if !is_plain_id(&id) {
        return missing().render(&state, session);
    }
    if let Err(e) = study::enter(session).await {
        return Problem::from_kiro(&e).render(&state, session);
    }
    let assessment = session.client.assessment();
    let taken = match assessment.assessments(Some(&id)).await {
        Ok(page) => !page.items.is_empty(),
        Err(e) => return Problem::from_kiro(&e).render(&state, session),
    };
    let questions_id = if taken {
        match assessment
            .regenerate_questions(&id, DEFAULT_QUESTION_COUNT)
            .await
        {
            Ok(set) => Some(set.id),
            Err(e) => return document_problem(&e).render(&state, session),
        }
    } else {
        None
    };
    let request = AssessmentCreateRequest {
        title: None,
        pdf_id: id.clone(),
        questions_id,
        time_limit: None,
        passing_score: None,
        status: None,
    };
    match assessment.create_assessment(&request).await {
        Ok(quiz) => {
            Redirect::to(&format!("/learn/quizzes/{}/questions/1", quiz.id)).into_response()
        }
        Err(e) => document_problem(&e).render(&state, session),
    }
}

fn document_problem(error: &kiro_sdk::KiroError) -> Problem {
    match error.code() {
        Some("assessment.document.not_found") => missing(),
        _ => Problem::from_kiro(error).with_link("/learn/upload", "Your documents"),
    }
}

#[cfg(test)]
mod tests {
    use super::pages;

    #[test]
    fn page_numbers_read_as_ranges() {
        assert_eq!(pages(&[1, 2, 3, 7, 9, 10]), "1–3, 7, 9–10");
        assert_eq!(pages(&[4, 4, 5]), "4–5");
        assert_eq!(pages(&[]), "");
        let many: Vec<u32> = (0..20).map(|n| n * 2).collect();
        assert!(pages(&many).ends_with(", …"));
    }
}
