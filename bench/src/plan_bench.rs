//! `kiro-bench plan-schedule`: the pure critical-path scheduler (`build_schedule`) on a
//! random acyclic plan of 10,000 tasks and 30,000 dependencies, and the cycle check the
//! store runs before adding a dependency (`graph::find_cycle`) on the same graph, for an
//! edge that closes a cycle and for a safe one that searches everything downstream.

use std::hint::black_box;
use std::time::{Duration, Instant};

use anyhow::ensure;
use kiro_core::planning::graph::find_cycle;
use kiro_core::planning::plan::build_schedule;

use crate::plan_graph::{random_plan, summary};

/// Options of `kiro-bench plan-schedule`.
#[derive(Debug, clap::Args)]
pub struct PlanScheduleArgs {
    #[arg(long, default_value_t = 10_000, value_parser = clap::value_parser!(u32).range(2..))]
    pub tasks: u32,
    #[arg(long, default_value_t = 30_000)]
    pub dependencies: u32,
    /// Timed runs of each measurement (after one warm-up).
    #[arg(long, default_value_t = 7, value_parser = clap::value_parser!(u32).range(1..))]
    pub runs: u32,
    #[arg(long, default_value_t = 42)]
    pub seed: u64,
}

fn timed<T>(runs: u32, mut f: impl FnMut() -> T) -> (Vec<Duration>, T) {
    let mut last = f();
    let mut samples = Vec::with_capacity(runs as usize);
    for _ in 0..runs {
        let started = Instant::now();
        last = black_box(f());
        samples.push(started.elapsed());
    }
    (samples, last)
}

pub fn run(args: &PlanScheduleArgs) -> anyhow::Result<()> {
    let plan = random_plan(
        args.tasks as usize,
        args.dependencies as usize,
        0,
        args.seed,
    );
    let (tasks, deps) = (plan.tasks.len(), plan.dependencies.len());
    eprintln!(
        "plan-schedule: {tasks} tasks, {deps} dependencies, {} runs",
        args.runs
    );
    let (samples, schedule) = timed(args.runs, || {
        build_schedule("bench", plan.start, &plan.tasks, &plan.dependencies)
    });
    let Some(schedule) = schedule else {
        anyhow::bail!("the generated plan holds a cycle");
    };
    let (median, min, max) = summary(&samples);
    println!("build_schedule: {tasks} tasks, {deps} dependencies");
    println!("  median {median:.2} ms, min {min:.2} ms, max {max:.2} ms");
    println!(
        "  {} days, critical path of {} tasks, {} violations",
        schedule.duration_days,
        schedule.critical_path.len(),
        schedule.violations.len()
    );

    let edges: Vec<(&str, &str)> = plan
        .dependencies
        .iter()
        .map(|d| (d.predecessor_id.as_str(), d.successor_id.as_str()))
        .collect();
    // Rank order is the ids' order: nothing reaches the first task, the last one is
    // downstream of (nearly) everything.
    let first = "task-000000";
    let second = "task-000001";
    let last = format!("task-{:06}", args.tasks - 1);
    let (closing, cycle) = timed(args.runs, || find_cycle(&edges, &last, second));
    let (safe, none) = timed(args.runs, || find_cycle(&edges, first, second));
    ensure!(
        none.is_none(),
        "a first-to-second edge cannot close a cycle"
    );
    let (c_median, c_min, c_max) = summary(&closing);
    let (s_median, s_min, s_max) = summary(&safe);
    println!("find_cycle on the same graph (builds its adjacency each call, as the store does):");
    match &cycle {
        Some(path) => println!(
            "  closing edge {last} -> {second}: median {c_median:.2} ms, min {c_min:.2}, max {c_max:.2} (cycle of {} tasks)",
            path.len() - 1
        ),
        None => println!(
            "  edge {last} -> {second} (no path back): median {c_median:.2} ms, min {c_min:.2}, max {c_max:.2}"
        ),
    }
    println!(
        "  safe edge {first} -> {second}: median {s_median:.2} ms, min {s_min:.2}, max {s_max:.2}"
    );
    println!(
        "{}",
        serde_json::json!({
            "bench": "plan-schedule",
            "tasks": tasks,
            "dependencies": deps,
            "runs": args.runs,
            "scheduleMs": { "median": median, "min": min, "max": max },
            "findCycleClosingMs": { "median": c_median, "min": c_min, "max": c_max },
            "findCycleSafeMs": { "median": s_median, "min": s_min, "max": s_max },
            "cycleFound": cycle.is_some(),
        })
    );
    Ok(())
}
