//! The execution service end to end through `client.execution()`: the probe's capabilities,
//! the built-in environments, and synchronous runs judged in Judge0's vocabulary (accepted,
//! wrong answer on a test case, time limit, runtime error, non-zero exit) — and bad input
//! (unknown environment, limits above the maxima, oversized source) answered 422 with the
//! field to fix. A host without a sandbox (no helper, no isolation) is reported and skipped.

use kiro_sdk::kiro_types::execution::{
    ExecutionStatus, RunRequest, RunTestCase, TimeLimit, Verdict,
};
use kiro_sdk::{KiroClient, KiroError};
use kiro_testkit::{TestServer, on_both_backends};

use crate::signed_in;

/// A signed-in client whose server can run code, or `None` (with a note) when it cannot.
async fn runner(server: &TestServer) -> anyhow::Result<Option<KiroClient>> {
    let client = signed_in(server).await?;
    let caps = client.execution().capabilities().await?;
    if !caps.available {
        eprintln!(
            "SKIPPED: the sandbox is unavailable here: {:?}",
            caps.reason
        );
        return Ok(None);
    }
    Ok(Some(client))
}

/// Whether the server found environment `name` on its host (noted when not).
async fn has(client: &KiroClient, name: &str) -> anyhow::Result<bool> {
    let found = client
        .execution()
        .environments()
        .await?
        .iter()
        .any(|e| e.name == name);
    if !found {
        eprintln!("SKIPPED: environment {name} is not installed here");
    }
    Ok(found)
}

fn request(environment: &str, code: &str) -> RunRequest {
    RunRequest {
        environment: environment.into(),
        code: code.into(),
        ..RunRequest::default()
    }
}

fn case(stdin: &str, expected: &str) -> RunTestCase {
    RunTestCase {
        name: None,
        stdin: stdin.into(),
        expected_output: Some(expected.into()),
    }
}

/// The error a call must fail with.
fn refused<T: std::fmt::Debug>(result: Result<T, KiroError>) -> anyhow::Result<KiroError> {
    match result {
        Ok(value) => anyhow::bail!("expected an error, got {value:?}"),
        Err(e) => Ok(e),
    }
}

fn field_of(e: &KiroError) -> Vec<String> {
    let details = match e {
        KiroError::Api(api) => api.details.clone(),
        _ => None,
    };
    details
        .and_then(|d| d["fields"].as_array().cloned())
        .unwrap_or_default()
        .iter()
        .filter_map(|f| f["field"].as_str().map(str::to_owned))
        .collect()
}

async fn capabilities_and_environments_are_reported(server: TestServer) -> anyhow::Result<()> {
    let client = signed_in(&server).await?;
    let execution = client.execution();
    assert_eq!(
        execution.status(),
        Some(kiro_sdk::kiro_types::discovery::ServiceStatus::Available)
    );
    let caps = execution.capabilities().await?;
    assert_eq!(caps.workers, 2);
    assert_eq!(caps.max_wait_ms, 30_000);
    if !caps.available {
        assert!(caps.reason.is_some() && caps.host.is_none());
        eprintln!(
            "SKIPPED: the sandbox is unavailable here: {:?}",
            caps.reason
        );
        return Ok(());
    }
    let host = caps
        .host
        .as_ref()
        .ok_or_else(|| anyhow::anyhow!("no probe"))?;
    assert_eq!(host.selected, caps.isolation);
    assert!(
        host.isolations
            .iter()
            .any(|i| Some(i.isolation) == caps.isolation && i.available)
    );
    let environments = execution.environments().await?;
    let first = environments
        .first()
        .ok_or_else(|| anyhow::anyhow!("no environment found on this host"))?;
    assert!(first.builtin);
    assert_eq!(&execution.environment(&first.name).await?, first);
    let missing = refused(execution.environment("cobol").await)?;
    assert_eq!(missing.code(), Some("execution.environment.not_found"));
    Ok(())
}

