//! Execution jobs end to end through `client.execution()`: a submitted job's events
//! (queued, started, output in order, completed) reach a subscribed client, its result,
//! log and usage read back; a long-running job is cancelled and killed (its worker is free
//! again at once); a full queue answers 503 with `Retry-After`; a restart fails the job that
//! was running (its server stopped) and runs the one still queued; unknown jobs are 404 and
//! bad requests 422. A host without a sandbox is reported and skipped.

use std::time::Duration;

use kiro_sdk::kiro_types::events::Event;
use kiro_sdk::kiro_types::execution::{Job, JobStatus, RunRequest, Verdict};
use kiro_sdk::{EventStream, JobFilters, KiroClient, KiroError};
use kiro_server::config::Config;
use kiro_testkit::{Backend, TestServer, on_both_backends, spawn_server_with};

use crate::{DEADLINE, connect, fast_config, next_event, ready, signed_in};

/// A signed-in client whose server can run python, or `None` (with a note) when it cannot.
async fn runner(server: &TestServer) -> anyhow::Result<Option<KiroClient>> {
    let client = signed_in(server).await?;
    let execution = client.execution();
    let caps = execution.capabilities().await?;
    if !caps.available {
        eprintln!(
            "SKIPPED: the sandbox is unavailable here: {:?}",
            caps.reason
        );
        return Ok(None);
    }
    if !execution
        .environments()
        .await?
        .iter()
        .any(|e| e.name == "python3")
    {
        eprintln!("SKIPPED: python3 is not installed here");
        return Ok(None);
    }
    Ok(Some(client))
}

fn python(code: &str) -> RunRequest {
    RunRequest {
        environment: "python3".into(),
        code: code.into(),
        ..RunRequest::default()
    }
}

/// A program that prints `started` and then sleeps for up to `secs`, within the limits.
async fn sleeper(client: &KiroClient, secs: u64) -> anyhow::Result<RunRequest> {
    let env = client.execution().environment("python3").await?;
    let limit = env.max_limits.wall_time_ms.min(secs * 1000);
    let mut request = python(&format!(
        "import time\nprint('started', flush=True)\ntime.sleep({})\n",
        limit / 1000
    ));
    request.time_limit_ms = Some(limit);
    Ok(request)
}

/// The events of job `id` from `stream` up to and including its first final one.
async fn events_until_final(stream: &mut EventStream, id: &str) -> anyhow::Result<Vec<Event>> {
    let mut seen = Vec::new();
    loop {
        let event = next_event(stream).await?;
        if event.resource_id != id {
            continue;
        }
        let last = matches!(
            event.event_type.as_str(),
            "execution.job.completed" | "execution.job.failed" | "execution.job.cancelled"
        );
        seen.push(event);
        if last {
            return Ok(seen);
        }
    }
}

/// Waits for job `id`'s first output event.
async fn first_output(stream: &mut EventStream, id: &str) -> anyhow::Result<Event> {
    loop {
        let event = next_event(stream).await?;
        if event.resource_id == id && event.event_type == "execution.job.output" {
            return Ok(event);
        }
    }
}

fn refused<T: std::fmt::Debug>(result: Result<T, KiroError>) -> anyhow::Result<KiroError> {
    match result {
        Ok(value) => anyhow::bail!("expected an error, got {value:?}"),
        Err(e) => Ok(e),
    }
}

