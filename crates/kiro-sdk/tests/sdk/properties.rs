//! The design's correctness properties 1, 6 and 9, each over 100 generated cases against real
//! servers: one runtime and one server per backend, shared by the cases of a property.

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use kiro_sdk::health::{CORE, DEGRADED_ERROR_RATE, DOWN_AFTER_FAILURES};
use kiro_sdk::kiro_types::workspace::WorkspaceOut;
use kiro_sdk::{
    Availability, Call, ConnectionStatus, EventStream, KiroClient, KiroError, RetryPolicy, Source,
};
use kiro_testkit::{Backend, TestServer, spawn_server_on};
use proptest::prelude::*;
use proptest::test_runner::{Config as ProptestConfig, TestCaseError, TestRunner};

use crate::faults::{Faulty, drop_connections, hang, refused_url};
use crate::{
    await_status, create_workspace, fast_config, next_event, ready, rename_workspace, signed_in,
};

fn runtime() -> anyhow::Result<tokio::runtime::Runtime> {
    Ok(tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?)
}

fn config(cases: u32) -> ProptestConfig {
    ProptestConfig {
        cases,
        ..ProptestConfig::default()
    }
}

fn fail(e: anyhow::Error) -> TestCaseError {
    TestCaseError::fail(format!("{e:#}"))
}

