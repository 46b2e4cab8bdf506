//! `conceptpulse assess upload FILE…`: one PDF through the upload endpoint, many through the
//! batch endpoint (each file's outcome on its own), then the server's processing followed to
//! the end, the topics found, and with `--questions N` N new questions per document. A bad
//! file prints the server's message and suggestion and exits 5; so does a batch in which any
//! file failed.

use std::io::Read;
use std::path::PathBuf;
use std::time::Duration;

use kiro_sdk::kiro_types::assessment::{
    BatchFileResult, DocumentFailure, DocumentStatus, GeneratedQuestions, PdfUploadResult,
    QuestionGenerationOptions, TopicAnalysis,
};
use kiro_sdk::{KiroClient, KiroError, UploadOptions};
use serde::Serialize;
use serde_json::json;

use super::args::UploadArgs;
use super::questions::{question_table, wire_name};
use super::{processing, render};
use crate::cli::exit;
use crate::cli::output::{Output, error_detail, table};

/// What became of one file.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct FileOutcome {
    filename: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    document: Option<PdfUploadResult>,
    #[serde(skip_serializing_if = "Option::is_none")]
    topics: Option<TopicAnalysis>,
    #[serde(skip_serializing_if = "Option::is_none")]
    questions: Option<GeneratedQuestions>,
    #[serde(skip_serializing_if = "Option::is_none")]
    error: Option<FileError>,
}

/// Why a file could not be used: the server's code, message and suggestion.
#[derive(Debug, Serialize)]
struct FileError {
    code: String,
    message: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    suggestion: Option<String>,
}

impl From<DocumentFailure> for FileError {
    fn from(failure: DocumentFailure) -> Self {
        Self {
            code: failure.code,
            message: failure.message,
            suggestion: Some(failure.suggestion),
        }
    }
}

#[derive(Debug, Serialize)]
struct UploadOut {
    files: Vec<FileOutcome>,
    completed: usize,
    failed: usize,
}

/// The password of encrypted PDFs, from standard input (one line; the newline dropped).
pub fn read_password() -> Result<String, String> {
    let mut password = String::new();
    std::io::stdin()
        .read_to_string(&mut password)
        .map_err(|e| format!("cannot read the PDF password from stdin: {e}"))?;
    let password = password.trim_end_matches(['\r', '\n']).to_owned();
    if password.is_empty() {
        return Err("the PDF password on stdin is empty".into());
    }
    Ok(password)
}

/// `conceptpulse assess upload FILE… [--questions N] [--password-stdin] [--subject S] [--topic T]`.
pub async fn upload(
    client: &KiroClient,
    out: Output,
    args: UploadArgs,
    password: Option<String>,
) -> u8 {
    let files = match read_files(&args.files) {
        Ok(files) => files,
        Err(message) => return out.fail_message(exit::USAGE, &message),
    };
    let options = UploadOptions {
        password,
        subject: args.subject.clone(),
        topic: args.topic.clone(),
    };
    let assessment = client.assessment();
    let single = files.len() == 1;
    let mut outcomes: Vec<FileOutcome> = match <[_; 1]>::try_from(files) {
        Ok([(name, bytes)]) => match assessment.upload_pdf(&name, bytes, &options).await {
            Ok(document) => vec![FileOutcome::accepted(name, document)],
            Err(e) => return refused(out, &name, &e),
        },
        Err(files) => match assessment.process_batch_pdfs(files, &options).await {
            Ok(batch) => batch.items.into_iter().map(FileOutcome::from).collect(),
            Err(e) => return out.fail(&e),
        },
    };

    let mut documents: Vec<&mut PdfUploadResult> = outcomes
        .iter_mut()
        .filter_map(|o| o.document.as_mut())
        .collect();
    let timeout = Duration::from_secs(args.timeout);
    match processing::follow(client, out.format, &mut documents, timeout).await {
        Ok(true) => {}
        Ok(false) => {
            let message = format!(
                "the server is still processing after {} s; see `conceptpulse assess documents` \
                 later, or wait longer with --timeout",
                args.timeout
            );
            return out.fail_message(exit::FAILURE, &message);
        }
        Err(e) => return out.fail(&e),
    }

    for outcome in &mut outcomes {
        if let Err(e) = outcome.finish(client, args.questions).await {
            return out.fail(&e);
        }
    }
    let failed = outcomes.iter().filter(|o| o.error.is_some()).count();
    if single && failed == 1 {
        return failed_one(out, &outcomes[0]);
    }
    let value = UploadOut {
        completed: outcomes.len() - failed,
        failed,
        files: outcomes,
    };
    out.emit(&value, human);
    if failed > 0 { exit::API } else { exit::OK }
}

