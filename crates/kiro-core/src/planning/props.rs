//! Property tests of the scheduler and the cycle check: the critical path's length equals a
//! brute-force longest path on random DAGs, and no accepted dependency ever closes a cycle.

#![allow(clippy::unwrap_used)]

use kiro_types::planning::DependencyKind;
use proptest::prelude::*;

use super::graph::find_cycle;
use super::schedule::{Edge, schedule, topological_order};

const KINDS: [DependencyKind; 4] = [
    DependencyKind::FinishToStart,
    DependencyKind::StartToStart,
    DependencyKind::FinishToFinish,
    DependencyKind::StartToFinish,
];

/// A random DAG: durations, and edges only from a lower to a higher index.
fn dag() -> impl Strategy<Value = (Vec<i64>, Vec<Edge>)> {
    (1usize..8).prop_flat_map(|n| {
        let durations = proptest::collection::vec(1i64..10, n);
        let edges = proptest::collection::vec((0..n, 0..n, 0usize..4, -3i64..6), 0..(n * 2));
        (durations, edges).prop_map(|(d, raw)| {
            let edges = raw
                .into_iter()
                .filter(|(a, b, _, _)| a < b)
                .map(|(from, to, k, lag)| Edge {
                    from,
                    to,
                    kind: KINDS[k],
                    lag,
                })
                .collect();
            (d, edges)
        })
    })
}

/// The project length by enumerating every path: a task's earliest start is the longest
/// weighted path ending at it (or 0), its finish that plus its duration.
fn brute_length(d: &[i64], edges: &[Edge]) -> i64 {
    fn walk(at: usize, sum: i64, d: &[i64], edges: &[Edge], best: &mut i64) {
        *best = (*best).max(sum.max(0) + d[at]).max(d[at]);
        for e in edges.iter().filter(|e| e.from == at) {
            walk(e.to, sum.max(0) + e.weight(d[at], d[e.to]), d, edges, best);
        }
    }
    let mut best = 0;
    for start in 0..d.len() {
        walk(start, 0, d, edges, &mut best);
    }
    best
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn critical_path_length_equals_the_brute_force_longest_path((d, edges) in dag()) {
        let plan = schedule(&d, &edges).unwrap();
        prop_assert_eq!(plan.length, brute_length(&d, &edges));
        // The path is a chain of tight dependencies from day 0 to the finish, all with no
        // slack, and its weights add up to the length.
        let path = &plan.critical_path;
        prop_assert!(!path.is_empty());
        prop_assert_eq!(plan.earliest_start[path[0]], 0);
        let last = path[path.len() - 1];
        prop_assert_eq!(plan.earliest_start[last] + d[last], plan.length);
        let mut total = 0;
        for pair in path.windows(2) {
            let tight = edges.iter().find(|e| e.from == pair[0] && e.to == pair[1]
                && plan.earliest_start[pair[0]] + e.weight(d[pair[0]], d[pair[1]])
                    == plan.earliest_start[pair[1]]);
            prop_assert!(tight.is_some(), "no tight edge {:?}", pair);
            total += tight.map(|e| e.weight(d[pair[0]], d[pair[1]])).unwrap_or(0);
        }
        prop_assert_eq!(total + d[last], plan.length);
        for &t in path {
            prop_assert_eq!(plan.slack(t), 0);
        }
        for t in 0..d.len() {
            prop_assert!(plan.slack(t) >= 0);
        }
    }

    #[test]
    fn no_accepted_dependency_closes_a_cycle(
        n in 2usize..10,
        attempts in proptest::collection::vec((0usize..10, 0usize..10), 1..40),
    ) {
        let mut accepted: Vec<(String, String)> = Vec::new();
        for (a, b) in attempts {
            let (a, b) = ((a % n).to_string(), (b % n).to_string());
            match find_cycle(&accepted, &a, &b) {
                None => accepted.push((a, b)),
                Some(cycle) => {
                    // The named cycle is real: it starts and ends at the predecessor, runs
                    // along the new edge, then along accepted edges only.
                    prop_assert_eq!(cycle.first(), Some(&a));
                    prop_assert_eq!(cycle.last(), Some(&a));
                    prop_assert_eq!(&cycle[1], &b);
                    for pair in cycle[1..].windows(2) {
                        prop_assert!(accepted.iter().any(|(x, y)| *x == pair[0] && *y == pair[1])
                            || (a == b));
                    }
                }
            }
        }
        let index = |s: &str| s.parse::<usize>().unwrap();
        let edges: Vec<Edge> = accepted.iter().map(|(a, b)| Edge {
            from: index(a), to: index(b), kind: DependencyKind::FinishToStart, lag: 0,
        }).collect();
        prop_assert!(topological_order(n, &edges).is_some());
    }
}
