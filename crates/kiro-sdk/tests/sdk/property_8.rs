//! Property 8, error resilience and recovery: generated sequences of creations and renames
//! are submitted while a real server is halted and resumed (and replays are attempted at
//! any point); then a second client edits some of the renamed workspaces concurrently.
//! After the final replay every creation exists exactly once, in submission order, every
//! rename has the outcome its policy dictates, and every conflict is reported exactly once.
//! One server per backend serves all 100 cases.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;
use std::time::Duration;

use kiro_sdk::kiro_types::workspace::WorkspaceOut;
use kiro_sdk::{
    Call, ClientConfig, Conflict, ConflictPolicy, KiroClient, OfflineQueue, Resolution,
    RetryPolicy, Submitted,
};
use kiro_testkit::{Backend, TestServer, spawn_server_on};
use proptest::prelude::*;
use proptest::test_runner::{Config as ProptestConfig, TestRunner};
use serde_json::json;

use crate::{admin, workspaces};

#[derive(Debug, Clone)]
enum Step {
    Create,
    /// Rename base workspace `i % bases` (once per workspace; later ones are skipped).
    Rename(usize),
    Halt,
    Resume,
    Replay,
}

#[derive(Debug, Clone, Copy)]
enum Policy {
    ServerWins,
    ClientWins,
    Merge,
}

#[derive(Debug, Clone)]
struct Case {
    bases: usize,
    steps: Vec<Step>,
    /// Which base workspaces the second client renames before the final replay.
    edited: Vec<bool>,
    policy: Policy,
}

fn case() -> impl Strategy<Value = Case> {
    let step = prop_oneof![
        3 => Just(Step::Create),
        3 => (0usize..3).prop_map(Step::Rename),
        1 => Just(Step::Halt),
        1 => Just(Step::Resume),
        1 => Just(Step::Replay),
    ];
    (
        1usize..=3,
        proptest::collection::vec(step, 1..8),
        any::<prop::sample::Index>(),
        proptest::collection::vec(any::<bool>(), 3),
        prop_oneof![
            Just(Policy::ServerWins),
            Just(Policy::ClientWins),
            Just(Policy::Merge)
        ],
    )
        .prop_map(|(bases, mut steps, at, edited, policy)| {
            // Every case sees the server fail at least once.
            steps.insert(at.index(steps.len() + 1), Step::Halt);
            Case {
                bases,
                steps,
                edited,
                policy,
            }
        })
}

fn policy(policy: Policy) -> ConflictPolicy {
    match policy {
        Policy::ServerWins => ConflictPolicy::ServerWins,
        Policy::ClientWins => ConflictPolicy::ClientWins,
        Policy::Merge => ConflictPolicy::Merge(Arc::new(|c: &Conflict| {
            let theirs = c.server.get("name")?.as_str()?;
            let mine = c.local()?.get("name")?.as_str()?;
            Some(json!({ "name": format!("{theirs}+{mine}") }))
        })),
    }
}

/// Quick failures while the server is down: one retry, short backoff.
fn quick(base_url: &str) -> ClientConfig {
    let mut config = ClientConfig::new(base_url);
    config.timeout = Duration::from_secs(20);
    config.retry = RetryPolicy {
        max_attempts: 2,
        base_delay: Duration::from_millis(1),
        max_delay: Duration::from_millis(5),
        budget: 1_000_000,
    };
    config
}

struct World {
    server: TestServer,
    client: KiroClient,
    other: KiroClient,
    dir: tempfile::TempDir,
}

