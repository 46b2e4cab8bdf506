//! Dependency-graph checks: whether adding `predecessor → successor` would close a cycle,
//! and if so which tasks the cycle runs through, so the refusal can name it.

use std::collections::{HashMap, HashSet, VecDeque};

/// The cycle that adding the edge `predecessor → successor` to `edges` (pairs of
/// predecessor and successor ids) would close, as task ids from `predecessor` along the new
/// edge and back to `predecessor` (first id repeated last); `None` when the edge is safe.
/// A self-dependency is the cycle `[id, id]`.
pub fn find_cycle<S: AsRef<str>>(
    edges: &[(S, S)],
    predecessor: &str,
    successor: &str,
) -> Option<Vec<String>> {
    if predecessor == successor {
        return Some(vec![predecessor.to_owned(), predecessor.to_owned()]);
    }
    let mut out: HashMap<&str, Vec<&str>> = HashMap::new();
    for (from, to) in edges {
        out.entry(from.as_ref()).or_default().push(to.as_ref());
    }
    // Breadth-first from the successor: a path back to the predecessor closes the cycle.
    let mut parent: HashMap<&str, &str> = HashMap::new();
    let mut seen: HashSet<&str> = HashSet::from([successor]);
    let mut queue = VecDeque::from([successor]);
    while let Some(at) = queue.pop_front() {
        if at == predecessor {
            let mut path = vec![at.to_owned()];
            let mut cursor = at;
            while let Some(&p) = parent.get(cursor) {
                path.push(p.to_owned());
                cursor = p;
            }
            path.push(predecessor.to_owned());
            path.reverse();
            return Some(path);
        }
        for &next in out.get(at).map(Vec::as_slice).unwrap_or_default() {
            if seen.insert(next) {
                parent.insert(next, at);
                queue.push_back(next);
            }
        }
    }
    None
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn a_closing_edge_names_the_cycle_in_order() {
        let edges = [("a", "b"), ("b", "c")];
        assert_eq!(
            find_cycle(&edges, "c", "a").unwrap(),
            vec!["c", "a", "b", "c"]
        );
        assert_eq!(find_cycle(&edges, "a", "c"), None);
    }

    #[test]
    fn a_self_dependency_is_a_cycle_of_one() {
        let edges: [(&str, &str); 0] = [];
        assert_eq!(find_cycle(&edges, "x", "x").unwrap(), vec!["x", "x"]);
    }
}
