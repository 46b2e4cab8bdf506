//! `kiro-bench sandbox`: what the execution engine costs. Start overhead of a sandboxed
//! `python3 -c pass` over the same interpreter started bare (medians, measured interleaved in
//! the same run), for each isolation the host offers; then sustained trivial runs per second
//! of the engine alone with N parallel slots, beside bare starts with N threads. Because wall
//! figures on a shared machine say as much about the neighbours as about the engine, each
//! series also reports its CPU time per start (this thread plus every reaped child), which
//! bounds the runs/s the engine can sustain on this machine's cores.

use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use kiro_sandbox::{HelperCommand, Isolation, LimitsRequest, Sandbox, SandboxConfig, Verdict};
use nix::sys::resource::{UsageWho, getrusage};
use serde_json::json;

/// Options of `kiro-bench sandbox`.
#[derive(Debug, clap::Args)]
pub struct SandboxArgs {
    /// Runs per series for the start overhead (sandboxed and bare, interleaved).
    #[arg(long, default_value_t = 200, value_parser = clap::value_parser!(u32).range(5..))]
    pub runs: u32,
    /// Runs per slot count for the throughput figure.
    #[arg(long, default_value_t = 400, value_parser = clap::value_parser!(u32).range(1..))]
    pub throughput_runs: u32,
    /// Parallel slot counts to measure throughput with, comma-separated.
    #[arg(long, default_value = "1,2,4", value_delimiter = ',')]
    pub slots: Vec<u32>,
    /// The helper binary [default: `kiro-sandbox-init` next to this executable].
    #[arg(long)]
    pub helper: Option<PathBuf>,
}

/// Sorted latencies in microseconds.
struct Series(Vec<u64>);

impl Series {
    fn quantile(&self, q: f64) -> u64 {
        let i = ((self.0.len() - 1) as f64 * q).round() as usize;
        self.0[i]
    }

    fn median_ms(&self) -> f64 {
        self.quantile(0.5) as f64 / 1000.0
    }

    fn p90_ms(&self) -> f64 {
        self.quantile(0.9) as f64 / 1000.0
    }
}

/// Runs the benchmark and prints its figures, then one JSON line.
pub fn run(args: SandboxArgs) -> anyhow::Result<()> {
    let helper = match args.helper {
        Some(program) => HelperCommand {
            program,
            args: Vec::new(),
        },
        None => HelperCommand::beside_current_exe()?,
    };
    let state = tempfile::tempdir().context("creating a state directory")?;
    let mut isolations = Vec::new();
    let mut report = Vec::new();
    let mut python = None;
    for isolation in [Isolation::Native, Isolation::Bubblewrap] {
        let sandbox = match sandbox(&helper, state.path(), isolation, 1) {
            Ok(sandbox) => sandbox,
            Err(error) => {
                eprintln!("sandbox: skipping {}: {error}", isolation.as_str());
                continue;
            }
        };
        let interpreter = interpreter(&sandbox)?;
        eprintln!(
            "sandbox: {} start overhead, {} runs each…",
            isolation.as_str(),
            args.runs
        );
        let argv = vec![interpreter.clone(), "-c".into(), "pass".into()];
        let (bare_m, boxed_m) = overhead(&sandbox, &argv, args.runs)?;
        let (bare, boxed) = (&bare_m.latency, &boxed_m.latency);
        let overhead_ms = boxed.median_ms() - bare.median_ms();
        let cores = std::thread::available_parallelism()
            .map(|n| n.get())
            .unwrap_or(1) as f64;
        println!(
            "{:<10} python3 -c pass: bare median {:.2} ms (p90 {:.2}), sandboxed median {:.2} ms (p90 {:.2}): overhead {:.2} ms, ratio {:.2}",
            isolation.as_str(),
            bare.median_ms(),
            bare.p90_ms(),
            boxed.median_ms(),
            boxed.p90_ms(),
            overhead_ms,
            boxed.median_ms() / bare.median_ms(),
        );
        println!(
            "{:<10} CPU per start: bare {:.2} ms, sandboxed {:.2} ms (engine + helper + init: {:.2} ms); CPU-bound ceiling on {cores} cores: {:.0} runs/s",
            isolation.as_str(),
            bare_m.cpu_ms,
            boxed_m.cpu_ms,
            boxed_m.cpu_ms - bare_m.cpu_ms,
            cores * 1000.0 / boxed_m.cpu_ms,
        );
        report.push(json!({
            "isolation": isolation.as_str(),
            "bareMedianMs": bare.median_ms(), "bareP90Ms": bare.p90_ms(),
            "sandboxedMedianMs": boxed.median_ms(), "sandboxedP90Ms": boxed.p90_ms(),
            "overheadMs": overhead_ms,
            "bareCpuMs": bare_m.cpu_ms, "sandboxedCpuMs": boxed_m.cpu_ms,
            "cpuBoundRunsPerSecond": cores * 1000.0 / boxed_m.cpu_ms,
        }));
        isolations.push(isolation);
        python = Some(interpreter);
    }
    let Some(python) = python else {
        bail!("no isolation is available on this host");
    };
    let mut throughput = Vec::new();
    // The engine with a real interpreter, and alone (a payload that does nothing).
    let payloads = [
        (
            "python3 -c pass",
            "python3",
            vec![python.clone(), "-c".into(), "pass".into()],
        ),
        ("true", "bash", vec!["/usr/bin/true".to_owned()]),
    ];
    for &slots in &args.slots {
        let isolation = isolations[0];
        let sandbox = sandbox(&helper, state.path(), isolation, slots)?;
        for (label, environment, argv) in &payloads {
            eprintln!(
                "sandbox: throughput of `{label}` with {slots} slots, {} runs…",
                args.throughput_runs
            );
            let boxed = parallel(slots, args.throughput_runs, || {
                sandboxed_once(&sandbox, environment, argv)
            })?;
            let bare = parallel(slots, args.throughput_runs, || bare_once(argv))?;
            println!(
                "{:<10} `{label}` with {slots} slots: {:.1} runs/s sandboxed, {:.1} starts/s bare ({:.2} of bare)",
                isolation.as_str(),
                boxed,
                bare,
                boxed / bare
            );
            throughput.push(json!({"isolation": isolation.as_str(), "payload": label, "slots": slots, "runsPerSecond": boxed, "bareStartsPerSecond": bare}));
        }
    }
    println!(
        "{}",
        json!({"bench": "sandbox", "cores": std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1), "overhead": report, "throughput": throughput})
    );
    Ok(())
}

