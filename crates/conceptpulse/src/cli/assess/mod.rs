//! `conceptpulse assess …`: the learning loop from the terminal over kiro-sdk's assessment
//! client — upload PDFs and follow their processing, list documents, show or generate
//! questions, take a quiz (interactive, or with answers piped on stdin), read the learning
//! report, correction lessons and spaced revisions. Every command prints tables for people
//! and one JSON document with `--output json`, and exits with the codes of `cli::exit`.

mod args;
mod ask;
mod choices;
mod documents;
mod lesson;
mod processing;
mod questions;
mod quiz;
mod render;
mod report;
mod result;
mod revise;
mod upload;

pub use args::{
    AssessCommand, DifficultyArg, KindArg, QuestionsArgs, QuizArgs, RecallArg, ReportArgs,
    ReviseArgs, UploadArgs,
};
use kiro_sdk::ClientConfig;

use super::output::Output;

/// Runs one `assess` subcommand with a signed-in client; returns the exit code.
pub async fn run(config: ClientConfig, out: Output, command: AssessCommand) -> u8 {
    // Read what stdin holds for the command before anything else uses the terminal.
    let password = match &command {
        AssessCommand::Upload(args) if args.password_stdin => match upload::read_password() {
            Ok(password) => Some(password),
            Err(message) => return out.fail_message(super::exit::USAGE, &message),
        },
        _ => None,
    };
    let client = match super::session::signed_in(config, out).await {
        Ok(client) => client,
        Err(code) => return code,
    };
    match command {
        AssessCommand::Upload(args) => upload::upload(&client, out, args, password).await,
        AssessCommand::Documents => documents::documents(&client, out).await,
        AssessCommand::Questions(args) => questions::questions(&client, out, args).await,
        AssessCommand::Quiz(args) => quiz::quiz(&client, out, args).await,
        AssessCommand::Report(args) => report::report(&client, out, args).await,
        AssessCommand::Lesson { document, topic } => {
            lesson::lesson(&client, out, &document, &topic).await
        }
        AssessCommand::Revise(args) => revise::revise(&client, out, args).await,
    }
}
