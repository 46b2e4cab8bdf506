//! The execution job store: the queue refuses beyond its capacity (nothing written), claims
//! take the oldest job once even when raced, output lines and events only while the claim
//! holds, finish and cancel guard on the state, recovery fails or requeues jobs whose lease
//! ran out, and lists filter and page.

use std::sync::Arc;

use kiro_core::PageRequest;
use kiro_core::StoreError;
use kiro_core::events::EventDraft;
use kiro_core::execution::{ExecutionStore, JobFilter, JobFinish, kinds};
use kiro_core::store::EventStore;
use kiro_store::SqlStore;
use kiro_types::WorkspaceId;
use kiro_types::execution::{Job, JobLogLine, JobStatus, LogStream, RunRequest};

use crate::{at, everything, stored_user};

store_tests!(
    the_queue_refuses_beyond_capacity_and_claims_oldest_first_once,
    output_is_kept_only_while_the_claim_holds,
    cancel_guards_on_the_state,
    recovery_fails_or_requeues_jobs_whose_lease_ran_out,
    lists_filter_by_status_and_environment_and_page,
);

fn job(ws: WorkspaceId, environment: &str, n: i64) -> Job {
    Job {
        id: uuid::Uuid::now_v7().to_string(),
        workspace_id: ws,
        status: JobStatus::Queued,
        environment: environment.into(),
        request: RunRequest {
            environment: environment.into(),
            code: format!("print({n})"),
            ..RunRequest::default()
        },
        result: None,
        verdict: None,
        error: None,
        attempts: 0,
        submitted_by: "user:test".into(),
        created_at: at(n),
        started_at: None,
        finished_at: None,
        version: 1,
    }
}

fn event(job: &Job, kind: kiro_core::events::EventKind) -> EventDraft {
    EventDraft::new(
        job.workspace_id,
        kind,
        job.id.as_str(),
        job.version,
        "test",
        at(0),
        serde_json::json!({}),
    )
}

fn started(job: &Job) -> EventDraft {
    event(job, kinds::JOB_STARTED)
}

async fn queued(store: &SqlStore, ws: WorkspaceId, env: &str, n: i64) -> anyhow::Result<Job> {
    let j = job(ws, env, n);
    anyhow::ensure!(
        store
            .enqueue_job(&j, 100, &event(&j, kinds::JOB_QUEUED))
            .await?
    );
    Ok(j)
}

async fn event_types(store: &SqlStore, id: &str) -> anyhow::Result<Vec<String>> {
    Ok(store
        .list_events(None, 0, 1000)
        .await?
        .into_iter()
        .filter(|e| e.resource_id == id)
        .map(|e| e.event_type)
        .collect())
}

async fn the_queue_refuses_beyond_capacity_and_claims_oldest_first_once(
    store: SqlStore,
) -> anyhow::Result<()> {
    let (_, w) = stored_user(&store, "queue@x.test").await?;
    let first = job(w.id, "python3", 1);
    let second = job(w.id, "python3", 2);
    let third = job(w.id, "python3", 3);
    for j in [&first, &second] {
        assert!(
            store
                .enqueue_job(j, 2, &event(j, kinds::JOB_QUEUED))
                .await?
        );
    }
    assert!(
        !store
            .enqueue_job(&third, 2, &event(&third, kinds::JOB_QUEUED))
            .await?
    );
    assert!(matches!(
        store.get_job(w.id, &third.id).await,
        Err(StoreError::NotFound)
    ));
    assert!(event_types(&store, &third.id).await?.is_empty());

    // Two workers racing for two jobs get one each.
    let store = Arc::new(store);
    let (a, b) = tokio::join!(
        store.claim_job("a", at(10), at(100), &started),
        store.claim_job("b", at(10), at(100), &started),
    );
    let (a, b) = (
        a?.ok_or_else(|| anyhow::anyhow!("a got nothing"))?,
        b?.ok_or_else(|| anyhow::anyhow!("b got nothing"))?,
    );
    assert_ne!(a.id, b.id);
    let mut ids = [a.id.clone(), b.id.clone()];
    ids.sort();
    assert_eq!(ids, [first.id.clone(), second.id.clone()]);
    assert!(
        store
            .claim_job("c", at(10), at(100), &started)
            .await?
            .is_none()
    );
    let claimed = store.get_job(w.id, &first.id).await?;
    assert_eq!(
        (claimed.status, claimed.attempts, claimed.version),
        (JobStatus::Running, 1, 2)
    );
    assert_eq!(claimed.started_at, Some(at(10)));
    assert_eq!(
        event_types(&store, &first.id).await?,
        ["execution.job.queued", "execution.job.started"]
    );
    // Once one waits no more, the third fits.
    assert!(
        store
            .enqueue_job(&third, 2, &event(&third, kinds::JOB_QUEUED))
            .await?
    );
    Ok(())
}

