//! How a run's verdict and resource usage read to people, shared by the CLI and the web
//! playground: Judge0's vocabulary in words, with the signal or exit status that explains
//! it, and usage in milliseconds and MiB.

use kiro_sdk::kiro_types::execution::{Isolation, ResourceUsage, TimeLimit, Verdict};

/// The verdict in words: "accepted", "runtime error (SIGSEGV)", "time limit exceeded (wall)".
pub fn describe(verdict: &Verdict) -> String {
    match verdict {
        Verdict::Accepted => "accepted".to_owned(),
        Verdict::WrongAnswer => "wrong answer".to_owned(),
        Verdict::TimeLimitExceeded { limit } => format!(
            "time limit exceeded ({})",
            match limit {
                TimeLimit::Wall => "wall",
                TimeLimit::Cpu => "cpu",
            }
        ),
        Verdict::MemoryLimitExceeded => "memory limit exceeded".to_owned(),
        Verdict::OutputLimitExceeded => "output limit exceeded".to_owned(),
        Verdict::RuntimeError { signal, .. } => format!("runtime error ({signal})"),
        Verdict::NonZeroExit { exit_code } => format!("non-zero exit ({exit_code})"),
        Verdict::CompilationError => "compilation error".to_owned(),
        Verdict::InternalError { message } => format!("internal error: {message}"),
    }
}

/// A CSS class / short tag for the verdict: `accepted` or `rejected`.
pub fn tone(verdict: &Verdict) -> &'static str {
    match verdict {
        Verdict::Accepted => "accepted",
        _ => "rejected",
    }
}

/// The isolation's wire name.
pub fn isolation(isolation: Isolation) -> &'static str {
    match isolation {
        Isolation::Native => "native",
        Isolation::Bubblewrap => "bubblewrap",
        Isolation::None => "none",
        Isolation::Runc => "runc",
    }
}

/// Usage in one line: "wall 12.3 ms · cpu 9.1 ms · peak 8.4 MiB".
pub fn usage(usage: &ResourceUsage) -> String {
    let ms = |us: u64| us as f64 / 1000.0;
    format!(
        "wall {:.1} ms · cpu {:.1} ms · peak {:.1} MiB",
        ms(usage.wall_time_us),
        ms(usage.user_time_us + usage.system_time_us),
        usage.peak_memory_bytes as f64 / (1024.0 * 1024.0)
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use kiro_sdk::kiro_types::execution::{UsageSource, UsageSources};

    #[test]
    fn verdicts_name_their_cause() {
        let signal = Verdict::RuntimeError {
            signal: "SIGSEGV".into(),
            signal_number: 11,
        };
        assert_eq!(describe(&signal), "runtime error (SIGSEGV)");
        assert_eq!(
            describe(&Verdict::TimeLimitExceeded {
                limit: TimeLimit::Cpu
            }),
            "time limit exceeded (cpu)"
        );
        assert_eq!(
            describe(&Verdict::NonZeroExit { exit_code: 3 }),
            "non-zero exit (3)"
        );
        assert_eq!(tone(&Verdict::Accepted), "accepted");
        assert_eq!(tone(&Verdict::WrongAnswer), "rejected");
    }

    #[test]
    fn usage_reads_in_milliseconds_and_mebibytes() {
        let sources = UsageSources {
            wall_time: UsageSource::Supervisor,
            cpu_time: UsageSource::Init,
            peak_memory: UsageSource::Cgroup,
        };
        let used = ResourceUsage {
            wall_time_us: 12_345,
            user_time_us: 8_000,
            system_time_us: 1_100,
            peak_memory_bytes: 8 * 1024 * 1024 + 512 * 1024,
            sources,
        };
        assert_eq!(usage(&used), "wall 12.3 ms · cpu 9.1 ms · peak 8.5 MiB");
    }
}
