//! Verdicts in Judge0's vocabulary and the fixed precedence that decides between them: when a
//! run hits several conditions (a memory kill shows up as SIGKILL, a wall timeout as a signal
//! too), the one that explains the others wins, and a submission's verdict is its worst case's.

use nix::sys::signal::Signal;
use serde::{Deserialize, Serialize};

/// Which time limit a run exceeded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum TimeLimit {
    Wall,
    Cpu,
}

/// The outcome of one run (or of a submission: its worst case).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "status", rename_all = "camelCase")]
pub enum Verdict {
    /// Exited 0 (and, when an expected output was given, matched it).
    Accepted,
    /// Exited 0 but the output did not match the expected output.
    WrongAnswer,
    /// Killed for running past a time limit.
    TimeLimitExceeded { limit: TimeLimit },
    /// Killed for using more memory than allowed.
    MemoryLimitExceeded,
    /// Killed for writing more stdout and stderr than allowed.
    OutputLimitExceeded,
    /// Ended by a signal it did not choose (SIGSEGV, SIGFPE, SIGABRT, …).
    #[serde(rename_all = "camelCase")]
    RuntimeError { signal: String, signal_number: i32 },
    /// Exited with a non-zero status (Judge0's NZEC).
    #[serde(rename_all = "camelCase")]
    NonZeroExit { exit_code: i32 },
    /// The compile step failed; no case ran.
    CompilationError,
    /// The engine failed; nothing is known about the program.
    InternalError { message: String },
}

impl Verdict {
    /// Position in the fixed precedence: lower wins. Internal and compilation errors first
    /// (nothing else is meaningful), then the limits the sandbox enforced (they explain the
    /// signal or exit that followed), then what the program did itself, then the judging.
    pub fn precedence(&self) -> u8 {
        match self {
            Verdict::InternalError { .. } => 0,
            Verdict::CompilationError => 1,
            Verdict::TimeLimitExceeded { .. } => 2,
            Verdict::MemoryLimitExceeded => 3,
            Verdict::OutputLimitExceeded => 4,
            Verdict::RuntimeError { .. } => 5,
            Verdict::NonZeroExit { .. } => 6,
            Verdict::WrongAnswer => 7,
            Verdict::Accepted => 8,
        }
    }

    /// The verdict of several: the one with the lowest precedence (the first on ties).
    pub fn worst<'a>(verdicts: impl IntoIterator<Item = &'a Verdict>) -> Option<&'a Verdict> {
        verdicts
            .into_iter()
            .fold(None, |worst: Option<&Verdict>, v| match worst {
                Some(w) if w.precedence() <= v.precedence() => Some(w),
                _ => Some(v),
            })
    }

    /// A runtime error for a signal number, named (`SIGSEGV`) when the number is known.
    pub fn signalled(number: i32) -> Verdict {
        Verdict::RuntimeError {
            signal: signal_name(number),
            signal_number: number,
        }
    }

    pub fn is_accepted(&self) -> bool {
        matches!(self, Verdict::Accepted)
    }

    /// Judge0's description of the verdict (`Runtime Error (SIGSEGV)`, `Runtime Error (NZEC)`).
    pub fn description(&self) -> String {
        match self {
            Verdict::Accepted => "Accepted".into(),
            Verdict::WrongAnswer => "Wrong Answer".into(),
            Verdict::TimeLimitExceeded {
                limit: TimeLimit::Wall,
            } => "Time Limit Exceeded (wall)".into(),
            Verdict::TimeLimitExceeded {
                limit: TimeLimit::Cpu,
            } => "Time Limit Exceeded (CPU)".into(),
            Verdict::MemoryLimitExceeded => "Memory Limit Exceeded".into(),
            Verdict::OutputLimitExceeded => "Output Limit Exceeded".into(),
            Verdict::RuntimeError { signal, .. } => format!("Runtime Error ({signal})"),
            Verdict::NonZeroExit { .. } => "Runtime Error (NZEC)".into(),
            Verdict::CompilationError => "Compilation Error".into(),
            Verdict::InternalError { .. } => "Internal Error".into(),
        }
    }
}

/// `SIGSEGV` for 11; `signal 99` for numbers Linux does not name.
pub fn signal_name(number: i32) -> String {
    Signal::try_from(number)
        .map(|s| s.as_str().to_owned())
        .unwrap_or_else(|_| format!("signal {number}"))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use proptest::prelude::*;

    use super::*;

    fn all() -> Vec<Verdict> {
        vec![
            Verdict::Accepted,
            Verdict::WrongAnswer,
            Verdict::TimeLimitExceeded {
                limit: TimeLimit::Cpu,
            },
            Verdict::MemoryLimitExceeded,
            Verdict::OutputLimitExceeded,
            Verdict::signalled(11),
            Verdict::NonZeroExit { exit_code: 3 },
            Verdict::CompilationError,
            Verdict::InternalError {
                message: "x".into(),
            },
        ]
    }

    #[test]
    fn signals_are_named() {
        assert_eq!(signal_name(11), "SIGSEGV");
        assert_eq!(signal_name(9), "SIGKILL");
        assert_eq!(signal_name(99), "signal 99");
        assert_eq!(
            Verdict::signalled(8).description(),
            "Runtime Error (SIGFPE)"
        );
    }

    #[test]
    fn verdicts_serialise_with_a_status_tag() {
        let json = serde_json::to_value(Verdict::TimeLimitExceeded {
            limit: TimeLimit::Wall,
        })
        .unwrap();
        assert_eq!(
            json,
            serde_json::json!({"status": "timeLimitExceeded", "limit": "wall"})
        );
        let json = serde_json::to_value(Verdict::signalled(6)).unwrap();
        assert_eq!(
            json,
            serde_json::json!({"status": "runtimeError", "signal": "SIGABRT", "signalNumber": 6})
        );
    }

    #[test]
    fn each_verdict_has_its_own_rank() {
        let mut ranks: Vec<_> = all().iter().map(Verdict::precedence).collect();
        ranks.sort_unstable();
        ranks.dedup();
        assert_eq!(ranks.len(), all().len());
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(200))]

        #[test]
        fn the_worst_verdict_is_order_independent_and_never_beaten(
            picks in proptest::collection::vec(0usize..9, 1..12)
        ) {
            let verdicts = all();
            let chosen: Vec<Verdict> = picks.iter().map(|&i| verdicts[i].clone()).collect();
            let worst = Verdict::worst(&chosen).unwrap();
            let mut reversed = chosen.clone();
            reversed.reverse();
            prop_assert_eq!(worst.precedence(), Verdict::worst(&reversed).unwrap().precedence());
            prop_assert!(chosen.iter().all(|v| v.precedence() >= worst.precedence()));
        }
    }
}
