//! The critical-path scheduler, as pure functions over day offsets: a forward pass for the
//! earliest start and finish, a backward pass for the latest, slack, the critical path, and
//! the dependencies that tasks' current dates violate.
//!
//! Time is counted in **calendar days** (weekends and holidays are working days). A task
//! of duration `d` starting on day `s` works days `s .. s + d` (finish exclusive here; the
//! wire shows the last day of work). A dependency `u → v` of kind `k` with lag `l` requires:
//! finish-to-start `S(v) ≥ F(u) + l`, start-to-start `S(v) ≥ S(u) + l`,
//! finish-to-finish `F(v) ≥ F(u) + l`, start-to-finish `F(v) ≥ S(u) + l`.
//! No task starts before day 0. The input must be acyclic (see [`super::graph`]).

use kiro_types::planning::DependencyKind;

/// A dependency between task indexes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Edge {
    pub from: usize,
    pub to: usize,
    pub kind: DependencyKind,
    pub lag: i64,
}

impl Edge {
    /// The least `S(to) - S(from)` the edge allows, given both durations.
    pub fn weight(&self, from_duration: i64, to_duration: i64) -> i64 {
        match self.kind {
            DependencyKind::FinishToStart => from_duration + self.lag,
            DependencyKind::StartToStart => self.lag,
            DependencyKind::FinishToFinish => from_duration + self.lag - to_duration,
            DependencyKind::StartToFinish => self.lag - to_duration,
        }
    }
}

/// Each task's earliest and latest start (finish = start + duration) and slack.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Plan {
    pub earliest_start: Vec<i64>,
    pub latest_start: Vec<i64>,
    /// The project's length in days: the latest earliest finish.
    pub length: i64,
    /// Task indexes of the critical path, first to last.
    pub critical_path: Vec<usize>,
}

impl Plan {
    pub fn slack(&self, task: usize) -> i64 {
        self.latest_start[task] - self.earliest_start[task]
    }
}

/// A topological order of the tasks, or `None` when the edges hold a cycle.
pub fn topological_order(n: usize, edges: &[Edge]) -> Option<Vec<usize>> {
    let mut indegree = vec![0usize; n];
    let mut out: Vec<Vec<usize>> = vec![Vec::new(); n];
    for e in edges {
        indegree[e.to] += 1;
        out[e.from].push(e.to);
    }
    let mut ready: Vec<usize> = (0..n).filter(|&i| indegree[i] == 0).collect();
    let mut order = Vec::with_capacity(n);
    while let Some(u) = ready.pop() {
        order.push(u);
        for &v in &out[u] {
            indegree[v] -= 1;
            if indegree[v] == 0 {
                ready.push(v);
            }
        }
    }
    (order.len() == n).then_some(order)
}

/// Schedules tasks of the given durations (days, at least 0) under `edges`; `None` when the
/// edges hold a cycle or name a task out of range.
pub fn schedule(durations: &[i64], edges: &[Edge]) -> Option<Plan> {
    let n = durations.len();
    if edges.iter().any(|e| e.from >= n || e.to >= n) {
        return None;
    }
    let order = topological_order(n, edges)?;
    let mut incoming: Vec<Vec<usize>> = vec![Vec::new(); n];
    let mut outgoing: Vec<Vec<usize>> = vec![Vec::new(); n];
    for (i, e) in edges.iter().enumerate() {
        incoming[e.to].push(i);
        outgoing[e.from].push(i);
    }
    let d = durations;
    let mut es = vec![0i64; n];
    for &v in &order {
        for &i in &incoming[v] {
            let e = &edges[i];
            es[v] = es[v].max(es[e.from] + e.weight(d[e.from], d[v]));
        }
    }
    let length = (0..n).map(|i| es[i] + d[i]).max().unwrap_or(0);
    let mut ls: Vec<i64> = (0..n).map(|i| length - d[i]).collect();
    for &u in order.iter().rev() {
        for &i in &outgoing[u] {
            let e = &edges[i];
            ls[u] = ls[u].min(ls[e.to] - e.weight(d[u], d[e.to]));
        }
    }
    let critical_path = critical_path(d, edges, &incoming, &es, &ls, length);
    Some(Plan {
        earliest_start: es,
        latest_start: ls,
        length,
        critical_path,
    })
}

