//! Reading `multipart/form-data` uploads: the `file` parts (one, or many for a batch) and
//! the `password`, `subject` and `topic` fields, each refused with a clear error when it is
//! missing, unknown or too large.

use axum::extract::Multipart;
use axum::extract::multipart::MultipartError;
use kiro_types::{ErrorCode, FieldError};

use crate::assessment::Upload;
use crate::error::ApiError;

/// The fields an upload form may carry.
const FIELDS: [&str; 4] = ["file", "password", "subject", "topic"];

/// The files of a form with the shared text fields applied to each.
pub async fn read_uploads(mut form: Multipart, many: bool) -> Result<Vec<Upload>, ApiError> {
    let mut files = Vec::new();
    let mut shared = Upload::default();
    while let Some(field) = form.next_field().await.map_err(multipart_error)? {
        let name = field.name().unwrap_or_default().to_owned();
        match name.as_str() {
            "file" => {
                let filename = field.file_name().unwrap_or("document.pdf").to_owned();
                let bytes = field.bytes().await.map_err(multipart_error)?;
                files.push(Upload {
                    filename,
                    bytes: bytes.to_vec(),
                    ..Upload::default()
                });
            }
            "password" | "subject" | "topic" => {
                let value = field.text().await.map_err(multipart_error)?;
                if value.chars().count() > 1024 {
                    return Err(invalid(&name, "must be at most 1024 characters"));
                }
                match name.as_str() {
                    "password" => shared.password = Some(value),
                    "subject" => shared.subject = Some(value),
                    _ => shared.topic = Some(value),
                }
            }
            other => {
                return Err(invalid(
                    other,
                    &format!("is not a field of this form; send {}", FIELDS.join(", ")),
                ));
            }
        }
    }
    if files.is_empty() {
        return Err(invalid(
            "file",
            "is missing: send the PDF as a multipart/form-data field named `file`",
        ));
    }
    if !many && files.len() > 1 {
        return Err(invalid(
            "file",
            "appears more than once; upload many PDFs with POST /v1/assessment/documents/batch",
        ));
    }
    Ok(files
        .into_iter()
        .map(|f| Upload {
            password: shared.password.clone(),
            subject: shared.subject.clone(),
            topic: shared.topic.clone(),
            ..f
        })
        .collect())
}

fn invalid(field: &str, message: &str) -> ApiError {
    ApiError::validation(vec![FieldError {
        field: field.to_owned(),
        message: message.to_owned(),
    }])
}

fn multipart_error(e: MultipartError) -> ApiError {
    if e.status() == axum::http::StatusCode::PAYLOAD_TOO_LARGE {
        return ApiError::new(
            ErrorCode::AssessmentPdfTooLarge,
            "the upload is larger than the server accepts; PDFs up to 50 MB are accepted — \
             split it by chapter or compress its images",
        );
    }
    ApiError::new(
        ErrorCode::RequestInvalidForm,
        format!(
            "the body is not a readable multipart/form-data upload ({}); send the PDF in a \
             field named `file`",
            e.body_text()
        ),
    )
}
