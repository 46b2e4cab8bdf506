//! The command line of `conceptpulse exec …`: run a file in a sandboxed environment (through
//! the job queue, its output streamed, or synchronously), follow and manage jobs and
//! containers, list the environments and what the server's host can do.

use std::path::PathBuf;

use clap::{Args, Subcommand};
use kiro_sdk::kiro_types::execution::JobStatus;

/// `conceptpulse exec …`.
#[derive(Debug, Subcommand)]
pub enum ExecCommand {
    /// Run a source file in a sandbox on the Kiro server, streaming its output, then print
    /// the verdict and usage.
    Run(RunArgs),
    /// The environments code can run in, with their limits.
    Envs,
    /// What the server's host supports: isolation, cgroups, workers.
    Capabilities,
    /// The workspace's jobs, newest first.
    Jobs(JobsArgs),
    /// One job: its status, verdict, usage and output.
    Job {
        /// The job's id (`conceptpulse exec jobs` lists them).
        id: String,
    },
    /// Cancel a queued or running job.
    Cancel { id: String },
    /// A job's output, in the order it was written.
    Logs {
        id: String,
        /// Keep printing output as it arrives until the job ends.
        #[arg(long, short)]
        follow: bool,
    },
    /// The workspace's containers (long-lived sandboxes).
    Containers,
    /// Create, start, run commands in, stop and delete a container.
    Container {
        #[command(subcommand)]
        command: ContainerCommand,
    },
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
    /// Run synchronously (`POST /run`) and print the output once it has finished, instead of
    /// queueing a job and streaming its output.
    #[arg(long)]
    pub sync: bool,
    /// Arguments passed to the program (after `--`).
    #[arg(last = true)]
    pub args: Vec<String>,
}

/// `conceptpulse exec jobs`.
#[derive(Debug, Clone, Args)]
pub struct JobsArgs {
    /// Only jobs in this state: queued, running, completed, failed or cancelled.
    #[arg(long, value_parser = parse_status)]
    pub status: Option<JobStatus>,
    /// Only jobs of this environment.
    #[arg(long, short)]
    pub env: Option<String>,
    /// How many jobs to list (1 to 200).
    #[arg(long, default_value_t = 20, value_parser = clap::value_parser!(u32).range(1..=200))]
    pub limit: u32,
    /// Continue after a previous page (the cursor it printed).
    #[arg(long)]
    pub cursor: Option<String>,
}

/// `conceptpulse exec container …`.
#[derive(Debug, Subcommand)]
pub enum ContainerCommand {
    /// Create a container for an environment (it starts nothing until `start`).
    Create {
        /// The environment (`conceptpulse exec envs` lists them).
        #[arg(long, short)]
        env: String,
        /// Each command's default wall-time limit in milliseconds.
        #[arg(long, value_name = "MS")]
        time_limit: Option<u64>,
        /// The memory all of the container's processes share, in MiB.
        #[arg(long, value_name = "MIB")]
        memory_limit: Option<u64>,
    },
    /// Start a created or stopped container.
    Start { id: String },
    /// Run a command in a running container (in its persistent `/work`) and print its
    /// output and exit status.
    Exec(ContainerExecArgs),
    /// Stop a running container: its processes are killed, its files kept.
    Stop { id: String },
    /// Delete a created or stopped container and its files.
    Delete { id: String },
}

/// `conceptpulse exec container exec`.
#[derive(Debug, Clone, Args)]
pub struct ContainerExecArgs {
    pub id: String,
    /// A file whose contents are the command's standard input (e.g. a script for `sh`).
    #[arg(long, value_name = "FILE")]
    pub stdin: Option<PathBuf>,
    /// This command's wall-time limit in milliseconds.
    #[arg(long, value_name = "MS")]
    pub time_limit: Option<u64>,
    /// The program and its arguments (after `--`).
    #[arg(last = true, required = true)]
    pub command: Vec<String>,
}

/// A job status by its name, or which names there are.
fn parse_status(name: &str) -> Result<JobStatus, String> {
    JobStatus::parse(name).ok_or_else(|| {
        let names: Vec<&str> = JobStatus::ALL.iter().map(|s| s.as_str()).collect();
        format!("no status {name:?}; one of {}", names.join(", "))
    })
}

#[cfg(test)]
mod tests {
    use super::parse_status;
    use kiro_sdk::kiro_types::execution::JobStatus;

    #[test]
    fn statuses_parse_by_name_and_a_typo_lists_them() {
        assert_eq!(parse_status("running"), Ok(JobStatus::Running));
        let error = parse_status("done").err().unwrap_or_default();
        assert!(error.contains("queued, running"), "{error}");
    }
}
