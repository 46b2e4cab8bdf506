//! `kiro-bench startup`: cold start of kiro-server (spawn with a fresh data
//! directory → first 200 from `/v1/health/ready`) over several runs, and idle
//! memory (VmRSS two seconds after ready), with the hello-world baseline
//! measured the same way for comparison.

use std::time::Duration;

use serde_json::json;
use tokio::time::Instant;

use crate::StartupArgs;
use crate::process::{self, ServerProcess};
use crate::report::{self, round3};
use crate::servers;

/// How long a server idles after ready before its memory is read.
const IDLE_BEFORE_RSS: Duration = Duration::from_secs(2);

/// One cold start.
struct Sample {
    to_listening: Duration,
    to_ready: Duration,
    idle_rss: u64,
}

/// Runs the cold starts and prints the table and a JSON line.
pub async fn run(args: StartupArgs) -> anyhow::Result<()> {
    let kiro_bin = servers::kiro_bin(args.kiro_bin)?;
    let mut kiro = Vec::new();
    let mut hello = Vec::new();
    for run in 1..=args.runs {
        eprintln!("run {run}/{}", args.runs);
        let started = Instant::now();
        let server = servers::start_kiro(&kiro_bin).await?;
        kiro.push(
            process::stop_after(server, async |s| {
                settle(s, started, "/v1/health/ready").await
            })
            .await?,
        );
        let started = Instant::now();
        let server = servers::start_hello().await?;
        hello.push(process::stop_after(server, async |s| settle(s, started, "/").await).await?);
    }

    let kiro_listen = Spread::of(kiro.iter().map(|s| s.to_listening));
    let kiro_ready = Spread::of(kiro.iter().map(|s| s.to_ready));
    let hello_ready = Spread::of(hello.iter().map(|s| s.to_ready));
    let kiro_rss = median(kiro.iter().map(|s| s.idle_rss).collect());
    let hello_rss = median(hello.iter().map(|s| s.idle_rss).collect());

    println!(
        "{:<26}  {:>9}  {:>9}  {:>9}",
        format!("startup ({} runs)", args.runs),
        "min",
        "median",
        "max"
    );
    for (name, spread) in [
        ("kiro-server to listening", &kiro_listen),
        ("kiro-server to ready", &kiro_ready),
        ("hello-world to ready", &hello_ready),
    ] {
        println!(
            "{name:<26}  {:>9}  {:>9}  {:>9}",
            report::micros(micros(spread.min)),
            report::micros(micros(spread.median)),
            report::micros(micros(spread.max))
        );
    }
    let rss_ratio = report::ratio(kiro_rss as f64, hello_rss as f64);
    let ready_ratio = report::ratio(
        kiro_ready.median.as_secs_f64(),
        hello_ready.median.as_secs_f64(),
    );
    println!();
    println!(
        "idle RSS (median): kiro-server {}, hello-world {}",
        report::mib(kiro_rss),
        report::mib(hello_rss)
    );
    println!("kiro-server / hello: time to ready {ready_ratio:.2}x, idle RSS {rss_ratio:.2}x");
    let line = json!({
        "bench": "startup",
        "runs": args.runs,
        "kiro_to_listening_ms": kiro_listen.to_json(),
        "kiro_to_ready_ms": kiro_ready.to_json(),
        "hello_to_ready_ms": hello_ready.to_json(),
        "kiro_idle_rss_bytes": kiro_rss,
        "hello_idle_rss_bytes": hello_rss,
        "ratios_vs_hello": { "ready": round3(ready_ratio), "idle_rss": round3(rss_ratio) },
    });
    println!("{line}");
    Ok(())
}

/// Waits for `ready_path` to answer 200, idles, then reads the memory.
async fn settle(
    server: &ServerProcess,
    started: Instant,
    ready_path: &str,
) -> anyhow::Result<Sample> {
    let to_listening = started.elapsed();
    let client = servers::setup_client()?;
    let url = format!("{}{ready_path}", server.base_url());
    let ready_at = servers::wait_until_ok(&client, &url, started + servers::READY_DEADLINE).await?;
    drop(client);
    tokio::time::sleep(IDLE_BEFORE_RSS).await;
    Ok(Sample {
        to_listening,
        to_ready: ready_at - started,
        idle_rss: server.rss_bytes()?,
    })
}

/// Min, median and max of a set of durations.
struct Spread {
    min: Duration,
    median: Duration,
    max: Duration,
}

impl Spread {
    fn of(values: impl Iterator<Item = Duration>) -> Self {
        let mut sorted: Vec<Duration> = values.collect();
        sorted.sort();
        Self {
            min: sorted.first().copied().unwrap_or_default(),
            median: median(sorted.clone()),
            max: sorted.last().copied().unwrap_or_default(),
        }
    }

    fn to_json(&self) -> serde_json::Value {
        let ms = |d: Duration| round3(d.as_secs_f64() * 1000.0);
        json!({ "min": ms(self.min), "median": ms(self.median), "max": ms(self.max) })
    }
}

/// The middle value (the lower middle for an even count); default when empty.
fn median<T: Ord + Copy + Default>(mut values: Vec<T>) -> T {
    values.sort();
    values
        .get((values.len().saturating_sub(1)) / 2)
        .copied()
        .unwrap_or_default()
}

fn micros(d: Duration) -> u64 {
    u64::try_from(d.as_micros()).unwrap_or(u64::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn median_takes_the_middle_or_lower_middle() {
        assert_eq!(median(vec![5, 1, 3]), 3);
        assert_eq!(median(vec![4, 1, 3, 2]), 2);
        assert_eq!(median::<u64>(vec![]), 0);
    }
}