fn read_files(paths: &[PathBuf]) -> Result<Vec<(String, Vec<u8>)>, String> {
    paths
        .iter()
        .map(|path| {
            let bytes =
                std::fs::read(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
            let name = path.file_name().map_or_else(
                || path.display().to_string(),
                |n| n.to_string_lossy().into_owned(),
            );
            Ok((name, bytes))
        })
        .collect()
}

impl FileOutcome {
    fn accepted(filename: String, document: PdfUploadResult) -> Self {
        Self {
            filename,
            document: Some(document),
            topics: None,
            questions: None,
            error: None,
        }
    }

    /// After processing: the failure, or the topics (and `questions` new questions).
    async fn finish(
        &mut self,
        client: &KiroClient,
        questions: Option<u32>,
    ) -> Result<(), KiroError> {
        let Some(document) = &self.document else {
            return Ok(());
        };
        match document.status {
            DocumentStatus::Failed => {
                let failure = document.failure.clone().unwrap_or(DocumentFailure {
                    code: "assessment.document.failed".into(),
                    message: "the document could not be processed".into(),
                    suggestion: "Upload it again, or another copy of it.".into(),
                });
                self.error = Some(failure.into());
            }
            DocumentStatus::Completed => {
                let assessment = client.assessment();
                self.topics = Some(assessment.analyze_topics(&document.id).await?);
                if let Some(count) = questions {
                    let options = QuestionGenerationOptions {
                        count: Some(count),
                        ..QuestionGenerationOptions::default()
                    };
                    self.questions = Some(
                        assessment
                            .generate_questions(&document.id, &options)
                            .await?,
                    );
                }
            }
            DocumentStatus::Processing => {}
        }
        Ok(())
    }
}

impl From<BatchFileResult> for FileOutcome {
    fn from(item: BatchFileResult) -> Self {
        let error = item.error.map(|e| FileError {
            code: e.code,
            message: e.message,
            suggestion: None,
        });
        Self {
            filename: item.filename,
            document: item.document,
            topics: None,
            questions: None,
            error,
        }
    }
}

/// A single file the server refused on upload.
fn refused(out: Output, filename: &str, error: &KiroError) -> u8 {
    let KiroError::Api(api) = error else {
        return out.fail(error);
    };
    if !api.code.starts_with("assessment.pdf.") {
        return out.fail(error);
    }
    let mut detail = error_detail(error);
    detail["filename"] = json!(filename);
    out.fail_with(
        exit::for_error(error),
        detail,
        &format!("{filename}: {}", api.message),
    )
}

/// A single file whose processing failed.
fn failed_one(out: Output, outcome: &FileOutcome) -> u8 {
    let error = outcome.error.as_ref();
    let code = error.map_or("assessment.document.failed", |e| e.code.as_str());
    let message = error.map_or("", |e| e.message.as_str());
    let suggestion = error.and_then(|e| e.suggestion.as_deref()).unwrap_or("");
    let detail = json!({
        "kind": "api", "code": code, "message": message, "suggestion": suggestion,
        "filename": outcome.filename,
        "documentId": outcome.document.as_ref().map(|d| d.id.clone()),
    });
    let mut human = format!("{}: {message}.\n  {suggestion}", outcome.filename);
    if let Some(hint) = cli_hint(code) {
        human.push_str(&format!("\n  {hint}"));
    }
    out.fail_with(exit::API, detail, &human)
}

/// What to do with the CLI, where the server's suggestion speaks of form fields.
fn cli_hint(code: &str) -> Option<&'static str> {
    matches!(
        code,
        "assessment.pdf.encrypted" | "assessment.pdf.wrong_password"
    )
    .then_some(
        "With the CLI: printf '%s' 'PASSWORD' | conceptpulse assess upload FILE --password-stdin",
    )
}

fn human(upload: &UploadOut) -> String {
    let mut blocks = Vec::new();
    for outcome in &upload.files {
        blocks.push(match (&outcome.error, &outcome.document) {
            (Some(error), _) => {
                let mut text = format!("✗ {}: {}", outcome.filename, error.message);
                for line in error
                    .suggestion
                    .as_deref()
                    .into_iter()
                    .chain(cli_hint(&error.code))
                {
                    text.push_str(&format!("\n  {line}"));
                }
                text
            }
            (None, Some(document)) => completed(outcome, document),
            (None, None) => format!("? {}: no outcome", outcome.filename),
        });
    }
    if upload.files.len() > 1 {
        blocks.push(format!(
            "{} completed, {} failed.",
            upload.completed, upload.failed
        ));
    }
    blocks.join("\n\n")
}

fn completed(outcome: &FileOutcome, document: &PdfUploadResult) -> String {
    let mut text = format!(
        "✓ {}: document {}, {}",
        outcome.filename,
        document.id,
        render::plural(document.page_count, "page")
    );
    if let Some(language) = &document.language {
        text.push_str(&format!(", language {language}"));
    }
    let Some(topics) = &outcome.topics else {
        return text;
    };
    text.push_str(&format!(
        ", {}, about {} to read",
        wire_name(&topics.complexity),
        render::duration(topics.estimated_reading_time.saturating_mul(60))
    ));
    if let Some(topic) = &document.topic {
        text.push_str(&format!("\nTopic: {topic}"));
    }
    let rows = topics.topics.iter().take(10).map(|t| {
        vec![
            t.name.clone(),
            format!("{:.2}", t.importance),
            render::percent(t.coverage),
            render::page_ranges(&t.pages),
            render::clip(&t.keywords.join(", "), 60),
        ]
    });
    text.push_str(&format!(
        "\n{}",
        table(
            &["Topic", "Importance", "Coverage", "Pages", "Keywords"],
            rows
        )
    ));
    if !topics.key_terms.is_empty() {
        let terms: Vec<_> = topics.key_terms.iter().take(12).cloned().collect();
        text.push_str(&format!("\nKey terms: {}", terms.join(", ")));
    }
    if let Some(questions) = &outcome.questions {
        text.push_str(&format!(
            "\n{} questions:\n{}",
            questions.questions.len(),
            question_table(&questions.questions, false)
        ));
    }
    text.push_str(&format!(
        "\nTake a quiz: conceptpulse assess quiz {}",
        document.id
    ));
    text
}
