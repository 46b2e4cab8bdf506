//! `kiro-bench`: documented benchmark commands that print their figures.
//!
//! `http` measures throughput and latency percentiles of kiro-server against a
//! bare axum hello-world served by this same binary (hidden `hello`
//! subcommand); `startup` measures cold start to ready and idle memory;
//! `fanout` measures delivery of the WebSocket event stream to many
//! subscribers. Every server runs as its own child process on loopback; this
//! process is the load generator. Benchmarks print figures and never decide
//! pass/fail.

mod account;
mod assess_e2e;
mod dashboard;
mod duration;
mod exec_bench;
mod extract_bench;
mod fanout;
mod fanout_report;
mod gantt_bench;
mod hello;
mod http_bench;
mod keyphrase_bench;
mod limits;
mod load;
mod offline_replay;
mod output;
mod plan_bench;
mod plan_graph;
mod plan_list_bench;
mod postgres;
mod process;
mod qg_bench;
mod report;
mod sandbox_bench;
mod servers;
mod startup;
mod subscriber;
mod tally;
mod writer;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use anyhow::Context;
use clap::{Parser, Subcommand};

#[derive(Debug, Parser)]
#[command(
    name = "kiro-bench",
    about = "Benchmarks of the Kiro server that print figures."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Throughput and latency of kiro-server against a bare axum hello-world.
    Http(HttpArgs),
    /// Cold start time to ready and idle memory of kiro-server.
    Startup(StartupArgs),
    /// WebSocket fan-out: delivery rate and latency of events to many subscribers.
    Fanout(FanoutArgs),
    /// ConceptPulse's dashboards: server render time and page loads in Chromium.
    Dashboard(dashboard::DashboardArgs),
    /// Replay throughput of the kiro-sdk offline queue after the server comes back.
    OfflineReplay(OfflineReplayArgs),
    /// PDF text extraction over a corpus: pages/s, MB/s, overlap with pdftotext, peak RSS.
    Extract(extract_bench::ExtractArgs),
    /// Question generation: BLEU of single-sentence questions on the SQuAD split.
    Qg(qg_bench::QgArgs),
    /// Key phrases: macro F1@10 on Inspec and SemEval2010 against plain YAKE.
    Keyphrase(keyphrase_bench::KeyphraseArgs),
    /// Assessment end to end: upload of a 100-page PDF to its 5 questions, and peak memory.
    AssessE2e(assess_e2e::AssessE2eArgs),
    /// The execution sandbox: start overhead over a bare `python3 -c pass`, runs/s with N slots.
    Sandbox(sandbox_bench::SandboxArgs),
    /// The execution service: `run` latency through the API and sustained runs/s.
    ExecRun(exec_bench::ExecRunArgs),
    /// The planning scheduler and cycle check on a random 10,000-task plan.
    PlanSchedule(plan_bench::PlanScheduleArgs),
    /// ConceptPulse's Gantt chart: compute and render the SVG of a 2,000-task plan.
    GanttRender(gantt_bench::GanttRenderArgs),
    /// The planning service: `list tasks` requests/s and p50/p95 latency over 1,000 tasks.
    PlanList(plan_list_bench::PlanListArgs),
    /// Serve the bare axum hello-world used as the baseline (internal).
    #[command(hide = true)]
    Hello {
        /// Address to listen on; port 0 picks a free port.
        #[arg(long, default_value = "127.0.0.1:0")]
        listen: SocketAddr,
    },
}

/// Options of `kiro-bench http`.
#[derive(Debug, clap::Args)]
pub struct HttpArgs {
    /// The kiro-server binary [default: `kiro-server` next to this executable].
    #[arg(long)]
    pub kiro_bin: Option<PathBuf>,
    /// Concurrent workers, each with its own keep-alive connection.
    #[arg(long, default_value_t = 32, value_parser = clap::value_parser!(u16).range(1..))]
    pub connections: u16,
    /// Measured time per target, e.g. `10s`, `500ms`, `1m`.
    #[arg(long, default_value = "10s", value_parser = duration::parse)]
    pub duration: Duration,
    /// Unmeasured load before each measurement, e.g. `2s`.
    #[arg(long, default_value = "2s", value_parser = duration::parse)]
    pub warmup: Duration,
}

