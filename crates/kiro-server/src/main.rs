//! The `kiro-server` binary: parse the command line, load configuration, and run a command.

use std::io::Write;
use std::process::ExitCode;
use std::sync::Arc;

use clap::Parser;
use kiro_core::SystemClock;
use kiro_core::auth::NewUser;
use kiro_server::cli::{Cli, Command, UserCommand};
use kiro_server::config::{self, Config};
use kiro_server::{AppState, startup, telemetry};

fn main() -> ExitCode {
    // Started by the sandbox as its helper: run it and nothing else.
    if let Some(code) = kiro_sandbox::init::embedded_helper() {
        return code;
    }
    let cli = Cli::parse();
    let config = match config::load(&cli.config_sources()) {
        Ok(config) => config,
        Err(e) => {
            eprintln!("kiro-server: configuration error: {e}");
            return ExitCode::from(2);
        }
    };
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("kiro-server: cannot start the runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(cli, config)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("kiro-server: {e:#}");
            ExitCode::FAILURE
        }
    }
}

async fn run(cli: Cli, config: Config) -> anyhow::Result<()> {
    match cli.command {
        None | Some(Command::Serve { .. }) => serve(config).await,
        Some(Command::PrintConfig) => {
            print!("{}", config.redacted_toml());
            Ok(())
        }
        Some(Command::Openapi) => {
            println!(
                "{}",
                serde_json::to_string_pretty(&kiro_server::routes::openapi())?
            );
            Ok(())
        }
        Some(Command::User {
            command:
                UserCommand::Create {
                    email,
                    password,
                    name,
                    admin,
                },
        }) => {
            telemetry::init(&config.log);
            let state = AppState::build(config, Arc::new(SystemClock)).await?;
            let name = name.unwrap_or_else(|| email.split('@').next().unwrap_or("").to_owned());
            let (user, workspace) = state
                .auth
                .create_user(
                    NewUser {
                        email,
                        password,
                        name,
                    },
                    admin,
                )
                .await
                .map_err(|e| anyhow::anyhow!("cannot create the user: {e}"))?;
            println!(
                "created user {} ({}) with personal workspace {}{}",
                user.email,
                user.id,
                workspace.id,
                if admin { ", administrator" } else { "" }
            );
            Ok(())
        }
    }
}

async fn serve(config: Config) -> anyhow::Result<()> {
    telemetry::init(&config.log);
    let addr = config.listen_addr();
    let app = startup::build(config, Arc::new(SystemClock)).await?;
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .map_err(|e| anyhow::anyhow!("cannot listen on {addr}: {e}"))?;
    let local = listener.local_addr()?;
    tracing::info!(%local, backend = app.state.store.backend_name(), "kiro-server ready");
    let mut stdout = std::io::stdout();
    writeln!(stdout, "kiro-server listening on http://{local}")?;
    stdout.flush()?;
    startup::serve(listener, app, startup::shutdown_signal()).await?;
    tracing::info!("kiro-server stopped");
    Ok(())
}
