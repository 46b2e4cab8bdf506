//! Submissions: a source file, an environment, and any number of test cases. The source is
//! compiled once (for compiled languages) and each case runs in the same work directory,
//! with its own stdin, cgroup and verdict; the submission's verdict is its worst case's.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::compare::{self, Comparison};
use crate::environment::{Environment, valid_file_name};
use crate::error::{Problem, SandboxError};
use crate::isolation::Isolation;
use crate::limits::{Limits, LimitsRequest};
use crate::outcome::RunOutcome;
use crate::output::OutputSink;
use crate::sandbox::Sandbox;
use crate::verdict::Verdict;

/// Names of the files a checker finds in its work directory.
const CHECKER_FILES: [&str; 3] = ["input.txt", "expected.txt", "actual.txt"];

/// One test case.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TestCase {
    pub name: Option<String>,
    #[serde(default)]
    pub stdin: String,
    /// When given, the output is judged against it.
    pub expected_output: Option<String>,
}

/// What to run.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ExecuteRequest {
    pub environment: String,
    pub source: String,
    /// Cases to run; none means one run with empty stdin and no expected output.
    #[serde(default)]
    pub cases: Vec<TestCase>,
    #[serde(default)]
    pub limits: LimitsRequest,
    #[serde(default)]
    pub comparison: Comparison,
    /// Appended to the environment's run command (not to its compile step).
    #[serde(default)]
    pub args: Vec<String>,
    /// Extra files written beside the source: plain names, text contents.
    #[serde(default)]
    pub files: BTreeMap<String, String>,
}

/// One case's result.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CaseOutcome {
    pub name: Option<String>,
    /// The run's verdict, or the judgement of its output when the run was accepted.
    pub verdict: Verdict,
    pub run: RunOutcome,
    /// The checker's own run, when a checker judged the output.
    pub checker: Option<RunOutcome>,
}

/// A submission's result.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ExecutionOutcome {
    pub verdict: Verdict,
    pub isolation: Isolation,
    pub environment: String,
    pub limits: Limits,
    pub compile: Option<RunOutcome>,
    pub cases: Vec<CaseOutcome>,
}

impl Sandbox {
    /// Validates and runs a submission: compile once, then every case.
    pub fn execute(
        &self,
        request: &ExecuteRequest,
        sink: &dyn OutputSink,
    ) -> Result<ExecutionOutcome, SandboxError> {
        let env = self.environment(&request.environment)?;
        let checker = match &request.comparison {
            Comparison::Checker { environment, .. } => Some(self.environment(environment)?),
            _ => None,
        };
        self.execute_in(request, &env, checker.as_deref(), sink)
    }

    /// Runs a submission in environments the caller resolved itself (custom ones kept
    /// outside the registry, checked with [`crate::environment::Registry::check`]):
    /// `env` replaces `request.environment`, `checker` the checker's environment name.
    pub fn execute_in(
        &self,
        request: &ExecuteRequest,
        env: &Environment,
        checker: Option<&Environment>,
        sink: &dyn OutputSink,
    ) -> Result<ExecutionOutcome, SandboxError> {
        let limits = self.validate(request, env)?;
        if matches!(request.comparison, Comparison::Checker { .. }) && checker.is_none() {
            return Err(SandboxError::invalid(
                "comparison.environment",
                "a checker comparison needs the checker's environment",
            ));
        }
        let slot = self.slots().acquire();
        let work_bytes = limits.work_bytes.max(if env.compile.is_some() {
            env.compile_limits.work_bytes
        } else {
            0
        });
        let job = self.job_dir(work_bytes, slot.uid)?;
        let owner = self.capabilities().root.then_some(slot.uid);
        job.write_file(&env.source_file, request.source.as_bytes(), owner)?;
        for (name, text) in &request.files {
            job.write_file(name, text.as_bytes(), owner)?;
        }
        let mut outcome = ExecutionOutcome {
            verdict: Verdict::Accepted,
            isolation: self.isolation(),
            environment: env.name.clone(),
            limits,
            compile: None,
            cases: Vec::new(),
        };
        if let Some(compile) = &env.compile {
            let run = self.run_in(
                env,
                &job,
                compile.clone(),
                b"",
                env.compile_limits,
                slot.uid,
                sink,
            )?;
            let failed = !run.verdict.is_accepted();
            outcome.verdict = match &run.verdict {
                Verdict::Accepted => Verdict::Accepted,
                Verdict::InternalError { message } => Verdict::InternalError {
                    message: message.clone(),
                },
                _ => Verdict::CompilationError,
            };
            outcome.compile = Some(run);
            if failed {
                return Ok(outcome);
            }
        }
        let implicit = [TestCase::default()];
        let cases = if request.cases.is_empty() {
            &implicit[..]
        } else {
            &request.cases[..]
        };
        let mut argv = env.run.clone();
        argv.extend(request.args.iter().cloned());
        for case in cases {
            if sink.cancelled() {
                break;
            }
            let run = self.run_in(
                env,
                &job,
                argv.clone(),
                case.stdin.as_bytes(),
                limits,
                slot.uid,
                sink,
            )?;
            let (verdict, checker_run) = match (&case.expected_output, &run.verdict) {
                (Some(expected), Verdict::Accepted) => match (&request.comparison, checker) {
                    (Comparison::Checker { source, .. }, Some(checker_env)) => {
                        let checked =
                            self.check(checker_env, source, case, expected, &run.stdout, slot.uid)?;
                        (checker_verdict(&checked), Some(checked))
                    }
                    (comparison, _) if compare::matches(comparison, expected, &run.stdout) => {
                        (Verdict::Accepted, None)
                    }
                    _ => (Verdict::WrongAnswer, None),
                },
                (_, verdict) => (verdict.clone(), None),
            };
            outcome.cases.push(CaseOutcome {
                name: case.name.clone(),
                verdict,
                run,
                checker: checker_run,
            });
        }
        outcome.verdict = Verdict::worst(outcome.cases.iter().map(|c| &c.verdict))
            .cloned()
            .unwrap_or(Verdict::Accepted);
        Ok(outcome)
    }

