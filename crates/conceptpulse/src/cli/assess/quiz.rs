//! `conceptpulse assess quiz DOC|ASSESSMENT`: a quiz in the terminal. An assessment id is
//! taken as it is; a document id quizzes on the document's latest questions (or `--count N`
//! new ones), and the assessment is created from them only once every answer is in, so a
//! quiz abandoned half-way leaves nothing behind. The questions are asked on stderr one at a
//! time with answers read from stdin (a terminal or a pipe), submitted together and graded by
//! the server; the result goes to stdout.

use std::io::{IsTerminal, Write};
use std::time::Duration;

use kiro_sdk::kiro_types::assessment::{
    AnswerIn, Assessment, AssessmentCreateRequest, AssessmentStatus, DocumentStatus, Question,
    StudentAnswers,
};
use kiro_sdk::{KiroClient, KiroError};
use serde_json::json;

use super::args::QuizArgs;
use super::ask::{AskError, ask_all};
use super::result::{QuizOut, human};
use super::{processing, render};
use crate::cli::output::{Output, error_detail};
use crate::cli::{OutputFormat, exit};

/// How long a quiz on a document still being processed waits for it.
const PROCESSING: Duration = Duration::from_secs(600);

/// What the quiz is on.
enum Source {
    /// An existing assessment.
    Assessment(Assessment),
    /// A document's question set, to become an assessment once answered.
    Document {
        pdf_id: String,
        questions_id: String,
    },
}

/// A quiz ready to be asked.
struct Prepared {
    title: String,
    questions: Vec<Question>,
    time_limit: Option<u32>,
    source: Source,
}

/// `conceptpulse assess quiz ID [--count N]`.
pub async fn quiz(client: &KiroClient, out: Output, args: QuizArgs) -> u8 {
    let prepared = match prepare(client, out, &args).await {
        Ok(prepared) => prepared,
        Err(code) => return code,
    };
    let answers = match ask(out, &prepared).await {
        Ok(answers) => answers,
        Err(code) => return code,
    };
    let assessment = client.assessment();
    let quiz = match prepared.source {
        Source::Assessment(quiz) => quiz,
        Source::Document {
            pdf_id,
            questions_id,
        } => {
            let request = AssessmentCreateRequest {
                title: None,
                pdf_id,
                questions_id: Some(questions_id),
                time_limit: None,
                passing_score: None,
                status: None,
            };
            match assessment.create_assessment(&request).await {
                Ok(quiz) => quiz,
                Err(e) => return out.fail(&e),
            }
        }
    };
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

/// Asks every question; the answers, or the exit code of why they could not all be read.
async fn ask(out: Output, quiz: &Prepared) -> Result<Vec<AnswerIn>, u8> {
    let interactive = std::io::stdin().is_terminal();
    let quiet = out.format == OutputFormat::Json && !interactive;
    if !quiet {
        let limit = quiz
            .time_limit
            .map(|s| format!(", {} allowed", render::duration(s)))
            .unwrap_or_default();
        eprintln!(
            "{} · {} questions{limit}. Type the letter of a choice, or your answer; an empty \
             line skips.\n",
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
    match asked {
        Ok(Ok(answers)) => Ok(answers),
        Ok(Err(e @ AskError::Io(_))) => Err(out.fail_message(exit::FAILURE, &e.to_string())),
        Ok(Err(e)) => Err(out.fail_message(exit::USAGE, &e.to_string())),
        Err(e) => Err(out.fail_message(exit::FAILURE, &format!("the quiz stopped: {e}"))),
    }
}

/// The quiz `args.id` names: an active assessment, or a document's questions.
async fn prepare(client: &KiroClient, out: Output, args: &QuizArgs) -> Result<Prepared, u8> {
    let assessment = client.assessment();
    let mut document = match assessment.document(&args.id).await {
        Ok(document) => document,
        Err(e) if e.code() == Some("assessment.document.not_found") => {
            if args.count.is_some() {
                return Err(out.fail_message(
                    exit::USAGE,
                    "--count needs a document id: an assessment's questions are fixed",
                ));
            }
            let quiz = assessment.assessment(&args.id).await.map_err(|e| {
                if e.code() == Some("assessment.assessment.not_found") {
                    not_found(out, &args.id, &e)
                } else {
                    out.fail(&e)
                }
            })?;
            return taken_as_is(out, quiz);
        }
        Err(e) => return Err(out.fail(&e)),
    };
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
    let set = match args.count {
        Some(count) => assessment.regenerate_questions(&document.id, count).await,
        None => assessment.latest_questions(&document.id).await,
    }
    .map_err(|e| out.fail(&e))?;
    if set.questions.is_empty() {
        return Err(out.fail_message(
            exit::API,
            "the document has no questions to ask; generate some with \
             `conceptpulse assess questions DOC --regenerate`",
        ));
    }
    let about = document.topic.as_deref().unwrap_or(&document.filename);
    Ok(Prepared {
        title: format!("Quiz: {about}"),
        questions: set.questions,
        time_limit: None,
        source: Source::Document {
            pdf_id: document.id,
            questions_id: set.id,
        },
    })
}

/// An existing assessment, if it takes answers.
fn taken_as_is(out: Output, quiz: Assessment) -> Result<Prepared, u8> {
    if quiz.status != AssessmentStatus::Active {
        let message = format!(
            "assessment {} is {}, not active: it takes no answers. Start a new one with \
             `conceptpulse assess quiz {}`",
            quiz.id,
            quiz.status.as_str(),
            quiz.pdf_id
        );
        return Err(out.fail_message(exit::API, &message));
    }
    Ok(Prepared {
        title: quiz.title.clone(),
        questions: quiz.questions.clone(),
        time_limit: quiz.time_limit,
        source: Source::Assessment(quiz),
    })
}

fn not_found(out: Output, id: &str, error: &KiroError) -> u8 {
    let mut detail = error_detail(error);
    detail["message"] = json!(format!("no document or assessment has the id {id}"));
    out.fail_with(
        exit::for_error(error),
        detail,
        &format!(
            "no document or assessment has the id {id}; list the documents with \
             `conceptpulse assess documents`"
        ),
    )
}
