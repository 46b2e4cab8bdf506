//! `conceptpulse assess documents`: every document of the workspace, newest first (all pages
//! of the list followed), as a table or a JSON array of `PdfUploadResult`s.

use kiro_sdk::KiroClient;
use kiro_sdk::kiro_types::assessment::{DocumentStatus, PdfUploadResult};

use super::render;
use crate::cli::exit;
use crate::cli::output::{Output, table};

/// `conceptpulse assess documents`.
pub async fn documents(client: &KiroClient, out: Output) -> u8 {
    let assessment = client.assessment();
    let mut documents = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        match assessment.documents(cursor.as_deref()).await {
            Ok(page) => {
                documents.extend(page.items);
                match page.next_cursor {
                    Some(next) => cursor = Some(next),
                    None => break,
                }
            }
            Err(e) => return out.fail(&e),
        }
    }
    out.emit(&documents, |d| human(d));
    exit::OK
}

fn human(documents: &[PdfUploadResult]) -> String {
    if documents.is_empty() {
        return "No documents yet. Upload one: conceptpulse assess upload notes.pdf".to_owned();
    }
    let rows = documents.iter().map(|d| {
        let status = match (&d.status, &d.failure) {
            (DocumentStatus::Failed, Some(f)) => format!("failed: {}", f.code),
            (DocumentStatus::Processing, _) => format!("processing {} %", d.progress),
            (status, _) => status.as_str().to_owned(),
        };
        vec![
            d.id.clone(),
            render::clip(&d.filename, 40),
            status,
            d.page_count.to_string(),
            d.topic.clone().unwrap_or_default(),
            d.subject.clone().unwrap_or_default(),
            render::minute(&d.uploaded_at),
        ]
    });
    table(
        &[
            "ID", "File", "Status", "Pages", "Topic", "Subject", "Uploaded",
        ],
        rows,
    )
}
