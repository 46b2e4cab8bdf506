//! Resource limits: the figures one run is held to, a request's partial overrides, and how the
//! two are resolved against an environment's defaults and maxima.
//!
//! Every limit is enforced by the strongest mechanism the host offers (cgroups for memory,
//! processes and total CPU; the supervisor for wall time and output; tmpfs sizes for disk) with
//! rlimits as a backstop; this module only holds and checks the numbers.

use serde::{Deserialize, Serialize};

use crate::error::Problem;

const KIB: u64 = 1024;
const MIB: u64 = 1024 * KIB;
const GIB: u64 = 1024 * MIB;

/// The limits one run is held to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Limits {
    /// Wall-clock time from start to exit, in milliseconds.
    pub wall_time_ms: u64,
    /// CPU time (user + system) of all the run's processes together, in milliseconds.
    pub cpu_time_ms: u64,
    /// Memory of all the run's processes together (including their tmpfs pages), in bytes.
    pub memory_bytes: u64,
    /// Processes and threads alive at once.
    pub processes: u32,
    /// Bytes of stdout and stderr together kept and streamed; more ends the run.
    pub output_bytes: u64,
    /// Size of the writable `/work` directory, in bytes (also the largest file).
    pub work_bytes: u64,
    /// Size of the writable `/tmp` directory, in bytes.
    pub tmp_bytes: u64,
}

impl Limits {
    /// Limits that suit a short interpreted program.
    pub const DEFAULT: Limits = Limits {
        wall_time_ms: 5_000,
        cpu_time_ms: 3_000,
        memory_bytes: 256 * MIB,
        processes: 32,
        output_bytes: MIB,
        work_bytes: 32 * MIB,
        tmp_bytes: 32 * MIB,
    };

    /// What an environment may allow at most unless it says otherwise.
    pub const DEFAULT_MAXIMUM: Limits = Limits {
        wall_time_ms: 60_000,
        cpu_time_ms: 30_000,
        memory_bytes: 2 * GIB,
        processes: 256,
        output_bytes: 16 * MIB,
        work_bytes: 256 * MIB,
        tmp_bytes: 256 * MIB,
    };

    /// The engine's ceiling: no environment may declare a maximum above these.
    pub const CEILING: Limits = Limits {
        wall_time_ms: 15 * 60_000,
        cpu_time_ms: 15 * 60_000,
        memory_bytes: 16 * GIB,
        processes: 4096,
        output_bytes: 256 * MIB,
        work_bytes: 8 * GIB,
        tmp_bytes: 8 * GIB,
    };

    /// The smallest value of each limit that still lets a runtime start.
    pub const FLOOR: Limits = Limits {
        wall_time_ms: 10,
        cpu_time_ms: 10,
        memory_bytes: 8 * MIB,
        processes: 1,
        output_bytes: 0,
        work_bytes: 64 * KIB,
        tmp_bytes: 64 * KIB,
    };

    /// Each limit with its field name, as `u64`s, for uniform checks.
    fn fields(&self) -> [(&'static str, u64); 7] {
        [
            ("wallTimeMs", self.wall_time_ms),
            ("cpuTimeMs", self.cpu_time_ms),
            ("memoryBytes", self.memory_bytes),
            ("processes", u64::from(self.processes)),
            ("outputBytes", self.output_bytes),
            ("workBytes", self.work_bytes),
            ("tmpBytes", self.tmp_bytes),
        ]
    }

    /// Problems where any limit of `self` is above the same limit of `max`, reported under
    /// `prefix` (e.g. `limits` gives `limits.memoryBytes`).
    pub fn check_within(&self, max: &Limits, prefix: &str, problems: &mut Vec<Problem>) {
        for ((name, value), (_, ceiling)) in self.fields().into_iter().zip(max.fields()) {
            if value > ceiling {
                problems.push(Problem::new(
                    format!("{prefix}.{name}"),
                    format!("{value} is above the maximum {ceiling}; ask for at most {ceiling}"),
                ));
            }
        }
    }

    /// Problems where any limit of `self` is below the engine's floor.
    pub fn check_floor(&self, prefix: &str, problems: &mut Vec<Problem>) {
        for ((name, value), (_, floor)) in self.fields().into_iter().zip(Limits::FLOOR.fields()) {
            if value < floor {
                problems.push(Problem::new(
                    format!("{prefix}.{name}"),
                    format!("{value} is below the minimum {floor}; ask for at least {floor}"),
                ));
            }
        }
    }
}

impl Default for Limits {
    fn default() -> Self {
        Limits::DEFAULT
    }
}

/// A request's overrides: each limit left out takes the environment's default.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct LimitsRequest {
    pub wall_time_ms: Option<u64>,
    pub cpu_time_ms: Option<u64>,
    pub memory_bytes: Option<u64>,
    pub processes: Option<u32>,
    pub output_bytes: Option<u64>,
    pub work_bytes: Option<u64>,
    pub tmp_bytes: Option<u64>,
}

