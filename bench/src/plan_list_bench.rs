//! `kiro-bench plan-list`: the planning service's task list under load, against a real
//! kiro-server child process (fresh SQLite database, or `--database-url`): one project is
//! seeded with `--tasks` tasks through kiro-sdk, then `--clients` clients each request pages
//! of `--limit` tasks (`GET /v1/planning/projects/{id}/tasks`, following cursors and
//! starting over) for `--seconds`; the figures are requests/s and the p50/p95 latency.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use anyhow::ensure;
use hdrhistogram::Histogram;
use kiro_sdk::kiro_types::planning::{ConstraintPolicy, ProjectIn, TaskIn};
use kiro_sdk::{ClientConfig, Credentials, KiroClient, TaskQuery};

use crate::account;
use crate::servers::{kiro_bin, setup_client, start_kiro_on};

/// Options of `kiro-bench plan-list`.
#[derive(Debug, clap::Args)]
pub struct PlanListArgs {
    /// The kiro-server binary [default: `kiro-server` next to this executable].
    #[arg(long)]
    pub kiro_bin: Option<PathBuf>,
    /// A database for the server (e.g. PostgreSQL) instead of a fresh SQLite file.
    #[arg(long)]
    pub database_url: Option<String>,
    /// Tasks seeded in the project.
    #[arg(long, default_value_t = 1000, value_parser = clap::value_parser!(u32).range(1..))]
    pub tasks: u32,
    /// Tasks per page requested.
    #[arg(long, default_value_t = 100, value_parser = clap::value_parser!(u32).range(1..=200))]
    pub limit: u32,
    /// Clients requesting at once.
    #[arg(long, default_value_t = 8, value_parser = clap::value_parser!(u32).range(1..))]
    pub clients: u32,
    /// How long the load runs, seconds.
    #[arg(long, default_value_t = 10, value_parser = clap::value_parser!(u64).range(1..))]
    pub seconds: u64,
}

pub async fn run(args: PlanListArgs) -> anyhow::Result<()> {
    let bin = kiro_bin(args.kiro_bin.clone())?;
    let server = start_kiro_on(&bin, args.database_url.as_deref()).await?;
    let result = measure(server.base_url(), &args).await;
    server.stop().await?;
    result
}

async fn client(base: &str) -> anyhow::Result<KiroClient> {
    let mut config = ClientConfig::new(base);
    config.timeout = Duration::from_secs(60);
    let client = KiroClient::connect(config).await?;
    client
        .authenticate(Credentials::Password {
            email: account::EMAIL.to_owned(),
            password: account::PASSWORD.to_owned(),
        })
        .await?;
    Ok(client)
}

/// Creates a project with `count` tasks (four writers at once); returns its id.
async fn seed(base: &str, count: u32) -> anyhow::Result<String> {
    let first = client(base).await?;
    let project = first
        .planning()
        .create_project(&ProjectIn {
            name: "plan-list bench".into(),
            description: String::new(),
            status: None,
            start_date: None,
            end_date: None,
            owner: None,
            team: Vec::new(),
            constraint_policy: Some(ConstraintPolicy::Allow),
        })
        .await?;
    let writers = 4u32;
    let mut tasks = Vec::new();
    for w in 0..writers {
        let planning = first.planning();
        let project = project.id.clone();
        tasks.push(tokio::spawn(async move {
            for i in (w..count).step_by(writers as usize) {
                let task = TaskIn {
                    title: format!("task {i}"),
                    description: format!("seeded task number {i}"),
                    status: None,
                    priority: None,
                    assignee: None,
                    estimated_hours: Some(f64::from(i % 40)),
                    actual_hours: None,
                    tags: vec![format!("group-{}", i % 10)],
                    start_date: None,
                    end_date: None,
                };
                planning.create_task(&project, &task).await?;
            }
            anyhow::Ok(())
        }));
    }
    for task in tasks {
        task.await??;
    }
    Ok(project.id)
}

async fn measure(base: &str, args: &PlanListArgs) -> anyhow::Result<()> {
    account::access_token(&setup_client()?, base).await?;
    let seeding = Instant::now();
    let project = seed(base, args.tasks).await?;
    let seeded_in = seeding.elapsed().as_secs_f64();

    let deadline = Instant::now() + Duration::from_secs(args.seconds);
    let mut workers = Vec::new();
    for _ in 0..args.clients {
        let client = client(base).await?;
        let project = project.clone();
        let limit = args.limit;
        workers.push(tokio::spawn(async move {
            let mut latencies = Histogram::<u64>::new(3)?;
            let mut items = 0u64;
            let mut cursor = None;
            while Instant::now() < deadline {
                let query = TaskQuery {
                    limit: Some(limit),
                    cursor: cursor.take(),
                    ..TaskQuery::default()
                };
                let started = Instant::now();
                let page = client.planning().list_tasks(&project, &query).await?;
                latencies.record(started.elapsed().as_micros() as u64)?;
                items += page.items.len() as u64;
                cursor = page.next_cursor;
            }
            anyhow::Ok((latencies, items))
        }));
    }
    let started = Instant::now();
    let mut all = Histogram::<u64>::new(3)?;
    let mut items = 0;
    for worker in workers {
        let (latencies, n) = worker.await??;
        all.add(latencies)?;
        items += n;
    }
    let elapsed = started.elapsed().as_secs_f64();
    ensure!(
        !all.is_empty(),
        "no request finished within {} s",
        args.seconds
    );
    let rate = all.len() as f64 / elapsed;
    let ms = |q: f64| all.value_at_quantile(q) as f64 / 1000.0;
    let database = if args.database_url.is_some() {
        "given"
    } else {
        "sqlite"
    };
    println!(
        "plan-list: {} tasks seeded in {seeded_in:.1} s; GET /v1/planning/projects/{{id}}/tasks?limit={} ({database} database)",
        args.tasks, args.limit
    );
    println!(
        "  {} requests ({items} tasks) in {elapsed:.1} s with {} clients = {rate:.1} requests/s",
        all.len(),
        args.clients
    );
    println!(
        "  latency: p50 {:.1} ms, p95 {:.1} ms, max {:.1} ms",
        ms(0.5),
        ms(0.95),
        all.max() as f64 / 1000.0
    );
    println!(
        "{}",
        serde_json::json!({
            "bench": "plan-list",
            "tasks": args.tasks,
            "limit": args.limit,
            "clients": args.clients,
            "requests": all.len(),
            "requestsPerSecond": rate,
            "p50Ms": ms(0.5),
            "p95Ms": ms(0.95),
        })
    );
    Ok(())
}