async fn run_case(world: &mut World, number: usize, case: &Case) -> anyhow::Result<()> {
    let World {
        server,
        client,
        other,
        dir,
    } = world;
    if !server.is_running() {
        // A failed case (while shrinking) may have left it halted.
        server.resume().await?;
    }
    let prefix = format!("p8-{number}");
    let file = dir.path().join(format!("queue-{number}.db"));
    let queue = OfflineQueue::open(&file, client.clone(), policy(case.policy)).await?;
    let mut conflicts = queue.conflicts();
    let mut bases: Vec<WorkspaceOut> = Vec::new();
    for i in 0..case.bases {
        let name = format!("{prefix}-base{i}");
        bases.push(client.call(create(&name)).await?.json()?);
    }

    let mut created = Vec::new();
    let mut renamed: BTreeMap<usize, String> = BTreeMap::new();
    for (at, step) in case.steps.iter().enumerate() {
        match step {
            Step::Create => {
                let name = format!("{prefix}-c{at}");
                submit(&queue, create(&name), server.is_running()).await?;
                created.push(name);
            }
            Step::Rename(i) => {
                let i = i % case.bases;
                if renamed.contains_key(&i) {
                    continue;
                }
                let name = format!("{prefix}-r{at}");
                let call = Call::patch(format!("/v1/workspaces/{}", bases[i].id))
                    .json(json!({ "name": name }))
                    .if_match(format!("\"{}\"", bases[i].version));
                submit(&queue, call, server.is_running()).await?;
                renamed.insert(i, name);
            }
            Step::Halt if server.is_running() => server.halt().await?,
            Step::Resume if !server.is_running() => server.resume().await?,
            Step::Halt | Step::Resume => {}
            Step::Replay => {
                let before = queue.len().await?;
                let report = queue.replay().await?;
                if server.is_running() {
                    anyhow::ensure!(report.interrupted.is_none(), "{:?}", report.interrupted);
                    anyhow::ensure!(report.remaining == 0 && report.conflicts.is_empty());
                } else if before > 0 {
                    anyhow::ensure!(report.interrupted.is_some(), "replayed while halted");
                    anyhow::ensure!(report.replayed.is_empty() && report.remaining == before);
                }
            }
        }
    }
    if !server.is_running() {
        server.resume().await?;
    }

    // Someone else renames some workspaces while our renames of them may still be queued.
    let pending: BTreeSet<String> = queue
        .pending()
        .await?
        .into_iter()
        .map(|p| p.call.path)
        .collect();
    let mut theirs: BTreeMap<usize, String> = BTreeMap::new();
    for (i, base) in bases.iter().enumerate() {
        if case.edited[i] {
            let path = format!("/v1/workspaces/{}", base.id);
            let now = other.call(Call::get(&path)).await?;
            let name = format!("{prefix}-theirs{i}");
            let mut call = Call::patch(&path).json(json!({ "name": name }));
            call.if_match = now.etag;
            other.call(call).await?;
            theirs.insert(i, name);
        }
    }
    let report = queue.replay().await?;
    anyhow::ensure!(report.interrupted.is_none(), "{:?}", report.interrupted);
    anyhow::ensure!(queue.is_empty().await? && report.failed.is_empty());

    // Every creation landed exactly once, in submission order.
    let all = workspaces(client).await?;
    let ours: Vec<&str> = all
        .iter()
        .map(|w| w.name.as_str())
        .filter(|n| n.starts_with(&format!("{prefix}-c")))
        .collect();
    anyhow::ensure!(ours == created, "created {created:?}, server has {ours:?}");

    // Each rename ends as its policy says; each conflict is reported once.
    let mut expected_conflicts = BTreeSet::new();
    for (i, base) in bases.iter().enumerate() {
        let path = format!("/v1/workspaces/{}", base.id);
        let now: WorkspaceOut = client.call(Call::get(&path)).await?.json()?;
        let mine = renamed.get(&i);
        let other_name = theirs.get(&i);
        let conflicted = mine.is_some() && other_name.is_some() && pending.contains(&path);
        let expected = match (mine, other_name) {
            (None, None) => base.name.clone(),
            (Some(mine), None) => mine.clone(),
            (None, Some(theirs)) => theirs.clone(),
            (Some(mine), Some(theirs)) if conflicted => match case.policy {
                Policy::ServerWins => theirs.clone(),
                Policy::ClientWins => mine.clone(),
                Policy::Merge => format!("{theirs}+{mine}"),
            },
            // Ours landed before theirs.
            (Some(_), Some(theirs)) => theirs.clone(),
        };
        anyhow::ensure!(
            now.name == expected,
            "workspace {i}: {now:?}, want {expected}"
        );
        if conflicted {
            expected_conflicts.insert(path);
        }
    }
    let mut heard = BTreeSet::new();
    while let Ok(report) = conflicts.try_recv() {
        let resolution = match case.policy {
            Policy::ServerWins => Resolution::ServerWins,
            Policy::ClientWins => Resolution::ClientWins,
            Policy::Merge => {
                let name = format!(
                    "{}+{}",
                    report.conflict.server["name"].as_str().unwrap_or_default(),
                    report
                        .conflict
                        .local()
                        .map_or("", |b| b["name"].as_str().unwrap_or_default())
                );
                Resolution::Merged(json!({ "name": name }))
            }
        };
        anyhow::ensure!(report.resolution == resolution, "{report:?}");
        anyhow::ensure!(
            heard.insert(report.conflict.call.path.clone()),
            "reported twice: {report:?}"
        );
    }
    anyhow::ensure!(
        heard == expected_conflicts,
        "heard {heard:?}, want {expected_conflicts:?}"
    );
    anyhow::ensure!(report.conflicts.len() == expected_conflicts.len());
    Ok(())
}

