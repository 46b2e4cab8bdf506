//! `conceptpulse exec …`: sandboxed code runs from the terminal over kiro-sdk's execution
//! client — run a file with its input, limits, arguments and extra files; list the
//! environments; show what the server's host supports.

mod args;
mod environments;
mod run;

pub use args::{ExecCommand, RunArgs};
use kiro_sdk::ClientConfig;

use super::exit;
use super::output::Output;

/// Runs one `exec` subcommand with a signed-in client; returns the exit code.
pub async fn run(config: ClientConfig, out: Output, command: ExecCommand) -> u8 {
    // Read the files before connecting: a typo fails at once, without a round trip.
    let request = match &command {
        ExecCommand::Run(args) => match run::request(args) {
            Ok(request) => Some(request),
            Err(message) => return out.fail_message(exit::USAGE, &message),
        },
        _ => None,
    };
    let client = match super::session::signed_in(config, out).await {
        Ok(client) => client,
        Err(code) => return code,
    };
    match (command, request) {
        (ExecCommand::Run(_), Some(request)) => run::run(&client, out, request).await,
        (ExecCommand::Envs, _) => environments::environments(&client, out).await,
        (ExecCommand::Capabilities, _) => environments::capabilities(&client, out).await,
        (ExecCommand::Run(_), None) => exit::FAILURE,
    }
}
