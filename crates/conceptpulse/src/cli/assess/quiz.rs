//! `conceptpulse assess quiz DOC|ASSESSMENT`: a quiz in the terminal. A document id gets a
//! new assessment from the document's latest questions (or `--count N` new ones); an
//! assessment id is taken as it is. The questions are asked on stderr one at a time with
//! answers read from stdin (a terminal or a pipe), then submitted together and graded by the
//! server; the result goes to stdout.

use std::io::{IsTerminal, Write};
use std::time::Duration;

use kiro_sdk::kiro_types::assessment::{
    Assessment, AssessmentCreateRequest, AssessmentStatus, DocumentStatus, StudentAnswers,
};
use kiro_sdk::{AssessmentClient, KiroClient, KiroError};
use serde_json::json;

use super::args::QuizArgs;
use super::ask::{AskError, ask_all};
use super::result::{QuizOut, human};
use super::{processing, render};
use crate::cli::output::Output;
use crate::cli::{OutputFormat, exit};

/// How long a quiz on a document still being processed waits for it.
const PROCESSING: Duration = Duration::from_secs(600);

/// `conceptpulse assess quiz ID [--count N]`.
pub async fn quiz(client: &KiroClient, out: Output, args: QuizArgs) -> u8 {
    let quiz = match prepare(client, out, &args).await {
        Ok(quiz) => quiz,
        Err(code) => return code,
    };
    if quiz.status != AssessmentStatus::Active {
        let message = format!(
            "assessment {} is {}, not active: it takes no answers. Start a new one with \
             `conceptpulse assess quiz {}`",
            quiz.id,
            quiz.status.as_str(),
            quiz.pdf_id
        );
        return out.fail_message(exit::API, &message);
    }
    let interactive = std::io::stdin().is_terminal();
    let quiet = out.format == OutputFormat::Json && !interactive;
    if !quiet {
        let limit = quiz
            .time_limit
            .map(|s| format!(", {} allowed", render::duration(s)))
            .unwrap_or_default();
        eprintln!(
            "{}: {} questions{limit}. Type the letter of a choice, or your answer; Enter on an \
             empty line skips.\n",
            quiz.title,
            quiz.questions.len()
        );
    }
    let questions = quiz.questions.clone();
    let asked = tokio::task::spawn_blocking(move || {
        let mut input = std::io::stdin().lock();
        let mut prompt: Box<dyn Write> = if quiet {
            Box::new(std::io::sink())
        } else {
            Box::new(std::io::stderr())
        };
        ask_all(&questions, &mut input, &mut prompt, interactive)
    })
    .await;
    let answers = match asked {
        Ok(Ok(answers)) => answers,
        Ok(Err(e @ AskError::Io(_))) => return out.fail_message(exit::FAILURE, &e.to_string()),
        Ok(Err(e)) => return out.fail_message(exit::USAGE, &e.to_string()),
        Err(e) => return out.fail_message(exit::FAILURE, &format!("the quiz stopped: {e}")),
    };
    let assessment = client.assessment();
    let result = match assessment
        .submit_answers(&quiz.id, &StudentAnswers { answers })
        .await
    {
        Ok(result) => result,
        Err(e) => return out.fail(&e),
    };
    let weaknesses = if result.topic_scores.iter().any(|t| t.weakness) {
        match assessment.topic_weaknesses(&quiz.id, None).await {
            Ok(weaknesses) => weaknesses,
            Err(e) => return out.fail(&e),
        }
    } else {
        Vec::new()
    };
    out.emit(&QuizOut::new(&quiz, result, weaknesses), human);
    exit::OK
}

/// The assessment to take: the one named, or a new one from the document named.
async fn prepare(client: &KiroClient, out: Output, args: &QuizArgs) -> Result<Assessment, u8> {
    let assessment = client.assessment();
    let document = match assessment.document(&args.id).await {
        Ok(document) => document,
        Err(e) if e.code() == Some("assessment.document.not_found") => {
            if args.count.is_some() {
                return Err(out.fail_message(
                    exit::USAGE,
                    "--count needs a document id: an assessment's questions are fixed",
                ));
            }
            return assessment.assessment(&args.id).await.map_err(|e| {
                if e.code() == Some("assessment.assessment.not_found") {
                    not_found(out, &args.id, &e)
                } else {
                    out.fail(&e)
                }
            });
        }
        Err(e) => return Err(out.fail(&e)),
    };
    let mut document = document;
    if document.status == DocumentStatus::Processing {
        match processing::follow(client, out.format, &mut [&mut document], PROCESSING).await {
            Ok(true) => {}
            Ok(false) => {
                return Err(out.fail_message(
                    exit::FAILURE,
                    "the document is still being processed; try again in a moment",
                ));
            }
            Err(e) => return Err(out.fail(&e)),
        }
    }
    if let (DocumentStatus::Failed, Some(failure)) = (&document.status, &document.failure) {
        let detail = json!({
            "kind": "api", "code": failure.code, "message": failure.message,
            "suggestion": failure.suggestion, "documentId": document.id,
        });
        let human = format!(
            "{} could not be processed: {}.\n  {}",
            document.filename, failure.message, failure.suggestion
        );
        return Err(out.fail_with(exit::API, detail, &human));
    }
    create(&assessment, &document.id, &document.filename, args.count)
        .await
        .map_err(|e| out.fail(&e))
}

async fn create(
    assessment: &AssessmentClient,
    pdf_id: &str,
    filename: &str,
    count: Option<u32>,
) -> Result<Assessment, KiroError> {
    let questions_id = match count {
        Some(count) => Some(assessment.regenerate_questions(pdf_id, count).await?.id),
        None => None,
    };
    let title = filename.strip_suffix(".pdf").unwrap_or(filename);
    assessment
        .create_assessment(&AssessmentCreateRequest {
            title: Some(format!("Quiz on {}", render::clip(title, 180))),
            pdf_id: pdf_id.to_owned(),
            questions_id,
            time_limit: None,
            passing_score: None,
            status: None,
        })
        .await
}

fn not_found(out: Output, id: &str, error: &KiroError) -> u8 {
    let mut detail = crate::cli::output::error_detail(error);
    detail["message"] = json!(format!("no document or assessment has the id {id}"));
    out.fail_with(
        exit::for_error(error),
        detail,
        &format!(
            "no document or assessment has the id {id}; list them with `conceptpulse assess documents`"
        ),
    )
}