    /// Everything checked before a slot is taken; all problems at once.
    fn validate(
        &self,
        request: &ExecuteRequest,
        env: &Environment,
    ) -> Result<Limits, SandboxError> {
        let mut problems: Vec<Problem> = Vec::new();
        let limits = request
            .limits
            .resolve(&env.default_limits, &env.max_limits)
            .unwrap_or_else(|found| {
                problems.extend(found);
                env.default_limits
            });
        let max = self.config.max_source_bytes;
        if request.source.len() > max {
            problems.push(Problem::new(
                "source",
                format!(
                    "{} bytes is more than the {max} allowed; send a smaller program",
                    request.source.len()
                ),
            ));
        }
        if request.cases.len() > self.config.max_cases {
            problems.push(Problem::new(
                "cases",
                format!(
                    "{} cases is more than the {} allowed",
                    request.cases.len(),
                    self.config.max_cases
                ),
            ));
        }
        for (i, case) in request.cases.iter().enumerate() {
            for (field, text) in [
                ("stdin", Some(&case.stdin)),
                ("expectedOutput", case.expected_output.as_ref()),
            ] {
                if let Some(text) = text
                    && let Err(SandboxError::Invalid(found)) =
                        self.check_stdin(&format!("cases[{i}].{field}"), text.as_bytes())
                {
                    problems.extend(found);
                }
            }
        }
        check_files(request, env, max, &mut problems);
        if let Comparison::Checker { source, .. } = &request.comparison
            && source.len() > max
        {
            problems.push(Problem::new(
                "comparison.source",
                format!("the checker is more than the {max} bytes allowed"),
            ));
        }
        if problems.is_empty() {
            Ok(limits)
        } else {
            Err(SandboxError::Invalid(problems))
        }
    }

    /// Runs the checker on one case's output, in a work directory of its own.
    fn check(
        &self,
        env: &Environment,
        source: &str,
        case: &TestCase,
        expected: &str,
        actual: &str,
        uid: u32,
    ) -> Result<RunOutcome, SandboxError> {
        let limits = env.default_limits;
        let job = self.job_dir(limits.work_bytes, uid)?;
        let owner = self.capabilities().root.then_some(uid);
        job.write_file(&env.source_file, source.as_bytes(), owner)?;
        for (name, text) in CHECKER_FILES
            .into_iter()
            .zip([case.stdin.as_str(), expected, actual])
        {
            job.write_file(name, text.as_bytes(), owner)?;
        }
        let mut argv = env.run.clone();
        argv.extend(CHECKER_FILES.map(String::from));
        self.run_in(env, &job, argv, b"", limits, uid, &())
    }
}

/// Most extra files in one submission.
const MAX_FILES: usize = 32;
/// Most arguments, and the longest one, in bytes.
const MAX_ARGS: usize = 64;
const MAX_ARG_BYTES: usize = 4096;

/// Extra files: plain names other than the source's, at most [`MAX_FILES`], together no
/// larger than the source limit; arguments: at most [`MAX_ARGS`], each short, no NUL.
fn check_files(
    request: &ExecuteRequest,
    env: &Environment,
    max: usize,
    problems: &mut Vec<Problem>,
) {
    if request.files.len() > MAX_FILES {
        problems.push(Problem::new(
            "files",
            format!(
                "{} files is more than the {MAX_FILES} allowed",
                request.files.len()
            ),
        ));
    }
    for name in request.files.keys() {
        if !valid_file_name(name) || name == &env.source_file {
            problems.push(Problem::new(
                format!("files.{name}"),
                format!(
                    "use a plain file name of letters, digits, `.`, `_` and `-` other than the source's `{}`",
                    env.source_file
                ),
            ));
        }
    }
    let total: usize = request.files.values().map(String::len).sum();
    if total > max {
        problems.push(Problem::new(
            "files",
            format!("{total} bytes of files is more than the {max} allowed; send less"),
        ));
    }
    if request.args.len() > MAX_ARGS {
        problems.push(Problem::new(
            "args",
            format!(
                "{} arguments is more than the {MAX_ARGS} allowed",
                request.args.len()
            ),
        ));
    }
    for (i, arg) in request.args.iter().enumerate() {
        if arg.len() > MAX_ARG_BYTES || arg.contains('\0') {
            problems.push(Problem::new(
                format!("args[{i}]"),
                format!("an argument is at most {MAX_ARG_BYTES} bytes and has no NUL"),
            ));
        }
    }
}

/// A checker's exit 0 accepts, 1 rejects; anything else means the checker itself failed.
fn checker_verdict(run: &RunOutcome) -> Verdict {
    match (&run.verdict, run.exit_code) {
        (Verdict::Accepted, _) => Verdict::Accepted,
        (Verdict::NonZeroExit { exit_code: 1 }, _) => Verdict::WrongAnswer,
        (verdict, _) => Verdict::InternalError {
            message: format!("the checker failed: {}", verdict.description()),
        },
    }
}