/// Options of `kiro-bench startup`.
#[derive(Debug, clap::Args)]
pub struct StartupArgs {
    /// The kiro-server binary [default: `kiro-server` next to this executable].
    #[arg(long)]
    pub kiro_bin: Option<PathBuf>,
    /// Cold starts to measure, each with a fresh data directory.
    #[arg(long, default_value_t = 5, value_parser = clap::value_parser!(u32).range(1..))]
    pub runs: u32,
}

/// Options of `kiro-bench fanout`.
#[derive(Debug, clap::Args)]
pub struct FanoutArgs {
    /// The kiro-server binary [default: `kiro-server` next to this executable].
    #[arg(long)]
    pub kiro_bin: Option<PathBuf>,
    /// WebSocket connections subscribed to the topic.
    #[arg(long, default_value_t = 1000, value_parser = clap::value_parser!(u32).range(1..))]
    pub subscribers: u32,
    /// Renames (events) written per second.
    #[arg(long, default_value_t = 200, value_parser = clap::value_parser!(u32).range(1..=100_000))]
    pub rate: u32,
    /// How long to write, e.g. `10s`: at most rate × duration events.
    #[arg(long, default_value = "10s", value_parser = duration::parse)]
    pub duration: Duration,
    /// Also run two kiro-servers on a fresh database created on this
    /// PostgreSQL server, e.g. `postgres://postgres@127.0.0.1:5432/postgres`.
    #[arg(long, value_name = "URL")]
    pub postgres_url: Option<String>,
}

/// Options of `kiro-bench offline-replay`.
#[derive(Debug, clap::Args)]
pub struct OfflineReplayArgs {
    /// The kiro-server binary [default: `kiro-server` next to this executable].
    #[arg(long)]
    pub kiro_bin: Option<PathBuf>,
    /// Mutations (workspace creations) queued while the server is stopped.
    #[arg(long, default_value_t = 10_000, value_parser = clap::value_parser!(u32).range(1..))]
    pub count: u32,
}

#[tokio::main]
async fn main() -> ExitCode {
    match run(Cli::parse()).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error}");
            for cause in error.chain().skip(1) {
                eprintln!("  caused by: {cause}");
            }
            ExitCode::FAILURE
        }
    }
}

async fn run(cli: Cli) -> anyhow::Result<()> {
    match cli.command {
        Command::Hello { listen } => hello::serve(listen).await,
        Command::Qg(args) => qg_bench::run(&args),
        Command::Keyphrase(args) => keyphrase_bench::run(&args),
        Command::Http(args) => {
            install_crypto_provider()?;
            http_bench::run(args).await
        }
        Command::Startup(args) => {
            install_crypto_provider()?;
            startup::run(args).await
        }
        Command::Dashboard(args) => {
            install_crypto_provider()?;
            dashboard::run(args).await
        }
        Command::Fanout(args) => {
            install_crypto_provider()?;
            fanout::run(args).await
        }
        Command::OfflineReplay(args) => {
            install_crypto_provider()?;
            offline_replay::run(args).await
        }
        Command::Extract(args) => extract_bench::run(args),
        Command::AssessE2e(args) => {
            install_crypto_provider()?;
            assess_e2e::run(args).await
        }
        Command::Sandbox(args) => sandbox_bench::run(args),
        Command::PlanSchedule(args) => plan_bench::run(&args),
        Command::GanttRender(args) => gantt_bench::run(&args),
        Command::ExecRun(args) => {
            install_crypto_provider()?;
            exec_bench::run(args).await
        }
        Command::PlanList(args) => {
            install_crypto_provider()?;
            plan_list_bench::run(args).await
        }
    }
}

/// reqwest is built with `rustls-no-provider`: install ring once, before any client.
fn install_crypto_provider() -> anyhow::Result<()> {
    rustls::crypto::ring::default_provider()
        .install_default()
        .map_err(|_| anyhow::anyhow!("a rustls crypto provider was already installed"))
        .context("installing the ring crypto provider")
}
