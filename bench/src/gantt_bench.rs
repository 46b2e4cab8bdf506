//! `kiro-bench gantt-render`: computing and rendering ConceptPulse's Gantt chart SVG for a
//! random plan of 2,000 tasks, ~4,000 dependencies and 20 milestones (the schedule is built
//! once, outside the timing), and the terminal chart of the same plan.

use std::time::Instant;

use anyhow::Context;
use askama::Template;
use conceptpulse::cli::plan::gantt::{TextGanttOptions, text_gantt};
use conceptpulse::web::plan::gantt::gantt;
use kiro_core::planning::plan::build_schedule;

use crate::plan_graph::{random_plan, summary};

/// Options of `kiro-bench gantt-render`.
#[derive(Debug, clap::Args)]
pub struct GanttRenderArgs {
    #[arg(long, default_value_t = 2_000, value_parser = clap::value_parser!(u32).range(2..))]
    pub tasks: u32,
    #[arg(long, default_value_t = 4_000)]
    pub dependencies: u32,
    #[arg(long, default_value_t = 20)]
    pub milestones: u32,
    /// Timed renders (after one warm-up).
    #[arg(long, default_value_t = 15, value_parser = clap::value_parser!(u32).range(1..))]
    pub runs: u32,
    #[arg(long, default_value_t = 42)]
    pub seed: u64,
}

pub fn run(args: &GanttRenderArgs) -> anyhow::Result<()> {
    let plan = random_plan(
        args.tasks as usize,
        args.dependencies as usize,
        args.milestones as usize,
        args.seed,
    );
    let schedule = build_schedule("bench", plan.start, &plan.tasks, &plan.dependencies)
        .context("the generated plan holds a cycle")?;
    let today = plan.start + chrono::Duration::days(30);
    let draw = || {
        let chart = gantt(
            "gantt",
            "Bench plan",
            &plan.tasks,
            &schedule,
            &plan.milestones,
            today,
        );
        chart.render().map(|svg| (chart, svg))
    };
    let (chart, mut svg) = draw()?;
    let mut compute = Vec::new();
    let mut total = Vec::new();
    for _ in 0..args.runs {
        let started = Instant::now();
        let chart = gantt(
            "gantt",
            "Bench plan",
            &plan.tasks,
            &schedule,
            &plan.milestones,
            today,
        );
        compute.push(started.elapsed());
        svg = chart.render()?;
        total.push(started.elapsed());
    }
    let mut text = Vec::new();
    let mut lines = 0;
    for _ in 0..args.runs {
        let started = Instant::now();
        let out = text_gantt(
            &plan.tasks,
            &schedule,
            &plan.milestones,
            today,
            TextGanttOptions {
                width: 160,
                ascii: false,
            },
        );
        text.push(started.elapsed());
        lines = out.lines().count();
    }
    let (median, min, max) = summary(&total);
    let (geometry, _, _) = summary(&compute);
    let (text_median, _, _) = summary(&text);
    let kib = svg.len() as f64 / 1024.0;
    println!(
        "gantt SVG: {} tasks, {} dependency arrows, {} milestones, {:?} axis",
        chart.bars.len(),
        chart.arrows.len(),
        chart.milestones.len(),
        chart.scale
    );
    println!(
        "  compute + render: median {median:.2} ms, min {min:.2} ms, max {max:.2} ms (geometry alone: median {geometry:.2} ms)"
    );
    println!(
        "  SVG size: {} bytes ({kib:.0} KiB), {} x {} units",
        svg.len(),
        chart.width,
        chart.height
    );
    println!("text gantt (160 columns): median {text_median:.2} ms, {lines} lines");
    println!(
        "{}",
        serde_json::json!({
            "bench": "gantt-render",
            "tasks": chart.bars.len(),
            "arrows": chart.arrows.len(),
            "milestones": chart.milestones.len(),
            "runs": args.runs,
            "renderMs": { "median": median, "min": min, "max": max },
            "geometryMedianMs": geometry,
            "svgBytes": svg.len(),
            "textMedianMs": text_median,
        })
    );
    Ok(())
}
