//! The `kiro-server` command line: `serve` (the default), `print-config`, `user create` and
//! `openapi`. Flags become configuration overrides, the highest layer of DESIGN.md §8.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

use crate::config::ConfigSources;

/// Kiro server: planning, prototyping, documentation, workflow, execution and assessment.
#[derive(Debug, Parser)]
#[command(name = "kiro-server", version)]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalArgs,
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// Options every command takes.
#[derive(Debug, Clone, Args)]
pub struct GlobalArgs {
    /// The data directory (SQLite database and files). Default: the user's data dir + /kiro.
    #[arg(long, global = true, value_name = "DIR")]
    pub data_dir: Option<PathBuf>,
    /// sqlite:PATH or postgres://… (default: SQLite inside the data directory).
    #[arg(long, global = true, value_name = "URL")]
    pub database_url: Option<String>,
    /// A kiro.toml file (default: ./kiro.toml when present).
    #[arg(long, global = true, value_name = "FILE")]
    pub config: Option<PathBuf>,
}

/// What to do.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the API server (the default).
    Serve {
        /// Address to listen on (default 127.0.0.1:7700; port 0 picks a free port).
        #[arg(long, value_name = "ADDR")]
        listen: Option<String>,
    },
    /// Print the effective configuration, secrets redacted.
    PrintConfig,
    /// Manage users (works while the server is stopped).
    User {
        #[command(subcommand)]
        command: UserCommand,
    },
    /// Print the OpenAPI document.
    Openapi,
}

/// `kiro-server user …`.
#[derive(Debug, Subcommand)]
pub enum UserCommand {
    /// Create a user and their personal workspace.
    Create {
        #[arg(long)]
        email: String,
        #[arg(long)]
        password: String,
        #[arg(long)]
        name: Option<String>,
        /// Make the user a server administrator.
        #[arg(long)]
        admin: bool,
    },
}

impl Cli {
    /// The configuration sources these arguments name, with the process environment.
    pub fn config_sources(&self) -> ConfigSources {
        let mut overrides = Vec::new();
        if let Some(dir) = &self.global.data_dir {
            overrides.push(("server.data_dir".to_owned(), dir.display().to_string()));
        }
        if let Some(url) = &self.global.database_url {
            overrides.push(("database.url".to_owned(), url.clone()));
        }
        if let Some(Command::Serve {
            listen: Some(listen),
        }) = &self.command
        {
            overrides.push(("server.listen".to_owned(), listen.clone()));
        }
        ConfigSources {
            file: self.global.config.clone(),
            env: std::env::vars_os()
                .filter_map(|(k, v)| Some((k.into_string().ok()?, v.into_string().ok()?)))
                .collect(),
            overrides,
        }
    }
}
