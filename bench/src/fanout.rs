//! `kiro-bench fanout`: WebSocket fan-out of kiro-server's event stream. N
//! subscribers listen on one workspace's topic while a writer renames that
//! workspace at a steady rate; each rename is one event every subscriber must
//! receive exactly once, in order.
//!
//! Scenario `single` runs one kiro-server on a fresh SQLite database. With
//! `--postgres-url`, scenario `two-process` runs two kiro-servers on one fresh
//! PostgreSQL database, subscribers split evenly between them and every write
//! sent to the first, so half the deliveries cross processes via
//! LISTEN/NOTIFY.

use std::path::Path;
use std::time::Duration;

use anyhow::Context;
use futures::{StreamExt, TryStreamExt, stream};
use tokio::sync::watch;
use tokio::task::JoinSet;
use tokio::time::Instant;

use crate::FanoutArgs;
use crate::fanout_report::{self, Scenario};
use crate::process::{self, ServerProcess};
use crate::subscriber::{self, End, micros_since};
use crate::tally::Figures;
use crate::{account, limits, postgres, servers, writer};

/// WebSocket upgrades in flight at once while the subscribers connect.
const CONNECT_CONCURRENCY: usize = 64;
/// How long subscribers may still receive after the last write.
const STRAGGLER_WAIT: Duration = Duration::from_secs(5);
/// File descriptors a process needs besides one socket per subscriber.
const FD_HEADROOM: u64 = 256;

/// The shape of a run, the same for every scenario.
#[derive(Clone, Copy)]
pub struct Plan {
    pub subscribers: u32,
    pub rate: u32,
    /// The most renames written: rate × duration.
    pub total: u32,
    pub duration: Duration,
}

/// Runs the scenarios and prints the table, the notes and a JSON line.
pub async fn run(args: FanoutArgs) -> anyhow::Result<()> {
    let kiro_bin = servers::kiro_bin(args.kiro_bin)?;
    let needed = u64::from(args.subscribers) + FD_HEADROOM;
    let why = format!("{} subscribers", args.subscribers);
    limits::require_open_files(needed, &why)?;
    let total = (f64::from(args.rate) * args.duration.as_secs_f64()).round();
    let plan = Plan {
        subscribers: args.subscribers,
        rate: args.rate,
        total: (total as u32).max(1),
        duration: args.duration,
    };
    eprintln!(
        "{} subscribers, renames at {}/s for {}s",
        plan.subscribers,
        plan.rate,
        plan.duration.as_secs_f64()
    );

    let mut scenarios = vec![single(&kiro_bin, plan).await?];
    if let Some(url) = &args.postgres_url {
        scenarios.push(
            postgres::with_database(url, async |db| two_process(&kiro_bin, db, plan).await).await?,
        );
    }
    print!("{}", fanout_report::text(&scenarios, plan));
    println!("{}", fanout_report::json(&scenarios, plan));
    Ok(())
}

async fn single(kiro_bin: &Path, plan: Plan) -> anyhow::Result<Scenario> {
    let server = servers::start_kiro(kiro_bin).await?;
    process::stop_after(server, async |server| {
        measure("single", "sqlite", &[server], plan).await
    })
    .await
}

async fn two_process(kiro_bin: &Path, database_url: &str, plan: Plan) -> anyhow::Result<Scenario> {
    // One after the other: the first runs the migrations on the empty database.
    let a = servers::start_kiro_on(kiro_bin, Some(database_url)).await?;
    process::stop_after(a, async |a| {
        servers::wait_until_ok(
            &servers::setup_client()?,
            &format!("{}/v1/health/ready", a.base_url()),
            Instant::now() + servers::READY_DEADLINE,
        )
        .await?;
        let b = servers::start_kiro_on(kiro_bin, Some(database_url)).await?;
        process::stop_after(b, async |b| {
            measure("two-process", "postgres", &[a, b], plan).await
        })
        .await
    })
    .await
}

