//! The `conceptpulse` binary: parse the command line and run the command, exiting with the
//! codes of `cli::exit`.

use std::process::ExitCode;

use clap::{CommandFactory, Parser};
use conceptpulse::cli::output::Output;
use conceptpulse::cli::{Cli, Command, account, exit, status};
use conceptpulse::settings::{DEFAULT_SERVER, Settings};

fn main() -> ExitCode {
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
        Command::Login {
            email,
            password_stdin,
        } => account::login(&settings, out, &email, password_stdin).await,
        Command::Logout => account::logout(&settings, out).await,
        Command::Status => status::status(&settings, out).await,
        Command::Completions { shell } => {
            let mut command = Cli::command();
            clap_complete::generate(shell, &mut command, "conceptpulse", &mut std::io::stdout());
            exit::OK
        }
    }
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
