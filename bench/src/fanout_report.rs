//! The figures of `kiro-bench fanout` for people (a table and a few notes)
//! and for machines (one JSON line), with the target from the issue beside
//! the p99: under 25 ms for 1,000 subscribers on a 2-core machine.

use serde_json::{Value, json};

use crate::fanout::Plan;
use crate::report::{micros, round1};
use crate::tally::Figures;
use crate::writer::Writes;

/// The p99 latency the issue asks for, µs.
const TARGET_P99_US: u64 = 25_000;
/// The subscriber count that target is stated for.
const TARGET_SUBSCRIBERS: u32 = 1_000;

/// The outcome of one scenario.
pub struct Scenario {
    /// `single` or `two-process`.
    pub name: &'static str,
    /// `sqlite` or `postgres`.
    pub backend: &'static str,
    pub processes: usize,
    /// One per server, in server order.
    pub groups: Vec<Figures>,
    pub all: Figures,
    pub writes: Writes,
}

impl Scenario {
    fn label(&self) -> String {
        let backend = match self.backend {
            "sqlite" => "SQLite",
            "postgres" => "PostgreSQL",
            other => other,
        };
        format!("{} ({backend})", self.name)
    }

    /// The rows of the table: the total, then each group when there are several.
    fn rows(&self) -> Vec<(String, &Figures)> {
        let mut rows = vec![(self.label(), &self.all)];
        if self.groups.len() > 1 {
            rows.extend(self.groups.iter().map(|g| (format!("  {}", g.name), g)));
        }
        rows
    }
}

/// The name of the subscribers of server `index` out of `count`.
pub fn group_name(index: usize, count: usize) -> String {
    match (index, count) {
        (_, 1) => "all".to_owned(),
        (0, _) => "A: writer's process".to_owned(),
        (1, _) => "B: via LISTEN/NOTIFY".to_owned(),
        (i, _) => format!("process {i}: via LISTEN/NOTIFY"),
    }
}

/// The table and the notes.
pub fn text(scenarios: &[Scenario], plan: Plan) -> String {
    let rows: Vec<(String, &Figures)> = scenarios.iter().flat_map(Scenario::rows).collect();
    let width = rows
        .iter()
        .map(|(n, _)| n.chars().count())
        .max()
        .unwrap_or(0)
        .max(8);
    let mut out = format!(
        "fan-out: {} subscribers on one topic, renames at {}/s for {}s (at most {})\n\n",
        plan.subscribers,
        plan.rate,
        plan.duration.as_secs_f64(),
        plan.total
    );
    out.push_str(&format!(
        "{:<width$}  {:>5}  {:>12}  {:>9}  {:>9}  {:>9}  {:>9}  {:>9}  {:>9}  {:>7}  {:>4}  {:>5}\n",
        "scenario", "subs", "deliveries/s", "p50", "p90", "p99", "max", "at p50", "at p99",
        "missing", "dup", "order"
    ));
    for (name, f) in &rows {
        let at = |q: f64| f.latency.value_at_quantile(q);
        out.push_str(&format!(
            "{:<width$}  {:>5}  {:>12.1}  {:>9}  {:>9}  {:>9}  {:>9}  {:>9}  {:>9}  {:>7}  {:>4}  {:>5}\n",
            name,
            f.subscribers,
            f.per_second,
            micros(at(0.50)),
            micros(at(0.90)),
            micros(at(0.99)),
            micros(f.latency.max()),
            micros(f.since_at.value_at_quantile(0.50)),
            micros(f.since_at.value_at_quantile(0.99)),
            f.missing,
            f.duplicates,
            f.out_of_order
        ));
    }
    out.push_str(
        "\np50…max: receipt − the writer's PATCH response; at p50/p99: receipt − the event's \
         `at` (millisecond precision); order: deliveries behind a later one\n",
    );
    for s in scenarios {
        let w = &s.writes;
        out.push_str(&format!(
            "writes, {}: {} renames in {:.2}s ({:.1}/s, {}/s asked), PATCH p50 {}, p99 {}",
            s.name,
            w.acked.len(),
            (w.finished - w.started).as_secs_f64(),
            w.per_second(),
            plan.rate,
            micros(w.latencies.value_at_quantile(0.50)),
            micros(w.latencies.value_at_quantile(0.99)),
        ));
        if s.all.early > 0 {
            out.push_str(&format!(
                "; {} deliveries beat their PATCH response (counted as 1µs)",
                s.all.early
            ));
        }
        out.push('\n');
        for (name, f) in s.rows() {
            if f.unexpected > 0 {
                out.push_str(&format!(
                    "{}: {} unexpected messages\n",
                    name.trim(),
                    f.unexpected
                ));
            }
            if let Some(problem) = f.first_problem.as_ref().filter(|_| !f.is_clean()) {
                out.push_str(&format!("{}: first problem: {problem}\n", name.trim()));
            }
        }
    }
    let verdicts: Vec<String> = scenarios
        .iter()
        .map(|s| {
            let p99 = s.all.latency.value_at_quantile(0.99);
            let verdict = if p99 < TARGET_P99_US {
                "met"
            } else {
                "not met"
            };
            format!("{} {} ({verdict})", s.name, micros(p99))
        })
        .collect();
    out.push_str(&format!(
        "target (issue): p99 under {} for {TARGET_SUBSCRIBERS} subscribers on a 2-core machine: {}",
        micros(TARGET_P99_US),
        verdicts.join(", ")
    ));
    if plan.subscribers != TARGET_SUBSCRIBERS {
        out.push_str(&format!(" (this run: {} subscribers)", plan.subscribers));
    }
    out.push('\n');
    out
}