fn line(seq: u64, stream: LogStream, message: &str) -> JobLogLine {
    JobLogLine {
        seq,
        at: at(20),
        stream,
        message: message.into(),
    }
}

async fn output_is_kept_only_while_the_claim_holds(store: SqlStore) -> anyhow::Result<()> {
    let (_, w) = stored_user(&store, "output@x.test").await?;
    let j = queued(&store, w.id, "python3", 1).await?;
    let running = store
        .claim_job("me", at(10), at(100), &started)
        .await?
        .ok_or_else(|| anyhow::anyhow!("nothing claimed"))?;
    let lines = [
        line(1, LogStream::Stdout, "hello\n"),
        line(2, LogStream::Stderr, "oops\n"),
    ];
    let events: Vec<EventDraft> = lines
        .iter()
        .map(|_| event(&running, kinds::JOB_OUTPUT))
        .collect();
    assert!(matches!(
        store
            .append_job_output(&j.id, "someone-else", &lines, &events)
            .await,
        Err(StoreError::Stale)
    ));
    store
        .append_job_output(&j.id, "me", &lines, &events)
        .await?;
    store.renew_job_lease(&j.id, "me", at(200)).await?;
    let (all, truncated) = store.job_logs(w.id, &j.id, 0, 10).await?;
    assert_eq!(all, lines);
    assert!(!truncated);
    let (rest, _) = store.job_logs(w.id, &j.id, 1, 10).await?;
    assert_eq!(rest, lines[1..]);
    let finish = JobFinish {
        status: JobStatus::Failed,
        result: None,
        error: Some("engine failed".into()),
        at: at(30),
        log_truncated: true,
    };
    let done = store
        .finish_job(&j.id, "me", &finish, &|j: &Job| event(j, kinds::JOB_FAILED))
        .await?;
    assert_eq!(
        (done.status, done.finished_at, done.version),
        (JobStatus::Failed, Some(at(30)), 3)
    );
    assert_eq!(done.error.as_deref(), Some("engine failed"));
    assert!(store.job_logs(w.id, &j.id, 0, 10).await?.1);
    for stale in [
        store
            .append_job_output(&j.id, "me", &lines, &events)
            .await
            .err(),
        store.renew_job_lease(&j.id, "me", at(300)).await.err(),
        store
            .finish_job(&j.id, "me", &finish, &|j: &Job| event(j, kinds::JOB_FAILED))
            .await
            .err(),
    ] {
        assert!(matches!(stale, Some(StoreError::Stale)), "{stale:?}");
    }
    assert_eq!(
        event_types(&store, &j.id).await?,
        [
            "execution.job.queued",
            "execution.job.started",
            "execution.job.output",
            "execution.job.output",
            "execution.job.failed"
        ]
    );
    Ok(())
}

async fn cancel_guards_on_the_state(store: SqlStore) -> anyhow::Result<()> {
    let (_, w) = stored_user(&store, "cancel@x.test").await?;
    let (_, other) = stored_user(&store, "other@x.test").await?;
    let waiting = queued(&store, w.id, "python3", 1).await?;
    let running = queued(&store, w.id, "python3", 2).await?;
    let cancelled = |j: &Job| event(j, kinds::JOB_CANCELLED);
    let c = store
        .cancel_job(w.id, &waiting.id, at(5), "by test", &cancelled)
        .await?;
    assert_eq!(
        (c.status, c.error.as_deref()),
        (JobStatus::Cancelled, Some("by test"))
    );
    // The cancelled job is not claimed; the next one is.
    let claimed = store.claim_job("me", at(10), at(100), &started).await?;
    assert_eq!(claimed.map(|j| j.id), Some(running.id.clone()));
    let c = store
        .cancel_job(w.id, &running.id, at(11), "by test", &cancelled)
        .await?;
    assert_eq!(c.status, JobStatus::Cancelled);
    // Its worker learns it from its lease.
    assert!(matches!(
        store.renew_job_lease(&running.id, "me", at(200)).await,
        Err(StoreError::Stale)
    ));
    assert!(matches!(
        store
            .cancel_job(w.id, &running.id, at(12), "again", &cancelled)
            .await,
        Err(StoreError::Conflict { .. })
    ));
    assert!(matches!(
        store
            .cancel_job(other.id, &running.id, at(12), "not yours", &cancelled)
            .await,
        Err(StoreError::NotFound)
    ));
    assert!(matches!(
        store.get_job(other.id, &running.id).await,
        Err(StoreError::NotFound)
    ));
    Ok(())
}