/// One scenario on running servers; writes go to `servers[0]`, subscriber
/// `i` connects to `servers[i % len]`.
async fn measure(
    name: &'static str,
    backend: &'static str,
    servers: &[&ServerProcess],
    plan: Plan,
) -> anyhow::Result<Scenario> {
    let client = servers::setup_client()?;
    for server in servers {
        let ready = format!("{}/v1/health/ready", server.base_url());
        servers::wait_until_ok(&client, &ready, Instant::now() + servers::READY_DEADLINE).await?;
    }
    let writer_base = servers.first().context("no server")?.base_url();
    let token = account::access_token(&client, writer_base).await?;
    let workspace = account::personal_workspace(&client, writer_base, &token).await?;
    let topic = format!("tenancy.workspace.{workspace}");
    let urls = servers
        .iter()
        .map(|s| ws_url(s.base_url()))
        .collect::<anyhow::Result<Vec<_>>>()?;

    eprintln!("{name}: connecting {} subscribers", plan.subscribers);
    let (token_ref, topic_ref, urls_ref) = (token.as_str(), topic.as_str(), urls.as_slice());
    let sockets: Vec<(usize, subscriber::Socket)> = stream::iter(0..plan.subscribers)
        .map(|i| async move {
            let group = i as usize % urls_ref.len();
            let url = urls_ref.get(group).context("no server")?;
            let socket = subscriber::connect(url, token_ref, topic_ref)
                .await
                .with_context(|| format!("subscriber {i} on {url}"))?;
            Ok::<_, anyhow::Error>((group, socket))
        })
        .buffer_unordered(CONNECT_CONCURRENCY)
        .try_collect()
        .await?;

    eprintln!("{name}: all subscribed; writing");
    let base = Instant::now();
    let (announce, end) = watch::channel(None);
    let mut readers = JoinSet::new();
    for (group, socket) in sockets {
        readers.spawn(subscriber::read(
            socket,
            group,
            plan.total,
            base,
            end.clone(),
        ));
    }
    let writes = writer::run_apart(writer::Job {
        base: writer_base.to_owned(),
        token: token.clone(),
        workspace: workspace.clone(),
        max: plan.total,
        rate: plan.rate,
        duration: plan.duration,
        time_base: base,
    })
    .await;
    // On error the readers stop at once (and are aborted when `readers` drops).
    let end = match &writes {
        Ok(w) => End {
            written: u32::try_from(w.acked.len()).unwrap_or(u32::MAX),
            deadline: Instant::now() + STRAGGLER_WAIT,
        },
        Err(_) => End {
            written: 0,
            deadline: Instant::now(),
        },
    };
    announce.send_replace(Some(end));
    let writes = writes?;

    let mut groups = (0..servers.len())
        .map(|i| Figures::new(&fanout_report::group_name(i, servers.len())))
        .collect::<anyhow::Result<Vec<_>>>()?;
    while let Some(joined) = readers.join_next().await {
        let received = joined.context("a subscriber task failed")??;
        let group = groups.get_mut(received.group).context("no such group")?;
        group.add(&received, &writes.acked)?;
    }
    let last = groups.iter().map(|g| g.last_receipt).max().unwrap_or(0);
    let window = Duration::from_micros(last.saturating_sub(micros_since(base, writes.started)));
    let mut all = Figures::new("all")?;
    for group in &mut groups {
        group.finish(window);
        all.merge(group)?;
    }
    all.finish(window);
    Ok(Scenario {
        name,
        backend,
        processes: servers.len(),
        groups,
        all,
        writes,
    })
}

/// `http://HOST:PORT` → `ws://HOST:PORT/v1/events`.
fn ws_url(base: &str) -> anyhow::Result<String> {
    let rest = base
        .strip_prefix("http://")
        .with_context(|| format!("kiro-server's URL `{base}` does not start with http://"))?;
    Ok(format!("ws://{rest}/v1/events"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_stream_url_follows_the_base_url() {
        assert_eq!(
            ws_url("http://127.0.0.1:7700").ok().as_deref(),
            Some("ws://127.0.0.1:7700/v1/events")
        );
        assert!(ws_url("https://example.com").is_err());
    }
}