/// The one JSON line.
pub fn json(scenarios: &[Scenario], plan: Plan) -> Value {
    json!({
        "bench": "fanout",
        "subscribers": plan.subscribers,
        "rate": plan.rate,
        "duration_s": plan.duration.as_secs_f64(),
        "renames_planned": plan.total,
        "target": { "p99_us": TARGET_P99_US, "subscribers": TARGET_SUBSCRIBERS },
        "scenarios": scenarios.iter().map(scenario_json).collect::<Vec<_>>(),
    })
}

fn scenario_json(s: &Scenario) -> Value {
    let w = &s.writes;
    json!({
        "scenario": s.name,
        "backend": s.backend,
        "processes": s.processes,
        "writes": {
            "renames": w.acked.len(),
            "seconds": (w.finished - w.started).as_secs_f64(),
            "per_second": round1(w.per_second()),
            "patch_p50_us": w.latencies.value_at_quantile(0.50),
            "patch_p99_us": w.latencies.value_at_quantile(0.99),
        },
        "all": figures_json(&s.all),
        "groups": if s.groups.len() > 1 {
            s.groups.iter().map(figures_json).collect::<Vec<_>>()
        } else {
            Vec::new()
        },
    })
}

fn figures_json(f: &Figures) -> Value {
    let at = |q: f64| f.latency.value_at_quantile(q);
    json!({
        "group": f.name,
        "subscribers": f.subscribers,
        "deliveries": f.deliveries,
        "deliveries_per_s": round1(f.per_second),
        "p50_us": at(0.50),
        "p90_us": at(0.90),
        "p99_us": at(0.99),
        "max_us": f.latency.max(),
        "at_p50_us": f.since_at.value_at_quantile(0.50),
        "at_p99_us": f.since_at.value_at_quantile(0.99),
        "at_max_us": f.since_at.max(),
        "missing": f.missing,
        "duplicates": f.duplicates,
        "out_of_order": f.out_of_order,
        "unexpected": f.unexpected,
        "early": f.early,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn groups_are_named_after_their_process() {
        assert_eq!(group_name(0, 1), "all");
        assert_eq!(group_name(0, 2), "A: writer's process");
        assert_eq!(group_name(1, 2), "B: via LISTEN/NOTIFY");
    }
}