/// Runs `property` on a server of each backend (PostgreSQL when configured).
fn on_both_backends(
    property: impl Fn(&tokio::runtime::Runtime, TestServer) -> anyhow::Result<()>,
) -> anyhow::Result<()> {
    for backend in [Backend::Sqlite, Backend::Postgres] {
        let rt = runtime()?;
        match rt.block_on(spawn_server_on(backend))? {
            Some(server) => {
                property(&rt, server).map_err(|e| anyhow::anyhow!("{backend:?}: {e:#}"))?
            }
            None => eprintln!("skipped on PostgreSQL: KIRO_TEST_DATABASE_URL is not set"),
        }
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------
// Property 1: connection resilience.

#[derive(Debug, Clone, Copy)]
enum Fault {
    Refuse,
    Hang,
    Drop,
    Halt,
}

fn fault() -> impl Strategy<Value = Fault> {
    prop_oneof![
        Just(Fault::Refuse),
        Just(Fault::Hang),
        Just(Fault::Drop),
        Just(Fault::Halt)
    ]
}

/// A client for a faulty endpoint: a short timeout, two attempts.
fn faulty_client(url: &str) -> Result<KiroClient, KiroError> {
    let mut config = fast_config(url);
    config.timeout = Duration::from_millis(200);
    config.retry = RetryPolicy {
        max_attempts: 2,
        base_delay: Duration::from_millis(5),
        max_delay: Duration::from_millis(20),
        budget: 10,
    };
    KiroClient::new(config)
}

/// The longest a faulty client may take: every attempt's timeout and every backoff, plus
/// scheduling slack.
const FAULT_BOUND: Duration = Duration::from_secs(5);

struct Resilience {
    server: TestServer,
    client: KiroClient,
    events: EventStream,
    workspace: String,
    last_event: i64,
    renames: u64,
    hang: Faulty,
    drop: Faulty,
}

async fn against_fault(url: &str) -> anyhow::Result<()> {
    let client = faulty_client(url)?;
    let started = Instant::now();
    let result = tokio::time::timeout(FAULT_BOUND, client.health()).await;
    let elapsed = started.elapsed();
    match result {
        Err(_) => anyhow::bail!("{url}: no answer within {FAULT_BOUND:?}"),
        Ok(Ok(_)) => anyhow::bail!("{url}: a faulty endpoint answered"),
        Ok(Err(KiroError::Connection(_) | KiroError::Timeout)) => {}
        Ok(Err(other)) => anyhow::bail!("{url}: expected Connection or Timeout, got {other:?}"),
    }
    anyhow::ensure!(client.connection_status() == ConnectionStatus::Offline);
    anyhow::ensure!(client.attempts() == 2, "{} attempts", client.attempts());
    anyhow::ensure!(elapsed < FAULT_BOUND);
    Ok(())
}

impl Resilience {
    async fn run(&mut self, faults: &[Fault]) -> anyhow::Result<()> {
        for fault in faults {
            match fault {
                Fault::Refuse => against_fault(&refused_url()?).await?,
                Fault::Hang => against_fault(&self.hang.url()).await?,
                Fault::Drop => against_fault(&self.drop.url()).await?,
                Fault::Halt => {
                    self.server.halt().await?;
                    let result = self.client.me().await;
                    let status = self.client.connection_status();
                    // Back before judging, so one failed case does not leave the server down.
                    self.server.resume().await?;
                    match result {
                        Err(KiroError::Connection(_) | KiroError::Timeout) => {}
                        other => anyhow::bail!("against a halted server: {other:?}"),
                    }
                    anyhow::ensure!(status == ConnectionStatus::Offline, "status {status}");
                }
            }
        }
        // The server is back (or never left): the client answers and is connected again…
        self.client.me().await?;
        await_status(&self.client, ConnectionStatus::Connected).await?;
        // …and the subscription resumes: the next change arrives, once, in order.
        self.renames += 1;
        let name = format!("rename {}", self.renames);
        rename_workspace(&self.client, &self.workspace, &name).await?;
        let event = next_event(&mut self.events).await?;
        anyhow::ensure!(
            event.id > self.last_event,
            "event {} after {}",
            event.id,
            self.last_event
        );
        anyhow::ensure!(
            event.data["name"] == name.as_str(),
            "got {event:?}, wanted {name}"
        );
        self.last_event = event.id;
        Ok(())
    }
}

#[test]
fn property_1_connection_resilience() -> anyhow::Result<()> {
    on_both_backends(|rt, server| {
        let state = rt.block_on(async {
            let client = signed_in(&server).await?;
            let workspace = create_workspace(&client, "resilient").await?.id.to_string();
            let mut events = client.subscribe([format!("tenancy.workspace.{workspace}")])?;
            ready(&mut events).await?;
            anyhow::Ok(Resilience {
                server,
                client,
                events,
                workspace,
                last_event: 0,
                renames: 0,
                hang: hang().await?,
                drop: drop_connections().await?,
            })
        })?;
        let state = RefCell::new(state);
        let mut runner = TestRunner::new(config(100));
        runner
            .run(&proptest::collection::vec(fault(), 0..4), |faults| {
                rt.block_on(state.borrow_mut().run(&faults)).map_err(fail)
            })
            .map_err(|e| anyhow::anyhow!("{e}"))
    })
}

// ---------------------------------------------------------------------------------------
// Property 6: health monitoring accuracy.

#[derive(Debug, Clone)]
enum Op {
    /// `GET /v1/auth/me`: a core success.
    Me,
    /// `GET /v1/workspaces/<unknown>`: a 404, which is a core success.
    Missing,
    /// `GET /v1/<service>/things`: not built yet, a 404 from the service's prefix.
    Service(&'static str),
    /// The server halted for these requests: each fails, unreachable.
    Halted(Vec<&'static str>),
    /// One round of the health monitor: two core successes and the server's statuses.
    Poll,
}

fn service() -> impl Strategy<Value = &'static str> {
    prop::sample::select(vec![CORE, "prototyping", "workflow", "assessment"])
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        3 => Just(Op::Me),
        2 => Just(Op::Missing),
        3 => service().prop_map(Op::Service),
        2 => proptest::collection::vec(service(), 1..5).prop_map(Op::Halted),
        1 => Just(Op::Poll),
    ]
}

fn path_of(service: &str) -> String {
    if service == CORE {
        "/v1/auth/me".to_owned()
    } else {
        format!("/v1/{service}/things")
    }
}

/// What the client should report: the rules of `kiro_sdk::health`, restated.
#[derive(Default)]
struct Model {
    outcomes: BTreeMap<&'static str, Vec<bool>>,
    reported_down: bool,
    reachable: Option<bool>,
    window: usize,
    /// The services discovery reports as not offered: a health poll marks them down.
    unavailable: Vec<String>,
}

impl Model {
    fn record(&mut self, service: &'static str, failed: bool) {
        self.outcomes.entry(service).or_default().push(failed);
        self.reachable = Some(!failed);
    }

    fn consecutive(outcomes: &[bool]) -> u32 {
        outcomes.iter().rev().take_while(|f| **f).count() as u32
    }

    fn down(&self, service: &str) -> bool {
        let outcomes = self
            .outcomes
            .get(service)
            .map(Vec::as_slice)
            .unwrap_or_default();
        (self.reported_down && self.unavailable.iter().any(|u| u == service))
            || Self::consecutive(outcomes) >= DOWN_AFTER_FAILURES
    }

    fn check(&self, client: &KiroClient) -> anyhow::Result<()> {
        let report = client.health_status();
        anyhow::ensure!(
            report.reachable == self.reachable,
            "reachable {:?}",
            report.reachable
        );
        for name in [CORE, "prototyping", "workflow", "assessment"] {
            let outcomes = self
                .outcomes
                .get(name)
                .map(Vec::as_slice)
                .unwrap_or_default();
            let got = report
                .service(name)
                .ok_or_else(|| anyhow::anyhow!("no {name}"))?;
            let window = &outcomes[outcomes.len().saturating_sub(self.window)..];
            let window_failures = window.iter().filter(|f| **f).count();
            let rate = if window.is_empty() {
                0.0
            } else {
                window_failures as f64 / window.len() as f64
            };
            let availability = if self.down(name) || self.reachable == Some(false) {
                Availability::Down
            } else if window.last() == Some(&true) || rate >= DEGRADED_ERROR_RATE {
                Availability::Degraded
            } else {
                Availability::Up
            };
            let failures = outcomes.iter().filter(|f| **f).count() as u64;
            anyhow::ensure!(
                (
                    got.requests,
                    got.failures,
                    got.window_requests,
                    got.window_failures
                ) == (
                    outcomes.len() as u64,
                    failures,
                    window.len(),
                    window_failures
                ),
                "{name}: counts {got:?}, outcomes {outcomes:?}"
            );
            anyhow::ensure!(
                got.error_rate == rate,
                "{name}: rate {} vs {rate}",
                got.error_rate
            );
            anyhow::ensure!(
                got.consecutive_failures == Self::consecutive(outcomes),
                "{name}: consecutive"
            );
            anyhow::ensure!(
                got.availability == availability,
                "{name}: {:?} vs {availability:?}",
                got.availability
            );
            let answered = window.iter().any(|f| !f);
            anyhow::ensure!(
                got.mean_latency.is_some() == answered,
                "{name}: mean latency"
            );
            anyhow::ensure!(got.p95_latency.is_some() == answered, "{name}: p95 latency");
            anyhow::ensure!(
                got.p95_latency >= got.mean_latency || window.len() > 20,
                "{name}: p95 < mean"
            );
            anyhow::ensure!(
                got.last_error.is_some() == (failures > 0),
                "{name}: last error"
            );
        }
        // Services the server does not offer are down, but only failing requests degrade
        // the connection.
        let any_down = [CORE, "prototyping", "workflow", "assessment"]
            .iter()
            .any(|s| {
                let outcomes = self.outcomes.get(s).map(Vec::as_slice).unwrap_or_default();
                Self::consecutive(outcomes) >= DOWN_AFTER_FAILURES
            });
        let status = match self.reachable {
            Some(false) | None => ConnectionStatus::Offline,
            Some(true) if any_down => ConnectionStatus::Degraded,
            Some(true) => ConnectionStatus::Connected,
        };
        anyhow::ensure!(
            client.connection_status() == status,
            "status {}",
            client.connection_status()
        );
        Ok(())
    }
}

async fn health_case(server: &mut TestServer, token: &str, ops: &[Op]) -> anyhow::Result<()> {
    let mut config = fast_config(&server.base_url);
    config.retry.max_attempts = 1;
    config.health_window = 6;
    let client = KiroClient::new(config)?;
    client
        .authenticate(kiro_sdk::Credentials::ApiKey(token.to_owned()))
        .await?;
    // Read by a client of its own, so the one under test records no extra request.
    let unavailable = KiroClient::connect(fast_config(&server.base_url))
        .await?
        .services()
        .into_iter()
        .filter(|s| s.status != kiro_sdk::kiro_types::discovery::ServiceStatus::Available)
        .map(|s| s.name)
        .collect();
    let mut model = Model {
        window: 6,
        unavailable,
        ..Model::default()
    };
    for op in ops {
        match op {
            Op::Me => {
                let started = Instant::now();
                client.me().await?;
                let elapsed = started.elapsed();
                model.record(CORE, false);
                let last = client
                    .health_status()
                    .service(CORE)
                    .and_then(|c| c.last_latency);
                anyhow::ensure!(
                    last.is_some_and(|l| l <= elapsed),
                    "latency {last:?} > {elapsed:?}"
                );
            }
            Op::Missing => {
                let missing = client
                    .call(Call::get(
                        "/v1/workspaces/0190a000-0000-7000-8000-000000000000",
                    ))
                    .await;
                anyhow::ensure!(missing.err().and_then(|e| e.status()) == Some(404));
                model.record(CORE, false);
            }
            Op::Service(name) => {
                let _ = client.call(Call::get(path_of(name))).await;
                model.record(name, false);
            }
            Op::Halted(names) => {
                server.halt().await?;
                let mut unexpected = None;
                for name in names {
                    let result = client.call(Call::get(path_of(name))).await;
                    if !matches!(result, Err(KiroError::Connection(_))) {
                        unexpected.get_or_insert(format!("{result:?}"));
                    }
                    model.record(name, true);
                }
                // Back before judging, so one failed case does not leave the server down.
                server.resume().await?;
                if let Some(result) = unexpected {
                    anyhow::bail!("against a halted server: {result}");
                }
            }
            Op::Poll => {
                client.poll_health().await?;
                model.record(CORE, false);
                model.record(CORE, false);
                model.reported_down = true;
            }
        }
        model.check(&client)?;
    }
    Ok(())
}

#[test]
fn property_6_health_monitoring_accuracy() -> anyhow::Result<()> {
    on_both_backends(|rt, server| {
        let token = rt.block_on(async {
            let client = signed_in(&server).await?;
            let key: kiro_sdk::kiro_types::auth::ApiKeyCreatedOut = client
                .request(
                    kiro_sdk::Method::POST,
                    "/v1/auth/api-keys",
                    Some(serde_json::json!({"name": "p6"})),
                )
                .await?;
            anyhow::Ok(key.secret)
        })?;
        let server = RefCell::new(server);
        let mut runner = TestRunner::new(config(100));
        runner
            .run(&proptest::collection::vec(op(), 1..12), |ops| {
                rt.block_on(health_case(&mut server.borrow_mut(), &token, &ops))
                    .map_err(fail)
            })
            .map_err(|e| anyhow::anyhow!("{e}"))
    })
}

// ---------------------------------------------------------------------------------------
// Property 9: performance optimisation.

struct Perf {
    reader: KiroClient,
    writer: KiroClient,
    events: EventStream,
    /// The workspace renamed in every case, made before the subscription.
    workspace: String,
    renames: u64,
}

async fn perf_case(perf: &mut Perf, batch: usize, gets: usize) -> anyhow::Result<()> {
    let path = format!("/v1/workspaces/{}", perf.workspace);
    let Perf {
        reader,
        writer,
        events,
        ..
    } = perf;

    // N calls in a batch: one round trip.
    let attempts = reader.attempts();
    let results = reader.batch(vec![Call::get(&path); batch]).await?;
    anyhow::ensure!(
        reader.attempts() - attempts == 1,
        "{} round trips",
        reader.attempts() - attempts
    );
    anyhow::ensure!(results.len() == batch && results.iter().all(Result::is_ok));

    // Repeated GETs of an unchanged resource: at most one full answer (none when the last
    // case left it cached), then 304s reusing the cached body.
    let before = reader.cache_stats();
    let attempts = reader.attempts();
    let mut full = 0;
    for n in 0..gets {
        let fetched = reader.get::<WorkspaceOut>(&path).await?;
        match fetched.source {
            Source::Network if n == 0 => full += 1,
            Source::Revalidated => {}
            other => anyhow::bail!("GET {n}: {other:?}"),
        }
    }
    let after = reader.cache_stats();
    anyhow::ensure!(reader.attempts() - attempts == gets as u64);
    anyhow::ensure!(after.revalidated - before.revalidated == gets as u64 - full);
    anyhow::ensure!(after.hits - before.hits == gets as u64 - full);

    // A change made elsewhere reaches the reader as an event, which drops its entry.
    perf.renames += 1;
    let name = format!("renamed {}", perf.renames);
    rename_workspace(writer, &perf.workspace, &name).await?;
    let event = next_event(events).await?;
    anyhow::ensure!(event.resource_id == perf.workspace);
    anyhow::ensure!(reader.cache_stats().invalidated > after.invalidated);
    let fresh = reader.get::<WorkspaceOut>(&path).await?;
    anyhow::ensure!(fresh.source == Source::Network && fresh.value.name == name);
    Ok(())
}

#[test]
fn property_9_performance_optimisation() -> anyhow::Result<()> {
    on_both_backends(|rt, server| {
        let perf = rt.block_on(async {
            let reader = signed_in(&server).await?;
            let writer = signed_in(&server).await?;
            let workspace = create_workspace(&writer, "fast").await?.id.to_string();
            let mut events = reader.subscribe([format!("tenancy.workspace.{workspace}")])?;
            ready(&mut events).await?;
            anyhow::Ok(Perf {
                reader,
                writer,
                events,
                workspace,
                renames: 0,
            })
        })?;
        let perf = RefCell::new(perf);
        let mut runner = TestRunner::new(config(100));
        let result = runner
            .run(&(1usize..=40, 2usize..=5), |(batch, gets)| {
                rt.block_on(perf_case(&mut perf.borrow_mut(), batch, gets))
                    .map_err(fail)
            })
            .map_err(|e| anyhow::anyhow!("{e}"));
        drop(server);
        result
    })
}