async fn recovery_fails_or_requeues_jobs_whose_lease_ran_out(
    store: SqlStore,
) -> anyhow::Result<()> {
    let (_, w) = stored_user(&store, "recover@x.test").await?;
    let dead = queued(&store, w.id, "python3", 1).await?;
    let alive = queued(&store, w.id, "python3", 2).await?;
    let waiting = queued(&store, w.id, "python3", 3).await?;
    store.claim_job("gone", at(10), at(50), &started).await?;
    store.claim_job("here", at(10), at(500), &started).await?;
    let recovered_event = |j: &Job| event(j, kinds::JOB_FAILED);
    let failed = store
        .recover_jobs(at(100), false, "its server died", &recovered_event)
        .await?;
    assert_eq!(
        failed.iter().map(|j| j.id.as_str()).collect::<Vec<_>>(),
        [dead.id.as_str()]
    );
    let dead_now = store.get_job(w.id, &dead.id).await?;
    assert_eq!(
        (dead_now.status, dead_now.error.as_deref()),
        (JobStatus::Failed, Some("its server died"))
    );
    assert_eq!(
        store.get_job(w.id, &alive.id).await?.status,
        JobStatus::Running
    );
    assert_eq!(
        store.get_job(w.id, &waiting.id).await?.status,
        JobStatus::Queued
    );

    // With requeue, the job goes back and is claimed again as a second attempt.
    let requeued = store
        .recover_jobs(at(1000), true, "unused", &|j: &Job| {
            event(j, kinds::JOB_QUEUED)
        })
        .await?;
    assert_eq!(
        requeued.iter().map(|j| j.id.as_str()).collect::<Vec<_>>(),
        [alive.id.as_str()]
    );
    assert_eq!(
        (requeued[0].status, requeued[0].started_at),
        (JobStatus::Queued, None)
    );
    let again = store.claim_job("new", at(1001), at(2000), &started).await?;
    assert_eq!(
        again.map(|j| (j.id, j.attempts)),
        Some((alive.id.clone(), 2))
    );
    Ok(())
}

async fn lists_filter_by_status_and_environment_and_page(store: SqlStore) -> anyhow::Result<()> {
    let (_, w) = stored_user(&store, "list@x.test").await?;
    let mut ids = Vec::new();
    for n in 0..5 {
        let env = if n % 2 == 0 { "python3" } else { "node" };
        ids.push(queued(&store, w.id, env, n).await?.id);
    }
    store.claim_job("me", at(10), at(100), &started).await?;
    let all = store
        .list_jobs(w.id, &JobFilter::default(), &everything())
        .await?;
    let newest_first: Vec<String> = ids.iter().rev().cloned().collect();
    assert_eq!(
        all.items.iter().map(|j| j.id.clone()).collect::<Vec<_>>(),
        newest_first
    );
    let python = JobFilter {
        environment: Some("python3".into()),
        ..JobFilter::default()
    };
    assert_eq!(
        store
            .list_jobs(w.id, &python, &everything())
            .await?
            .items
            .len(),
        3
    );
    let running = JobFilter {
        status: Some(JobStatus::Running),
        ..JobFilter::default()
    };
    let page = store.list_jobs(w.id, &running, &everything()).await?;
    assert_eq!(
        page.items.iter().map(|j| j.id.clone()).collect::<Vec<_>>(),
        [ids[0].clone()]
    );
    let first = store
        .list_jobs(w.id, &JobFilter::default(), &PageRequest::first(2))
        .await?;
    let next = PageRequest {
        limit: 2,
        after: first.next.clone(),
    };
    let second = store.list_jobs(w.id, &JobFilter::default(), &next).await?;
    assert_eq!(
        second
            .items
            .iter()
            .map(|j| j.id.clone())
            .collect::<Vec<_>>(),
        newest_first[2..4]
    );
    Ok(())
}
