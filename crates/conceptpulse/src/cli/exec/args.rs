//! The command line of `conceptpulse exec …`: run a file in a sandboxed environment, list
//! the environments and what the server's host can do.

use std::path::PathBuf;

use clap::{Args, Subcommand};

/// `conceptpulse exec …`.
#[derive(Debug, Subcommand)]
pub enum ExecCommand {
    /// Run a source file in a sandbox on the Kiro server and print its output and verdict.
    Run(RunArgs),
    /// The environments code can run in, with their limits.
    Envs,
    /// What the server's host supports: isolation, cgroups, workers.
    Capabilities,
}

/// `conceptpulse exec run`.
#[derive(Debug, Clone, Args)]
pub struct RunArgs {
    /// The source file to run (`-` reads it from standard input).
    pub file: PathBuf,
    /// The environment to run it in (`conceptpulse exec envs` lists them).
    #[arg(long, short)]
    pub env: String,
    /// A file whose contents are the program's standard input.
    #[arg(long, value_name = "FILE")]
    pub stdin: Option<PathBuf>,
    /// Wall-time limit in milliseconds [default: the environment's].
    #[arg(long, value_name = "MS")]
    pub time_limit: Option<u64>,
    /// Memory limit in MiB [default: the environment's].
    #[arg(long, value_name = "MIB")]
    pub memory_limit: Option<u64>,
    /// Extra files placed beside the source (repeatable).
    #[arg(long = "file", value_name = "PATH")]
    pub files: Vec<PathBuf>,
    /// Arguments passed to the program (after `--`).
    #[arg(last = true)]
    pub args: Vec<String>,
}
