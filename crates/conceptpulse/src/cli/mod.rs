//! The `conceptpulse` command line: `up` (embedded Kiro server and web UI), `web` (the UI
//! against a remote server), the account and status commands, the learning loop
//! (`assess …`), sandboxed runs (`exec …`) and project planning (`plan …`), all built on
//! kiro-sdk. Every command takes `--output json`; exit codes are in [`exit`].

pub mod account;
pub mod assess;
pub mod config;
pub mod exec;
pub mod exit;
pub mod output;
pub mod plan;
pub mod progress;
pub mod session;
pub mod status;

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

/// ConceptPulse: learn what you do not know yet, on your own Kiro server.
#[derive(Debug, Parser)]
#[command(name = "conceptpulse", version)]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalArgs,
    #[command(subcommand)]
    pub command: Command,
}

/// Options every command takes.
#[derive(Debug, Clone, Args)]
pub struct GlobalArgs {
    /// How results are printed: tables for people, JSON for scripts.
    #[arg(long, short, global = true, value_enum, default_value_t = OutputFormat::Human)]
    pub output: OutputFormat,
    /// Where the CLI keeps its settings and tokens (default: the user's config dir +
    /// /conceptpulse).
    #[arg(
        long,
        global = true,
        env = "CONCEPTPULSE_CONFIG_DIR",
        value_name = "DIR"
    )]
    pub config_dir: Option<PathBuf>,
    /// The Kiro server to talk to, overriding the configured one.
    #[arg(long, global = true, env = "KIRO_SERVER_URL", value_name = "URL")]
    pub server: Option<String>,
}

/// How results are printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OutputFormat {
    Human,
    Json,
}

/// What to do.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Start the Kiro server (SQLite in the data directory) and the web UI in one process.
    Up(UpArgs),
    /// Run the web UI against a Kiro server elsewhere (`--server URL`).
    Web {
        /// Where the web UI listens.
        #[arg(long, default_value = "127.0.0.1:8080", value_name = "ADDR")]
        listen: String,
    },
    /// Sign in to Kiro; the tokens are kept (mode 0600) for the other commands.
    Login {
        #[arg(long)]
        email: String,
        /// Read the password from standard input instead of CONCEPTPULSE_PASSWORD.
        #[arg(long)]
        password_stdin: bool,
    },
    /// Sign out: revokes the Kiro session and forgets the tokens.
    Logout,
    /// The connection, the services and their health.
    Status,
    /// The learning loop: upload PDFs, questions, quizzes, the report, lessons, revisions.
    Assess {
        #[command(subcommand)]
        command: assess::AssessCommand,
    },
    /// Sandboxed code runs: run a file, list environments, show the host's capabilities.
    Exec {
        #[command(subcommand)]
        command: exec::ExecCommand,
    },
    /// Project planning: projects, tasks, dependencies, milestones, the Gantt chart,
    /// schedule and reports.
    Plan {
        #[command(subcommand)]
        command: plan::PlanCommand,
    },
    /// Named environments: show, set a key, switch, add.
    Config {
        #[command(subcommand)]
        command: ConfigCommand,
    },
    /// Print a completion script for a shell.
    Completions {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
}

/// `conceptpulse config …`.
#[derive(Debug, Subcommand)]
pub enum ConfigCommand {
    /// The active environment's settings and the other environments.
    Show,
    /// Set a key (`server_url`, `timeout_ms`, `retry.max_attempts`, …).
    Set {
        key: String,
        value: String,
        /// The environment to change [default: the active one].
        #[arg(long)]
        env: Option<String>,
    },
    /// Switch to another environment.
    Use { name: String },
    /// Add an environment for a server.
    Add {
        name: String,
        #[arg(long, value_name = "URL")]
        server: String,
    },
}

/// `conceptpulse up`.
#[derive(Debug, Clone, Args)]
pub struct UpArgs {
    /// Where the web UI listens.
    #[arg(long, default_value = "127.0.0.1:8080", value_name = "ADDR")]
    pub listen: String,
    /// Where the embedded Kiro API listens.
    #[arg(long, default_value = "127.0.0.1:7700", value_name = "ADDR")]
    pub api_listen: String,
    /// The data directory (database and files). Default: the user's data dir + /kiro.
    #[arg(long, value_name = "DIR")]
    pub data_dir: Option<PathBuf>,
    /// sqlite:PATH or postgres://… instead of SQLite in the data directory.
    #[arg(long, value_name = "URL")]
    pub database_url: Option<String>,
}

impl GlobalArgs {
    /// The CLI's own directory.
    pub fn config_dir(&self) -> PathBuf {
        self.config_dir.clone().unwrap_or_else(|| {
            dirs::config_dir()
                .unwrap_or_else(|| PathBuf::from("."))
                .join("conceptpulse")
        })
    }
}
