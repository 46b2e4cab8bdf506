//! Judging a case's output against its expected output: exactly, or ignoring whitespace.
//! (A checker script is a sandboxed run of its own: see [`crate::submission`].)

use serde::{Deserialize, Serialize};

/// How a case's output is compared with its expected output.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "mode", rename_all = "camelCase")]
pub enum Comparison {
    /// Byte for byte.
    Exact,
    /// The same words in the same order; any run of whitespace (spaces, tabs, newlines,
    /// trailing newline) counts as one separator.
    #[default]
    IgnoreWhitespace,
    /// A checker program in another environment decides: it runs as
    /// `<its run command> input.txt expected.txt actual.txt` in its own sandbox and exits 0
    /// for a correct answer, 1 for a wrong one; anything else is an internal error.
    Checker { environment: String, source: String },
}

/// Whether `actual` matches `expected` under an exact or whitespace-insensitive comparison.
pub fn matches(comparison: &Comparison, expected: &str, actual: &str) -> bool {
    match comparison {
        Comparison::Exact => expected == actual,
        Comparison::IgnoreWhitespace | Comparison::Checker { .. } => {
            expected.split_whitespace().eq(actual.split_whitespace())
        }
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    #[test]
    fn exact_is_exact_and_whitespace_mode_is_not() {
        assert!(matches(&Comparison::Exact, "1 2\n", "1 2\n"));
        assert!(!matches(&Comparison::Exact, "1 2\n", "1 2"));
        assert!(matches(&Comparison::IgnoreWhitespace, "1 2\n", "1\t 2"));
        assert!(!matches(&Comparison::IgnoreWhitespace, "1 2", "12"));
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(200))]

        #[test]
        fn reflowing_whitespace_never_changes_a_whitespace_insensitive_verdict(
            words in proptest::collection::vec("[a-z0-9]{1,6}", 0..8),
            gaps in proptest::collection::vec(prop_oneof![Just(" "), Just("\n"), Just("\t "), Just("  \n")], 8),
        ) {
            let plain = words.join(" ");
            let reflowed: String = words.iter().zip(gaps.iter().cycle()).map(|(w, g)| format!("{w}{g}")).collect();
            prop_assert!(matches(&Comparison::IgnoreWhitespace, &plain, &reflowed));
        }
    }
}
