//! `GET/POST /learn/upload`: the upload form (subject, optional topic, the PDF, and the
//! password of a protected one) and the learner's documents. The form posts
//! `multipart/form-data` here and the file goes on to Kiro through kiro-sdk; a refusal
//! re-renders the form with Kiro's explanation and what was typed (never the password), and
//! an accepted file leads to its processing page.

use askama::Template;
use axum::extract::multipart::MultipartRejection;
use axum::extract::{Multipart, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use kiro_sdk::UploadOptions;
use kiro_sdk::kiro_types::assessment::{DocumentStatus, MAX_PDF_BYTES, PdfUploadResult};
use serde::Deserialize;

use super::problem::{Frame, Problem, explain};
use super::state::HeldUpload;
use super::study;
use crate::web::session::{Session, SignedIn};
use crate::web::{WebState, render};

/// The largest upload request the UI reads: the largest PDF Kiro takes plus room for the
/// form's other fields.
pub const UPLOAD_LIMIT: usize = MAX_PDF_BYTES as usize + 1024 * 1024;
/// The longest subject or topic, in characters.
const MAX_LABEL: usize = 200;

/// One of the learner's documents.
pub struct DocumentRow {
    pub id: String,
    pub filename: String,
    pub status: &'static str,
    pub topic: String,
    pub uploaded: String,
}

impl DocumentRow {
    fn of(document: &PdfUploadResult) -> Self {
        Self {
            id: document.id.clone(),
            filename: document.filename.clone(),
            status: document.status.as_str(),
            topic: document.topic.clone().unwrap_or_default(),
            uploaded: document.uploaded_at.format("%Y-%m-%d %H:%M").to_string(),
        }
    }
}

#[derive(Template)]
#[template(path = "learn/upload.html")]
struct UploadPage {
    active: &'static str,
    status: &'static str,
    user_name: String,
    workspace: String,
    subject: String,
    topic: String,
    error: Option<String>,
    documents: Vec<DocumentRow>,
}

/// `?subject=&topic=`: values to start the form with.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct Prefill {
    subject: String,
    topic: String,
}

/// What the form sent.
#[derive(Debug, Default)]
struct Fields {
    subject: String,
    topic: String,
    password: String,
    file: Option<(String, Vec<u8>)>,
}

pub async fn upload_page(
    State(state): State<WebState>,
    signed_in: SignedIn,
    Query(prefill): Query<Prefill>,
) -> Response {
    let page = form_page(&state, &signed_in.session, prefill.subject, prefill.topic).await;
    match page {
        Ok(page) => render::ok(&page),
        Err(problem) => problem.render(&state, &signed_in.session),
    }
}

pub async fn upload(
    State(state): State<WebState>,
    signed_in: SignedIn,
    form: Result<Multipart, MultipartRejection>,
) -> Response {
    let session = &signed_in.session;
    let fields = match form {
        Ok(form) => read(form).await,
        Err(_) => Err((
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "The form could not be read: send it from the upload page (multipart/form-data)."
                .to_owned(),
        )),
    };
    let fields = match fields {
        Ok(fields) => fields,
        Err((status, message)) => {
            return refuse(&state, session, Fields::default(), status, message).await;
        }
    };
    let subject = fields.subject.trim().to_owned();
    let topic = fields.topic.trim().to_owned();
    let problem = if subject.is_empty() {
        Some("Name the subject these notes are for (for example: Statistics).")
    } else if subject.chars().count() > MAX_LABEL || topic.chars().count() > MAX_LABEL {
        Some("Keep the subject and the topic under 200 characters each.")
    } else if fields.file.is_none() {
        Some("Choose the PDF file to upload.")
    } else {
        None
    };
    if let Some(message) = problem {
        let status = StatusCode::UNPROCESSABLE_ENTITY;
        return refuse(&state, session, fields, status, message.to_owned()).await;
    }
    if let Err(e) = study::enter(session).await {
        let (status, message) = explain(&e);
        return refuse(&state, session, fields, status, message).await;
    }
    let Some((filename, bytes)) = fields.file.clone() else {
        return refuse(
            &state,
            session,
            fields,
            StatusCode::UNPROCESSABLE_ENTITY,
            "Choose the PDF file to upload.".into(),
        )
        .await;
    };
    let options = UploadOptions {
        password: Some(fields.password.clone()).filter(|p| !p.is_empty()),
        subject: Some(subject.clone()),
        topic: Some(topic.clone()).filter(|t| !t.is_empty()),
    };
    let assessment = session.client.assessment();
    match assessment
        .upload_pdf(&filename, bytes.clone(), &options)
        .await
    {
        Ok(document) => {
            if document.status == DocumentStatus::Processing {
                session
                    .learn
                    .hold(HeldUpload {
                        document_id: document.id.clone(),
                        filename,
                        bytes,
                        subject: options.subject,
                        topic: options.topic,
                    })
                    .await;
            }
            Redirect::to(&format!("/learn/documents/{}", document.id)).into_response()
        }
        Err(e) => {
            let (status, message) = explain(&e);
            refuse(&state, session, fields, status, message).await
        }
    }
}