async fn python_runs_get_judge0_verdicts(server: TestServer) -> anyhow::Result<()> {
    let Some(client) = runner(&server).await? else {
        return Ok(());
    };
    if !has(&client, "python3").await? {
        return Ok(());
    }
    let execution = client.execution();
    let caps = execution.capabilities().await?;

    let hello = execution
        .execute_code("python3", "print(input()[::-1])", Some("olleh\n"))
        .await?;
    assert_eq!(hello.verdict(), &Verdict::Accepted, "{hello:?}");
    assert_eq!(hello.result.status, ExecutionStatus::Success);
    assert_eq!(
        (hello.stdout.as_str(), hello.result.exit_code),
        ("hello\n", 0)
    );
    assert_eq!(Some(hello.isolation()), caps.isolation);
    assert!(hello.usage.wall_time_us > 0 && hello.result.completed_at.is_some());

    let mut judged = request("python3", "print(int(input()) * 2)");
    judged.test_cases = vec![case("2", "4"), case("5", "11")];
    let wrong = execution.run(&judged).await?;
    assert_eq!(wrong.verdict(), &Verdict::WrongAnswer);
    assert_eq!(wrong.cases.len(), 2);
    assert_eq!(wrong.cases[0].verdict, Verdict::Accepted);
    assert_eq!(wrong.cases[1].verdict, Verdict::WrongAnswer);
    assert_eq!(wrong.cases[1].stdout, "10\n");

    let mut spin = request("python3", "while True:\n    pass\n");
    spin.time_limit_ms = Some(300);
    let tle = execution.run(&spin).await?;
    assert!(
        matches!(
            tle.verdict(),
            Verdict::TimeLimitExceeded {
                limit: TimeLimit::Cpu | TimeLimit::Wall
            }
        ),
        "{tle:?}"
    );
    assert_eq!(tle.result.status, ExecutionStatus::Timeout);

    let killed = execution
        .execute_code(
            "python3",
            "import os, signal\nos.kill(os.getpid(), signal.SIGSEGV)",
            None,
        )
        .await?;
    assert!(
        matches!(killed.verdict(), Verdict::RuntimeError { signal, .. } if signal == "SIGSEGV"),
        "{killed:?}"
    );

    let raised = execution
        .execute_code("python3", "raise ValueError('boom')", None)
        .await?;
    assert_eq!(raised.verdict(), &Verdict::NonZeroExit { exit_code: 1 });
    assert!(raised.stderr.contains("ValueError: boom"), "{raised:?}");
    Ok(())
}

async fn bash_gets_arguments_and_files(server: TestServer) -> anyhow::Result<()> {
    let Some(client) = runner(&server).await? else {
        return Ok(());
    };
    if !has(&client, "bash").await? {
        return Ok(());
    }
    let mut run = request("bash", "echo \"$1 $2\"; cat notes.txt");
    run.args = vec!["one".into(), "two".into()];
    run.files.insert("notes.txt".into(), "three\n".into());
    let answer = client.execution().run(&run).await?;
    assert_eq!(answer.verdict(), &Verdict::Accepted, "{answer:?}");
    assert_eq!(answer.stdout, "one two\nthree\n");
    Ok(())
}

async fn bad_runs_are_refused_with_what_to_fix(server: TestServer) -> anyhow::Result<()> {
    let Some(client) = runner(&server).await? else {
        return Ok(());
    };
    let execution = client.execution();
    let unknown = refused(execution.run(&request("cobol", "DISPLAY 'HI'")).await)?;
    assert_eq!(unknown.status(), Some(422));
    assert_eq!(unknown.code(), Some("execution.environment.unknown"));
    assert!(unknown.to_string().contains("use one of"), "{unknown}");

    let Some(env) = execution.environments().await?.into_iter().next() else {
        anyhow::bail!("no environment on a host that can run code");
    };
    let mut greedy = request(&env.name, "x");
    greedy.time_limit_ms = Some(env.max_limits.wall_time_ms + 1);
    greedy.memory_limit_mb = Some(env.max_limits.memory_bytes / (1024 * 1024) + 1);
    let limits = refused(execution.run(&greedy).await)?;
    assert_eq!(limits.status(), Some(422));
    let fields = field_of(&limits);
    assert!(fields.iter().any(|f| f == "timeLimitMs"), "{fields:?}");
    assert!(fields.iter().any(|f| f == "memoryLimitMb"), "{fields:?}");

    let huge = request(&env.name, &"#".repeat(300_000));
    let oversized = refused(execution.run(&huge).await)?;
    assert_eq!(oversized.status(), Some(422));
    assert_eq!(field_of(&oversized), ["code"]);

    let mut cases = request(&env.name, "x");
    cases.test_cases = (0..11).map(|_| case("", "")).collect();
    cases.time_limit_ms = Some(5_000);
    let too_long = refused(execution.run(&cases).await)?;
    assert_eq!(field_of(&too_long), ["timeLimitMs"]);
    assert!(
        too_long.to_string().contains("/v1/execution/jobs"),
        "{too_long}"
    );
    Ok(())
}

on_both_backends!(
    capabilities_and_environments_are_reported,
    python_runs_get_judge0_verdicts,
    bash_gets_arguments_and_files,
    bad_runs_are_refused_with_what_to_fix,
);