impl LimitsRequest {
    /// The limits of a run: `defaults` overridden by the request, each checked against `max`
    /// and the engine's floor. Errors name every offending field.
    pub fn resolve(&self, defaults: &Limits, max: &Limits) -> Result<Limits, Vec<Problem>> {
        let limits = Limits {
            wall_time_ms: self.wall_time_ms.unwrap_or(defaults.wall_time_ms),
            cpu_time_ms: self.cpu_time_ms.unwrap_or(defaults.cpu_time_ms),
            memory_bytes: self.memory_bytes.unwrap_or(defaults.memory_bytes),
            processes: self.processes.unwrap_or(defaults.processes),
            output_bytes: self.output_bytes.unwrap_or(defaults.output_bytes),
            work_bytes: self.work_bytes.unwrap_or(defaults.work_bytes),
            tmp_bytes: self.tmp_bytes.unwrap_or(defaults.tmp_bytes),
        };
        let mut problems = Vec::new();
        limits.check_within(max, "limits", &mut problems);
        limits.check_floor("limits", &mut problems);
        if problems.is_empty() {
            Ok(limits)
        } else {
            Err(problems)
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    #[test]
    fn a_request_overrides_only_what_it_names() {
        let request = LimitsRequest {
            memory_bytes: Some(64 * MIB),
            ..LimitsRequest::default()
        };
        let limits = request
            .resolve(&Limits::DEFAULT, &Limits::DEFAULT_MAXIMUM)
            .unwrap();
        assert_eq!(limits.memory_bytes, 64 * MIB);
        assert_eq!(limits.wall_time_ms, Limits::DEFAULT.wall_time_ms);
    }

    #[test]
    fn limits_above_the_maximum_name_each_field() {
        let request = LimitsRequest {
            wall_time_ms: Some(10 * 60_000),
            processes: Some(100_000),
            ..LimitsRequest::default()
        };
        let problems = request
            .resolve(&Limits::DEFAULT, &Limits::DEFAULT_MAXIMUM)
            .unwrap_err();
        let fields: Vec<_> = problems.iter().map(|p| p.field.as_str()).collect();
        assert_eq!(fields, ["limits.wallTimeMs", "limits.processes"]);
        assert!(problems[0].message.contains("at most 60000"));
    }

    #[test]
    fn limits_below_the_floor_are_refused() {
        let request = LimitsRequest {
            memory_bytes: Some(1024),
            ..LimitsRequest::default()
        };
        let problems = request
            .resolve(&Limits::DEFAULT, &Limits::DEFAULT_MAXIMUM)
            .unwrap_err();
        assert_eq!(problems[0].field, "limits.memoryBytes");
    }

    #[test]
    fn the_built_in_tiers_are_ordered() {
        let mut problems = Vec::new();
        Limits::DEFAULT.check_within(&Limits::DEFAULT_MAXIMUM, "d", &mut problems);
        Limits::DEFAULT_MAXIMUM.check_within(&Limits::CEILING, "m", &mut problems);
        Limits::FLOOR.check_within(&Limits::DEFAULT, "f", &mut problems);
        assert!(problems.is_empty(), "{problems:?}");
    }
}
