//! `conceptpulse exec …`: sandboxed code runs from the terminal over kiro-sdk's execution
//! client — run a file with its input, limits, arguments and extra files (as a job whose
//! output streams in, or synchronously); list, inspect, cancel and follow jobs; manage
//! containers and run commands in them; list the environments and what the server's host
//! supports.

mod args;
mod containers;
mod environments;
mod follow;
mod jobs;
mod run;
mod stream;

pub use args::{ContainerCommand, ContainerExecArgs, ExecCommand, JobsArgs, RunArgs};
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
        ExecCommand::Container {
            command: ContainerCommand::Exec(args),
        } => match containers::exec_request(args) {
            Ok(_) => None,
            Err(message) => return out.fail_message(exit::USAGE, &message),
        },
        _ => None,
    };
    let client = match super::session::signed_in(config, out).await {
        Ok(client) => client,
        Err(code) => return code,
    };
    match command {
        ExecCommand::Run(args) => match request {
            Some(request) if args.sync => run::run_sync(&client, out, request).await,
            Some(request) => stream::run_as_job(&client, out, &request).await,
            None => exit::FAILURE,
        },
        ExecCommand::Envs => environments::environments(&client, out).await,
        ExecCommand::Capabilities => environments::capabilities(&client, out).await,
        ExecCommand::Jobs(args) => jobs::jobs(&client, out, args).await,
        ExecCommand::Job { id } => jobs::job(&client, out, &id).await,
        ExecCommand::Cancel { id } => jobs::cancel(&client, out, &id).await,
        ExecCommand::Logs { id, follow } => jobs::logs(&client, out, &id, follow).await,
        ExecCommand::Containers => containers::list(&client, out).await,
        ExecCommand::Container { command } => containers::container(&client, out, command).await,
    }
}