/// Walks back from a task finishing last through predecessors whose constraint is tight,
/// until a task that starts on day 0.
fn critical_path(
    d: &[i64],
    edges: &[Edge],
    incoming: &[Vec<usize>],
    es: &[i64],
    ls: &[i64],
    length: i64,
) -> Vec<usize> {
    let n = d.len();
    let Some(mut at) = (0..n).find(|&i| es[i] + d[i] == length && ls[i] == es[i]) else {
        return Vec::new();
    };
    let mut path = vec![at];
    while es[at] > 0 {
        let driver = incoming[at].iter().map(|&i| &edges[i]).find(|e| {
            es[e.from] + e.weight(d[e.from], d[at]) == es[at] && ls[e.from] == es[e.from]
        });
        match driver {
            Some(e) => {
                at = e.from;
                path.push(at);
            }
            None => break,
        }
    }
    path.reverse();
    path
}

/// How many days `to` starts too early for the edge, given both tasks' current starts
/// (positive: violated).
pub fn days_late(edge: &Edge, start: &[i64], durations: &[i64]) -> i64 {
    let need = start[edge.from] + edge.weight(durations[edge.from], durations[edge.to]);
    need - start[edge.to]
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use DependencyKind::*;

    fn edge(from: usize, to: usize, kind: DependencyKind, lag: i64) -> Edge {
        Edge {
            from,
            to,
            kind,
            lag,
        }
    }

    #[test]
    fn finish_to_start_chain_is_critical_and_a_side_task_has_slack() {
        // 0 (3 d) → 1 (2 d); 2 (1 d) alone.
        let plan = schedule(&[3, 2, 1], &[edge(0, 1, FinishToStart, 0)]).unwrap();
        assert_eq!(plan.earliest_start, vec![0, 3, 0]);
        assert_eq!(plan.length, 5);
        assert_eq!(plan.slack(2), 4);
        assert_eq!(plan.critical_path, vec![0, 1]);
    }

    #[test]
    fn each_kind_and_lag_moves_the_successor_as_defined() {
        let cases = [
            (FinishToStart, 2, 6),  // S1 >= 4 + 2
            (StartToStart, 1, 1),   // S1 >= 0 + 1
            (FinishToFinish, 0, 2), // F1 = S1 + 2 >= 4
            (StartToFinish, 5, 3),  // S1 + 2 >= 0 + 5
        ];
        for (kind, lag, start) in cases {
            let plan = schedule(&[4, 2], &[edge(0, 1, kind, lag)]).unwrap();
            assert_eq!(plan.earliest_start[1], start, "{kind:?}");
        }
    }

    #[test]
    fn a_lead_never_starts_a_task_before_day_zero() {
        let plan = schedule(&[1, 5], &[edge(0, 1, StartToStart, -3)]).unwrap();
        assert_eq!(plan.earliest_start[1], 0);
        assert_eq!(plan.critical_path, vec![1]);
    }

    #[test]
    fn cycles_and_bad_indexes_are_refused() {
        let cycle = [edge(0, 1, FinishToStart, 0), edge(1, 0, FinishToStart, 0)];
        assert!(schedule(&[1, 1], &cycle).is_none());
        assert!(schedule(&[1], &[edge(0, 3, FinishToStart, 0)]).is_none());
    }

    #[test]
    fn violations_count_the_days_a_successor_is_early() {
        let e = edge(0, 1, FinishToStart, 1);
        assert_eq!(days_late(&e, &[0, 3], &[3, 1]), 1);
        assert_eq!(days_late(&e, &[0, 4], &[3, 1]), 0);
    }
}