async fn a_job_streams_its_output_in_order_and_completes(server: TestServer) -> anyhow::Result<()> {
    let Some(client) = runner(&server).await? else {
        return Ok(());
    };
    let execution = client.execution();
    let mut stream = client.subscribe(["execution.job.*"])?;
    ready(&mut stream).await?;
    let code = "import sys, time\nfor i in range(3):\n    print(f'line {i}', flush=True)\n    \
                time.sleep(0.15)\nprint('warn', file=sys.stderr)\n";
    let job = execution.submit_job(&python(code)).await?;
    assert_eq!((job.status, job.attempts), (JobStatus::Queued, 0));

    let events = events_until_final(&mut stream, &job.id).await?;
    let types: Vec<&str> = events.iter().map(|e| e.event_type.as_str()).collect();
    assert_eq!(
        types[..2],
        ["execution.job.queued", "execution.job.started"],
        "{types:?}"
    );
    assert_eq!(types.last(), Some(&"execution.job.completed"), "{types:?}");
    let outputs: Vec<&Event> = events
        .iter()
        .filter(|e| e.event_type == "execution.job.output")
        .collect();
    assert!(outputs.len() >= 2, "the sleeps split the output: {types:?}");
    let seqs: Vec<u64> = outputs
        .iter()
        .filter_map(|e| e.data["seq"].as_u64())
        .collect();
    assert_eq!(seqs, (1..=outputs.len() as u64).collect::<Vec<_>>());
    let text_of = |stream: &str| -> String {
        outputs
            .iter()
            .filter(|e| e.data["stream"] == stream)
            .filter_map(|e| e.data["text"].as_str())
            .collect()
    };
    assert_eq!(text_of("stdout"), "line 0\nline 1\nline 2\n");
    assert_eq!(text_of("stderr"), "warn\n");

    let done = execution.wait_for_job(&job.id, DEADLINE).await?;
    assert_eq!((done.status, done.attempts), (JobStatus::Completed, 1));
    assert_eq!(done.verdict, Some(Verdict::Accepted));
    let result = done
        .result
        .as_ref()
        .ok_or_else(|| anyhow::anyhow!("no result"))?;
    assert_eq!(result.stdout, "line 0\nline 1\nline 2\n");
    assert!(done.started_at.is_some() && done.finished_at.is_some());

    let logs = execution.job_logs(&job.id, 0, 100).await?;
    let logged: String = logs.items.iter().map(|l| l.message.as_str()).collect();
    assert_eq!(logged.len(), "line 0\nline 1\nline 2\nwarn\n".len());
    assert!(!logs.truncated && logs.next_after.is_none());
    let rest = execution.job_logs(&job.id, 1, 100).await?;
    assert_eq!(rest.items.len(), logs.items.len() - 1);
    let usage = execution.job_usage(&job.id).await?;
    assert_eq!(usage.usage, Some(result.usage));

    let completed = JobFilters {
        status: Some(JobStatus::Completed),
        ..JobFilters::default()
    };
    let listed = execution.jobs(&completed, None).await?;
    assert_eq!(
        listed
            .items
            .iter()
            .map(|j| j.id.as_str())
            .collect::<Vec<_>>(),
        [job.id.as_str()]
    );
    let queued = JobFilters {
        status: Some(JobStatus::Queued),
        ..JobFilters::default()
    };
    assert!(execution.jobs(&queued, None).await?.items.is_empty());

    let late = refused(execution.cancel_job(&job.id).await)?;
    assert_eq!(
        (late.status(), late.code()),
        (Some(409), Some("execution.job.not_cancellable"))
    );
    Ok(())
}

async fn unknown_jobs_are_404_and_bad_requests_422(server: TestServer) -> anyhow::Result<()> {
    let Some(client) = runner(&server).await? else {
        return Ok(());
    };
    let execution = client.execution();
    let missing = uuid::Uuid::now_v7().to_string();
    for e in [
        refused(execution.job(&missing).await)?,
        refused(execution.cancel_job(&missing).await)?,
        refused(execution.job_logs(&missing, 0, 10).await.map(|_| ()))?,
        refused(execution.job_usage(&missing).await.map(|_| ()))?,
    ] {
        assert_eq!(
            (e.status(), e.code()),
            (Some(404), Some("execution.job.not_found"))
        );
    }
    let unknown = refused(
        execution
            .submit_job(&RunRequest {
                environment: "cobol".into(),
                ..python("x")
            })
            .await,
    )?;
    assert_eq!(
        (unknown.status(), unknown.code()),
        (Some(422), Some("execution.environment.unknown"))
    );
    let mut greedy = python("x");
    greedy.time_limit_ms = Some(u64::MAX / 2);
    let limits = refused(execution.submit_job(&greedy).await)?;
    assert_eq!(limits.status(), Some(422));
    assert!(limits.to_string().contains("timeLimitMs"), "{limits}");
    let nothing_queued = execution.jobs(&JobFilters::default(), None).await?;
    assert!(nothing_queued.items.is_empty());
    Ok(())
}

on_both_backends!(
    a_job_streams_its_output_in_order_and_completes,
    unknown_jobs_are_404_and_bad_requests_422,
);

/// Runs `case` on a server of `backend` configured by `configure` (skipping PostgreSQL when
/// it is not configured).
async fn on_configured<F, Fut>(
    backend: Backend,
    configure: impl FnOnce(&mut Config),
    case: F,
) -> anyhow::Result<()>
where
    F: FnOnce(TestServer) -> Fut,
    Fut: std::future::Future<Output = anyhow::Result<()>>,
{
    match spawn_server_with(backend, configure).await? {
        Some(server) => case(server)
            .await
            .map_err(|e| anyhow::anyhow!("{backend:?}: {e:#}")),
        None => {
            eprintln!("skipped on PostgreSQL: KIRO_TEST_DATABASE_URL is not set");
            Ok(())
        }
    }
}

fn one_worker(config: &mut Config) {
    config.execution.workers = 1;
}

fn one_worker_one_slot(config: &mut Config) {
    config.execution.workers = 1;
    config.execution.queue_capacity = 1;
}

