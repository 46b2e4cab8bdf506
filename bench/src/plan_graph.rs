//! Random acyclic plans for the planning benches: tasks with estimates (some with their
//! own dates), dependencies of mixed kinds and lags that always run from a lower to a
//! higher rank (acyclic by construction), handed out in shuffled order, plus milestones.
//! Seeded, so every run measures the same plan.

use std::collections::HashSet;
use std::time::Duration;

use chrono::{NaiveDate, Utc};
use kiro_sdk::kiro_types::planning::{
    Dependency, DependencyKind, Milestone, Task, TaskPriority, TaskStatus,
};

/// SplitMix64: small, fast, reproducible.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Rng(seed)
    }

    pub fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (n > 0).
    pub fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

/// A generated plan.
pub struct Plan {
    pub start: NaiveDate,
    pub tasks: Vec<Task>,
    pub dependencies: Vec<Dependency>,
    pub milestones: Vec<Milestone>,
}

/// Rank distance a dependency spans at most, so chains stay plausible.
const WINDOW: usize = 300;

/// `tasks` tasks and `dependencies` distinct dependencies (fewer if the window cannot hold
/// that many), `milestones` milestones.
pub fn random_plan(tasks: usize, dependencies: usize, milestones: usize, seed: u64) -> Plan {
    let mut rng = Rng::new(seed);
    let start = NaiveDate::from_ymd_opt(2026, 1, 5).unwrap_or_default();
    let now = Utc::now();
    let id = |rank: usize| format!("task-{rank:06}");
    let mut list: Vec<Task> = (0..tasks)
        .map(|rank| {
            let dated = rng.below(5) == 0;
            let offset = rng.below(120) as i64;
            let days = 1 + rng.below(10) as i64;
            Task {
                id: id(rank),
                project_id: "bench".into(),
                title: format!("Task {rank}"),
                description: String::new(),
                status: [TaskStatus::Todo, TaskStatus::InProgress, TaskStatus::Done]
                    [rng.below(3) as usize],
                priority: TaskPriority::Medium,
                assignee: None,
                estimated_hours: (4 + rng.below(77)) as f64,
                actual_hours: 0.0,
                dependencies: Vec::new(),
                tags: Vec::new(),
                start_date: dated.then(|| start + chrono::Duration::days(offset)),
                end_date: dated.then(|| start + chrono::Duration::days(offset + days - 1)),
                created_at: now,
                updated_at: now,
                version: 1,
            }
        })
        .collect();
    let capacity: usize = (1..tasks).map(|j| j.min(WINDOW)).sum();
    let wanted = dependencies.min(capacity);
    let mut seen = HashSet::with_capacity(wanted);
    let mut deps = Vec::with_capacity(wanted);
    while deps.len() < wanted {
        let to = 1 + rng.below(tasks as u64 - 1) as usize;
        let from = to - 1 - rng.below(to.min(WINDOW) as u64) as usize;
        if !seen.insert((from, to)) {
            continue;
        }
        let kind = match rng.below(10) {
            0 => DependencyKind::StartToStart,
            1 => DependencyKind::FinishToFinish,
            2 => DependencyKind::StartToFinish,
            _ => DependencyKind::FinishToStart,
        };
        let lag = if rng.below(4) == 0 {
            rng.below(8) as i32 - 2
        } else {
            0
        };
        list[to].dependencies.push(id(from));
        deps.push(Dependency {
            id: format!("dep-{}", deps.len()),
            predecessor_id: id(from),
            successor_id: id(to),
            kind,
            lag_days: lag,
            created_at: now,
        });
    }
    // Shuffle so the scheduler cannot rely on the input being in rank order.
    for i in (1..list.len()).rev() {
        list.swap(i, rng.below(i as u64 + 1) as usize);
    }
    for i in (1..deps.len()).rev() {
        deps.swap(i, rng.below(i as u64 + 1) as usize);
    }
    let milestones = (0..milestones)
        .map(|i| Milestone {
            id: format!("milestone-{i}"),
            project_id: "bench".into(),
            name: format!("Milestone {i}"),
            description: String::new(),
            date: start + chrono::Duration::days(rng.below(200) as i64),
            task_ids: Vec::new(),
            created_at: now,
            updated_at: now,
            version: 1,
        })
        .collect();
    Plan {
        start,
        tasks: list,
        dependencies: deps,
        milestones,
    }
}

/// Median, min and max of `samples`, in milliseconds.
pub fn summary(samples: &[Duration]) -> (f64, f64, f64) {
    let mut ms: Vec<f64> = samples.iter().map(|d| d.as_secs_f64() * 1000.0).collect();
    ms.sort_by(f64::total_cmp);
    if ms.is_empty() {
        return (0.0, 0.0, 0.0);
    }
    (ms[ms.len() / 2], ms[0], ms[ms.len() - 1])
}

#[cfg(test)]
mod tests {
    use super::*;
    use kiro_core::planning::plan::build_schedule;

    #[test]
    fn plans_are_acyclic_with_the_asked_counts() {
        let plan = random_plan(500, 1500, 5, 7);
        assert_eq!(plan.tasks.len(), 500);
        assert_eq!(plan.dependencies.len(), 1500);
        assert_eq!(plan.milestones.len(), 5);
        let linked: usize = plan.tasks.iter().map(|t| t.dependencies.len()).sum();
        assert_eq!(linked, 1500);
        let schedule = build_schedule("bench", plan.start, &plan.tasks, &plan.dependencies);
        assert!(schedule.is_some(), "acyclic by construction");
    }

    #[test]
    fn the_median_is_the_middle_sample() {
        let samples = [3, 1, 2].map(Duration::from_millis);
        assert_eq!(summary(&samples), (2.0, 1.0, 3.0));
    }
}