fn create(name: &str) -> Call {
    Call::post("/v1/workspaces").json(json!({ "name": name }))
}

/// Submits and checks the queue's choice: sent only when the server is up and nothing
/// waits before it.
async fn submit(queue: &OfflineQueue, call: Call, running: bool) -> anyhow::Result<()> {
    let waiting = queue.len().await?;
    let submitted = queue.submit(call).await?;
    match submitted {
        Submitted::Sent(_) => anyhow::ensure!(running && waiting == 0, "sent past the queue"),
        Submitted::Queued { .. } => anyhow::ensure!(!running || waiting > 0, "queued needlessly"),
    }
    Ok(())
}

fn property_on(backend: Backend) -> anyhow::Result<()> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?;
    let Some(world) = runtime.block_on(async {
        let Some(server) = spawn_server_on(backend).await? else {
            return anyhow::Ok(None);
        };
        let client = KiroClient::connect(quick(&server.base_url)).await?;
        client.authenticate(admin(&server)).await?;
        let other = KiroClient::connect(quick(&server.base_url)).await?;
        other.authenticate(admin(&server)).await?;
        Ok(Some(World {
            server,
            client,
            other,
            dir: tempfile::tempdir()?,
        }))
    })?
    else {
        eprintln!("skipped on PostgreSQL: KIRO_TEST_DATABASE_URL is not set");
        return Ok(());
    };
    let config = ProptestConfig {
        cases: 100,
        max_shrink_iters: 64,
        ..ProptestConfig::default()
    };
    let mut runner = TestRunner::new(config);
    let world = std::cell::RefCell::new(world);
    let number = std::cell::Cell::new(0);
    let result = runner.run(&case(), |case| {
        number.set(number.get() + 1);
        let mut world = world.borrow_mut();
        runtime
            .block_on(async {
                let case = run_case(&mut world, number.get(), &case);
                tokio::time::timeout(Duration::from_secs(20), case).await
            })
            .map_err(|_| TestCaseError::fail("case timed out"))?
            .map_err(|e| TestCaseError::fail(format!("{e:#}")))
    });
    // A failed case may leave the server halted; it is dropped with the runtime.
    result.map_err(|e| anyhow::anyhow!("{backend:?}: {e}"))
}

#[test]
fn property_8_error_resilience_and_recovery_sqlite() -> anyhow::Result<()> {
    property_on(Backend::Sqlite)
}

#[test]
fn property_8_error_resilience_and_recovery_postgres() -> anyhow::Result<()> {
    property_on(Backend::Postgres)
}