async fn a_running_job_is_cancelled_and_killed(server: TestServer) -> anyhow::Result<()> {
    let Some(client) = runner(&server).await? else {
        return Ok(());
    };
    let execution = client.execution();
    let mut stream = client.subscribe(["execution.job.*"])?;
    ready(&mut stream).await?;
    let job = execution.submit_job(&sleeper(&client, 30).await?).await?;
    let output = first_output(&mut stream, &job.id).await?;
    assert_eq!(output.data["text"], "started\n");
    let cancelled = execution.cancel_job(&job.id).await?;
    assert_eq!(cancelled.status, JobStatus::Cancelled);
    assert!(
        cancelled
            .error
            .as_deref()
            .is_some_and(|e| e.starts_with("cancelled by"))
    );
    let events = events_until_final(&mut stream, &job.id).await?;
    assert_eq!(
        events.last().map(|e| e.event_type.as_str()),
        Some("execution.job.cancelled")
    );
    // The one worker is free again: the sleeping program was killed, not waited for.
    let quick = tokio::time::timeout(
        Duration::from_secs(10),
        execution.execute_code("python3", "print('free')", None),
    )
    .await
    .map_err(|_| anyhow::anyhow!("the cancelled job still holds the worker"))??;
    assert_eq!(quick.stdout, "free\n");
    let after = execution.job(&job.id).await?;
    assert_eq!((after.status, after.result), (JobStatus::Cancelled, None));
    Ok(())
}

async fn a_full_queue_answers_503_with_retry_after(server: TestServer) -> anyhow::Result<()> {
    let Some(client) = runner(&server).await? else {
        return Ok(());
    };
    let mut once = fast_config(&server.base_url);
    once.retry.max_attempts = 1;
    let single = KiroClient::connect(once).await?;
    single.authenticate(crate::admin(&server)).await?;
    let execution = client.execution();
    let mut stream = client.subscribe(["execution.job.*"])?;
    ready(&mut stream).await?;
    let running = execution.submit_job(&sleeper(&client, 30).await?).await?;
    first_output(&mut stream, &running.id).await?;
    let waiting = execution.submit_job(&python("print(1)")).await?;
    let full = refused(single.execution().submit_job(&python("print(2)")).await)?;
    assert_eq!(
        (full.status(), full.code()),
        (Some(503), Some("execution.queue_full"))
    );
    assert!(full.retryable(), "{full:?}");
    assert_eq!(full.retry_after(), Some(Duration::from_secs(5)));
    for id in [&waiting.id, &running.id] {
        execution.cancel_job(id).await?;
    }
    Ok(())
}

async fn a_restart_fails_the_interrupted_job_and_runs_the_queued_one(
    mut server: TestServer,
) -> anyhow::Result<()> {
    let Some(client) = runner(&server).await? else {
        return Ok(());
    };
    let execution = client.execution();
    let mut stream = client.subscribe(["execution.job.*"])?;
    ready(&mut stream).await?;
    let interrupted = execution.submit_job(&sleeper(&client, 30).await?).await?;
    first_output(&mut stream, &interrupted.id).await?;
    let waiting = execution
        .submit_job(&python("print('after the restart')"))
        .await?;
    drop(stream);
    server.halt().await?;
    server.resume().await?;
    let client = connect(&server).await?;
    client.authenticate(crate::admin(&server)).await?;
    let execution = client.execution();
    let failed: Job = execution.job(&interrupted.id).await?;
    assert_eq!(failed.status, JobStatus::Failed, "{failed:?}");
    assert!(
        failed
            .error
            .as_deref()
            .is_some_and(|e| e.contains("stopped")),
        "{failed:?}"
    );
    let done = execution.wait_for_job(&waiting.id, DEADLINE).await?;
    assert_eq!(done.status, JobStatus::Completed, "{done:?}");
    assert_eq!(
        done.result.map(|r| r.stdout).as_deref(),
        Some("after the restart\n")
    );
    Ok(())
}

macro_rules! configured {
    ($configure:ident: $($case:ident),+ $(,)?) => {
        $(
            mod $case {
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn sqlite() -> anyhow::Result<()> {
                    super::on_configured(kiro_testkit::Backend::Sqlite, super::$configure, super::$case).await
                }

                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn postgres() -> anyhow::Result<()> {
                    super::on_configured(kiro_testkit::Backend::Postgres, super::$configure, super::$case).await
                }
            }
        )+
    };
}

configured!(one_worker: a_running_job_is_cancelled_and_killed, a_restart_fails_the_interrupted_job_and_runs_the_queued_one);
configured!(one_worker_one_slot: a_full_queue_answers_503_with_retry_after);
