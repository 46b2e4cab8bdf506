//! `kiro-bench http`: throughput and latency of kiro-server's liveness probe
//! and an authenticated `GET /v1/auth/me`, against a bare axum hello-world,
//! each server in its own child process, measured one at a time so they never
//! compete for the CPU, followed by the kiro/hello ratios.

use anyhow::Context;
use reqwest::header::HeaderValue;
use serde_json::json;

use crate::HttpArgs;
use crate::account;
use crate::load::{self, Plan, Target};
use crate::process::{self, ServerProcess};
use crate::report::{self, Ratio, Row};
use crate::servers;

const LIVE: &str = "kiro GET /v1/health/live";
const ME: &str = "kiro GET /v1/auth/me";
const HELLO: &str = "hello GET /";

/// Runs the whole comparison and prints the table, ratios and a JSON line.
pub async fn run(args: HttpArgs) -> anyhow::Result<()> {
    let kiro_bin = servers::kiro_bin(args.kiro_bin)?;
    let plan = Plan {
        connections: args.connections,
        warmup: args.warmup,
        duration: args.duration,
    };
    eprintln!(
        "{} connections, {}s warmup + {}s measured per target",
        plan.connections,
        plan.warmup.as_secs_f64(),
        plan.duration.as_secs_f64()
    );

    let kiro = servers::start_kiro(&kiro_bin).await?;
    let kiro_rows =
        process::stop_after(kiro, async |server| measure_kiro(server, plan).await).await?;
    let hello = servers::start_hello().await?;
    let hello_row =
        process::stop_after(hello, async |server| measure_hello(server, plan).await).await?;

    let ratios: Vec<Ratio> = kiro_rows
        .iter()
        .map(|r| Ratio::new(r, &hello_row))
        .collect();
    let rows: Vec<Row> = kiro_rows.into_iter().chain([hello_row]).collect();
    print!("{}", report::table(&rows));
    for row in rows.iter().filter(|r| r.errors > 0) {
        if let Some(first) = &row.first_error {
            println!("{}: first error: {first}", row.name);
        }
    }
    println!();
    print!("{}", report::ratio_lines(&ratios, "hello"));
    let line = json!({
        "bench": "http",
        "connections": plan.connections,
        "warmup_s": plan.warmup.as_secs_f64(),
        "duration_s": plan.duration.as_secs_f64(),
        "targets": rows.iter().map(Row::to_json).collect::<Vec<_>>(),
        "ratios_vs_hello": ratios.iter().map(Ratio::to_json).collect::<Vec<_>>(),
    });
    println!("{line}");
    Ok(())
}

async fn measure_kiro(server: &ServerProcess, plan: Plan) -> anyhow::Result<Vec<Row>> {
    let base = server.base_url();
    let client = servers::setup_client()?;
    let deadline = tokio::time::Instant::now() + servers::READY_DEADLINE;
    servers::wait_until_ok(&client, &format!("{base}/v1/health/ready"), deadline).await?;
    let token = account::access_token(&client, base).await?;

    let live = target(base, "/v1/health/live", None)?;
    let bearer = HeaderValue::from_str(&format!("Bearer {token}"))
        .context("the access token is not a valid header value")?;
    let me = target(base, "/v1/auth/me", Some(bearer))?;

    let mut rows = Vec::new();
    for (name, target) in [(LIVE, live), (ME, me)] {
        eprintln!("measuring {name}");
        rows.push(Row::new(name, &load::run(&target, plan).await?));
    }
    Ok(rows)
}

async fn measure_hello(server: &ServerProcess, plan: Plan) -> anyhow::Result<Row> {
    let target = target(server.base_url(), "/", None)?;
    eprintln!("measuring {HELLO}");
    Ok(Row::new(HELLO, &load::run(&target, plan).await?))
}

fn target(base: &str, path: &str, bearer: Option<HeaderValue>) -> anyhow::Result<Target> {
    let url = format!("{base}{path}");
    let url = reqwest::Url::parse(&url).with_context(|| format!("parsing {url}"))?;
    Ok(Target { url, bearer })
}