/// The form's fields; a body too large or unreadable is refused with what to do.
async fn read(mut form: Multipart) -> Result<Fields, (StatusCode, String)> {
    let mut fields = Fields::default();
    loop {
        let field = match form.next_field().await {
            Ok(Some(field)) => field,
            Ok(None) => return Ok(fields),
            Err(e) => return Err(unreadable(e.status())),
        };
        let name = field.name().unwrap_or_default().to_owned();
        if name == "file" {
            let filename = field.file_name().unwrap_or_default().trim().to_owned();
            let bytes = field.bytes().await.map_err(|e| unreadable(e.status()))?;
            // A form sent without choosing a file has a nameless, empty file part.
            if !(filename.is_empty() && bytes.is_empty()) {
                let filename = if filename.is_empty() {
                    "document.pdf".to_owned()
                } else {
                    filename
                };
                fields.file = Some((filename, bytes.to_vec()));
            }
            continue;
        }
        let text = field.text().await.map_err(|e| unreadable(e.status()))?;
        match name.as_str() {
            "subject" => fields.subject = text,
            "topic" => fields.topic = text,
            "password" => fields.password = text,
            _ => {}
        }
    }
}

fn unreadable(status: StatusCode) -> (StatusCode, String) {
    if status == StatusCode::PAYLOAD_TOO_LARGE {
        (
            status,
            "The file is larger than the 50 MB Kiro accepts. Split the PDF into parts (by chapter) \
             or compress its images, then upload each part."
                .to_owned(),
        )
    } else {
        (
            StatusCode::BAD_REQUEST,
            "The upload was cut short or is not a form this page sent. Choose the file again and \
             upload it."
                .to_owned(),
        )
    }
}

/// The form again with `message`, keeping the subject and topic typed.
async fn refuse(
    state: &WebState,
    session: &Session,
    fields: Fields,
    status: StatusCode,
    message: String,
) -> Response {
    match form_page(state, session, fields.subject, fields.topic).await {
        Ok(mut page) => {
            page.error = Some(message);
            render::page(status, &page)
        }
        Err(problem) => problem.render(state, session),
    }
}

async fn form_page(
    state: &WebState,
    session: &Session,
    subject: String,
    topic: String,
) -> Result<UploadPage, Problem> {
    let frame = Frame::of(state, session);
    let (workspace, documents) = match study::enter(session).await {
        Ok(study) => {
            let documents = session
                .client
                .assessment()
                .documents(None)
                .await
                .map(|page| page.items.iter().map(DocumentRow::of).collect())
                .unwrap_or_default();
            (study.name, documents)
        }
        Err(e) => return Err(Problem::from_kiro(&e)),
    };
    Ok(UploadPage {
        active: "upload",
        status: frame.status,
        user_name: frame.user_name,
        workspace,
        subject: subject.trim().to_owned(),
        topic: topic.trim().to_owned(),
        error: None,
        documents,
    })
}
