//! The `conceptpulse` binary: parse the command line and run the command, exiting with the
//! codes of `cli::exit`.

use std::process::ExitCode;

use clap::{CommandFactory, Parser};
use conceptpulse::cli::output::Output;
use conceptpulse::cli::{Cli, Command, account, assess, config, exec, exit, plan, status};
use conceptpulse::settings::{DEFAULT_SERVER, Settings};
use kiro_sdk::ClientConfig;

fn main() -> ExitCode {
    // Started by the sandbox as its helper: run it and nothing else.
    if let Some(code) = kiro_sandbox::init::embedded_helper() {
        return code;
    }
    let cli = Cli::parse();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(e) => {
            eprintln!("conceptpulse: cannot start the runtime: {e}");
            return exit::code(exit::FAILURE);
        }
    };
    exit::code(runtime.block_on(run(cli)))
}

async fn run(cli: Cli) -> u8 {
    let out = Output {
        format: cli.global.output,
    };
    let settings = Settings::resolve(&cli.global);
    match cli.command {
        Command::Up(args) => report(conceptpulse::up::up(args).await),
        Command::Web { listen } => {
            let server = cli
                .global
                .server
                .unwrap_or_else(|| DEFAULT_SERVER.to_owned());
            report(conceptpulse::up::web(server, &listen).await)
        }
        Command::Completions { shell } => {
            let mut command = Cli::command();
            clap_complete::generate(shell, &mut command, "conceptpulse", &mut std::io::stdout());
            exit::OK
        }
        Command::Config { command } => config::run(&settings, out, command),
        Command::Login {
            email,
            password_stdin,
        } => match client_config(&settings, out) {
            Ok(config) => account::login(config, out, &email, password_stdin).await,
            Err(code) => code,
        },
        Command::Logout => match client_config(&settings, out) {
            Ok(config) => account::logout(config, out).await,
            Err(code) => code,
        },
        Command::Status => match client_config(&settings, out) {
            Ok(config) => status::status(config, out).await,
            Err(code) => code,
        },
        Command::Assess { command } => match client_config(&settings, out) {
            Ok(config) => assess::run(config, out, command).await,
            Err(code) => code,
        },
        Command::Exec { command } => match client_config(&settings, out) {
            Ok(config) => exec::run(config, out, command).await,
            Err(code) => code,
        },
        Command::Plan { command } => match client_config(&settings, out) {
            Ok(config) => plan::run(config, out, command).await,
            Err(code) => code,
        },
    }
}

/// The active environment's client configuration, or the exit code of its refusal.
fn client_config(settings: &Settings, out: Output) -> Result<ClientConfig, u8> {
    settings
        .client_config()
        .map_err(|e| out.fail_message(exit::USAGE, &e.to_string()))
}

fn report(result: anyhow::Result<()>) -> u8 {
    match result {
        Ok(()) => exit::OK,
        Err(e) => {
            eprintln!("conceptpulse: {e:#}");
            exit::FAILURE
        }
    }
}
