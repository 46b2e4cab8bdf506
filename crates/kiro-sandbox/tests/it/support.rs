//! Shared setup: a sandbox on a fresh state directory, with the helper built by cargo.

use std::sync::OnceLock;

use kiro_sandbox::{
    ExecuteRequest, ExecutionOutcome, HelperCommand, Isolation, LimitsRequest, RunOutcome, Sandbox,
    SandboxConfig,
};

pub struct TestSandbox {
    pub sandbox: Sandbox,
    _state: tempfile::TempDir,
}

impl TestSandbox {
    /// The sandbox and the temporary directory its state lives in.
    pub fn into_parts(self) -> (Sandbox, tempfile::TempDir) {
        (self.sandbox, self._state)
    }
}

impl std::ops::Deref for TestSandbox {
    type Target = Sandbox;
    fn deref(&self) -> &Sandbox {
        &self.sandbox
    }
}

pub fn helper() -> HelperCommand {
    HelperCommand {
        program: env!("CARGO_BIN_EXE_kiro-sandbox-init").into(),
        args: Vec::new(),
    }
}

pub fn is_root() -> bool {
    nix::unistd::Uid::effective().is_root()
}

/// A sandbox with `isolation`, or `None` (with a note on stderr) when the host lacks it.
pub fn sandbox_with(isolation: Isolation) -> Option<TestSandbox> {
    sandbox_with_uids(isolation, 61_000)
}

/// The same with slot uids `first_uid` and `first_uid + 1`.
pub fn sandbox_with_uids(isolation: Isolation, first_uid: u32) -> Option<TestSandbox> {
    let state = tempfile::tempdir().unwrap();
    let mut config = SandboxConfig::new(state.path().join("state"));
    config.helper = Some(helper());
    config.isolation = Some(isolation);
    config.slots = 2;
    config.first_uid = first_uid;
    match Sandbox::new(config) {
        Ok(sandbox) => Some(TestSandbox {
            sandbox,
            _state: state,
        }),
        Err(error) => {
            eprintln!(
                "SKIPPED: isolation {} unavailable here: {error}",
                isolation.as_str()
            );
            None
        }
    }
}

/// The native sandbox (needs root): shared by the tests of one binary.
pub fn native() -> Option<&'static TestSandbox> {
    static NATIVE: OnceLock<Option<TestSandbox>> = OnceLock::new();
    NATIVE
        .get_or_init(|| sandbox_with(Isolation::Native))
        .as_ref()
}

pub fn run(sandbox: &Sandbox, environment: &str, source: &str) -> ExecutionOutcome {
    run_with(sandbox, environment, source, LimitsRequest::default())
}

pub fn run_with(
    sandbox: &Sandbox,
    environment: &str,
    source: &str,
    limits: LimitsRequest,
) -> ExecutionOutcome {
    sandbox
        .execute(
            &ExecuteRequest {
                environment: environment.into(),
                source: source.into(),
                cases: Vec::new(),
                limits,
                comparison: Default::default(),
                args: Vec::new(),
                files: Default::default(),
            },
            &(),
        )
        .unwrap()
}

/// The one case's run of a submission without cases.
pub fn only_run(outcome: &ExecutionOutcome) -> &RunOutcome {
    assert_eq!(outcome.cases.len(), 1, "{outcome:#?}");
    &outcome.cases[0].run
}

/// Whether the environment exists on this host (else a note on stderr).
#[allow(dead_code)]
pub fn has_environment(sandbox: &Sandbox, name: &str) -> bool {
    let found = sandbox.environment(name).is_ok();
    if !found {
        eprintln!("SKIPPED: environment {name} is not installed here");
    }
    found
}