fn sandbox(
    helper: &HelperCommand,
    state: &std::path::Path,
    isolation: Isolation,
    slots: u32,
) -> anyhow::Result<Sandbox> {
    let mut config = SandboxConfig::new(state.join(format!("{}-{slots}", isolation.as_str())));
    config.helper = Some(helper.clone());
    config.isolation = Some(isolation);
    config.slots = slots;
    Ok(Sandbox::new(config)?)
}

/// The real interpreter of the `python3` environment (not a pyenv shim).
fn interpreter(sandbox: &Sandbox) -> anyhow::Result<String> {
    let env = sandbox
        .environment("python3")
        .context("the python3 environment")?;
    env.run
        .first()
        .cloned()
        .context("the python3 environment has no command")
}

fn micros(since: Instant) -> u64 {
    u64::try_from(since.elapsed().as_micros()).unwrap_or(u64::MAX)
}

/// CPU time used so far by this thread and by every reaped child (the helper, the
/// sandbox's init and the payload), microseconds.
fn cpu_now() -> u64 {
    let micros = |usage: nix::sys::resource::Usage| {
        let t = |tv: nix::sys::time::TimeVal| {
            u64::try_from(tv.tv_sec()).unwrap_or(0) * 1_000_000
                + u64::try_from(tv.tv_usec()).unwrap_or(0)
        };
        t(usage.user_time()) + t(usage.system_time())
    };
    [UsageWho::RUSAGE_THREAD, UsageWho::RUSAGE_CHILDREN]
        .into_iter()
        .filter_map(|who| getrusage(who).ok())
        .map(micros)
        .sum()
}

/// Latencies and the mean CPU time per start of one series.
struct Measured {
    latency: Series,
    cpu_ms: f64,
}

/// Bare and sandboxed starts, alternating, so both see the same machine state.
fn overhead(sandbox: &Sandbox, argv: &[String], runs: u32) -> anyhow::Result<(Measured, Measured)> {
    // Warm both paths (page cache, the helper binary) before measuring.
    for _ in 0..5 {
        bare_once(argv)?;
        sandboxed_once(sandbox, "python3", argv)?;
    }
    let (mut bare, mut boxed) = (Vec::new(), Vec::new());
    let (mut bare_cpu, mut boxed_cpu) = (0u64, 0u64);
    for _ in 0..runs {
        let (started, cpu) = (Instant::now(), cpu_now());
        bare_once(argv)?;
        bare.push(micros(started));
        bare_cpu += cpu_now() - cpu;
        let (started, cpu) = (Instant::now(), cpu_now());
        sandboxed_once(sandbox, "python3", argv)?;
        boxed.push(micros(started));
        boxed_cpu += cpu_now() - cpu;
    }
    bare.sort_unstable();
    boxed.sort_unstable();
    let per_run = |total: u64| total as f64 / 1000.0 / f64::from(runs);
    Ok((
        Measured {
            latency: Series(bare),
            cpu_ms: per_run(bare_cpu),
        },
        Measured {
            latency: Series(boxed),
            cpu_ms: per_run(boxed_cpu),
        },
    ))
}

fn bare_once(argv: &[String]) -> anyhow::Result<()> {
    let status = Command::new(&argv[0])
        .args(&argv[1..])
        .env_clear()
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .status()
        .with_context(|| format!("starting {}", argv[0]))?;
    if !status.success() {
        bail!("bare {} failed: {status}", argv[0]);
    }
    Ok(())
}

fn sandboxed_once(sandbox: &Sandbox, environment: &str, argv: &[String]) -> anyhow::Result<()> {
    let outcome = sandbox.run_command(
        environment,
        argv.to_vec(),
        b"",
        &LimitsRequest::default(),
        &(),
    )?;
    if outcome.verdict != Verdict::Accepted {
        bail!("a sandboxed {} was not accepted: {outcome:?}", argv[0]);
    }
    Ok(())
}

/// `total` runs of `once` on `threads` threads; runs per second.
fn parallel(
    threads: u32,
    total: u32,
    once: impl Fn() -> anyhow::Result<()> + Sync,
) -> anyhow::Result<f64> {
    let next = AtomicU32::new(0);
    let started = Instant::now();
    std::thread::scope(|scope| -> anyhow::Result<()> {
        let workers: Vec<_> = (0..threads)
            .map(|_| {
                scope.spawn(|| -> anyhow::Result<()> {
                    while next.fetch_add(1, Ordering::Relaxed) < total {
                        once()?;
                    }
                    Ok(())
                })
            })
            .collect();
        for worker in workers {
            worker
                .join()
                .map_err(|_| anyhow::anyhow!("a worker panicked"))??;
        }
        Ok(())
    })?;
    let elapsed = started.elapsed().max(Duration::from_micros(1));
    Ok(f64::from(total) / elapsed.as_secs_f64())
}
