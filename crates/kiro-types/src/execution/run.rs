//! The synchronous run: `POST /v1/execution/run` takes a [`RunRequest`] (environment, code,
//! stdin, arguments, extra files, limits, test cases) and answers a [`RunResponse`], the
//! design's `ExecutionResult` with the verdict, isolation, usage and both output streams,
//! plus each test case's own result.

use std::collections::BTreeMap;

use garde::Validate;
use serde::{Deserialize, Serialize};

use super::{ExecutionResult, Isolation, Limits, ResourceUsage, Verdict};

/// How a case's output is compared with its expected output.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
#[serde(tag = "mode", rename_all = "camelCase")]
pub enum Comparison {
    /// Byte for byte.
    Exact,
    /// The same words in the same order.
    #[default]
    IgnoreWhitespace,
    /// A checker program in another environment, run as
    /// `<run command> input.txt expected.txt actual.txt`: exit 0 accepts, 1 rejects.
    Checker { environment: String, source: String },
}

/// One test case of a run.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RunTestCase {
    #[garde(inner(length(max = 200)))]
    pub name: Option<String>,
    #[serde(default)]
    #[garde(skip)]
    pub stdin: String,
    /// When given, the output is judged against it (wrong answer otherwise).
    #[garde(skip)]
    pub expected_output: Option<String>,
}

/// What to run (`POST /v1/execution/run` and `POST /v1/execution/jobs`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RunRequest {
    /// An environment name from `GET /v1/execution/environments`.
    #[garde(length(min = 1, max = 64))]
    pub environment: String,
    /// The program's source.
    #[garde(skip)]
    pub code: String,
    /// Standard input, when no test cases are given.
    #[serde(default)]
    #[garde(skip)]
    pub stdin: Option<String>,
    /// Appended to the environment's run command.
    #[serde(default)]
    #[garde(skip)]
    pub args: Vec<String>,
    /// Extra files beside the source: plain names to text contents.
    #[serde(default)]
    #[garde(skip)]
    pub files: BTreeMap<String, String>,
    /// Wall-time limit per run, milliseconds (CPU time gets the same limit).
    #[garde(inner(range(min = 1)))]
    pub time_limit_ms: Option<u64>,
    /// Memory limit per run, MiB.
    #[garde(inner(range(min = 1)))]
    pub memory_limit_mb: Option<u64>,
    /// Cases run one after the other with the program compiled once.
    #[serde(default)]
    #[garde(dive)]
    pub test_cases: Vec<RunTestCase>,
    #[serde(default)]
    #[garde(skip)]
    pub comparison: Comparison,
}

/// One case's (or the compile step's) run.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct RunDetail {
    pub name: Option<String>,
    /// The case's judgement (the run's verdict, or wrong answer).
    pub verdict: Verdict,
    pub exit_code: Option<i32>,
    pub signal: Option<String>,
    pub stdout: String,
    pub stderr: String,
    pub output_truncated: bool,
    pub usage: ResourceUsage,
}

/// The answer of a run: the design's `ExecutionResult` and more.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct RunResponse {
    #[serde(flatten)]
    pub result: ExecutionResult,
    pub environment: String,
    /// Standard output of the last case run (the same as `output`).
    pub stdout: String,
    pub stderr: String,
    /// The usage summed over the cases (peak memory: the largest).
    pub usage: ResourceUsage,
    pub limits: Limits,
    pub compile: Option<RunDetail>,
    pub cases: Vec<RunDetail>,
}

impl RunResponse {
    /// The verdict of the whole submission (its worst case's).
    pub fn verdict(&self) -> &Verdict {
        &self.result.verdict
    }

    /// The isolation every run of it had.
    pub fn isolation(&self) -> Isolation {
        self.result.isolation
    }
}
