//! Planning events reach subscribers: for a generated sequence of planning mutations made
//! by one client, a second client subscribed to the `planning` topic receives, in order,
//! one event per mutation with the mutation's type and resource id. One server per backend
//! serves all 100 cases; each case plans in its own project.

use std::time::Duration;

use kiro_sdk::kiro_types::planning::{
    AllocationIn, AllocationPatch, ConstraintPolicy, MilestoneIn, MilestonePatch, ProjectPatch,
    TaskPatch,
};
use kiro_sdk::{EventStream, KiroClient, PlanningClient};
use kiro_testkit::{Backend, TestServer, spawn_server_on};
use proptest::prelude::*;
use proptest::test_runner::{Config as ProptestConfig, TestRunner};

use crate::planning::{after, day, project_in, task_in};
use crate::{admin, fast_config, next_event};

/// One mutation; indices pick among the case's live resources (modulo their count).
#[derive(Debug, Clone)]
enum Op {
    UpdateProject,
    CreateTask,
    UpdateTask(usize),
    DeleteTask(usize),
    /// Makes a newer task depend on an older one, so no cycle can form.
    AddDependency(usize, usize),
    RemoveDependency(usize),
    CreateMilestone,
    UpdateMilestone(usize),
    DeleteMilestone(usize),
    Allocate(u8),
    UpdateAllocation(usize),
    DeleteAllocation(usize),
}

fn op() -> impl Strategy<Value = Op> {
    let i = || 0usize..8;
    prop_oneof![
        1 => Just(Op::UpdateProject),
        4 => Just(Op::CreateTask),
        2 => i().prop_map(Op::UpdateTask),
        1 => i().prop_map(Op::DeleteTask),
        3 => (i(), i()).prop_map(|(a, b)| Op::AddDependency(a, b)),
        1 => i().prop_map(Op::RemoveDependency),
        1 => Just(Op::CreateMilestone),
        1 => i().prop_map(Op::UpdateMilestone),
        1 => i().prop_map(Op::DeleteMilestone),
        1 => (0u8..=200).prop_map(Op::Allocate),
        1 => i().prop_map(Op::UpdateAllocation),
        1 => i().prop_map(Op::DeleteAllocation),
    ]
}

/// The case's live resources, by id, oldest first.
#[derive(Default)]
struct Live {
    tasks: Vec<String>,
    dependencies: Vec<(String, String)>,
    milestones: Vec<String>,
    allocations: Vec<String>,
}

struct World {
    _server: TestServer,
    writer: KiroClient,
    _reader: KiroClient,
    events: EventStream,
}

/// Applies `op`, returning the (type, resource id) of each event it must emit; `None` when
/// it has nothing to act on.
async fn apply(
    planning: &PlanningClient,
    project: &str,
    live: &mut Live,
    op: &Op,
) -> anyhow::Result<Option<(&'static str, String)>> {
    let pick = |ids: &[String], i: usize| ids.get(i % ids.len().max(1)).cloned();
    Ok(match op {
        Op::UpdateProject => {
            let patch = ProjectPatch {
                description: Some("changed".into()),
                ..ProjectPatch::default()
            };
            planning.update_project(project, &patch, None).await?;
            Some(("planning.project.updated", project.to_owned()))
        }
        Op::CreateTask => {
            let task = planning.create_task(project, &task_in("t", 2, 3)).await?;
            live.tasks.push(task.id.clone());
            Some(("planning.task.created", task.id))
        }
        Op::UpdateTask(i) => match pick(&live.tasks, *i) {
            Some(id) => {
                let patch = TaskPatch {
                    actual_hours: Some(1.0),
                    ..TaskPatch::default()
                };
                planning.update_task(&id, &patch, None).await?;
                Some(("planning.task.updated", id))
            }
            None => None,
        },
        Op::DeleteTask(i) => match pick(&live.tasks, *i) {
            Some(id) => {
                planning.delete_task(&id, true).await?;
                live.tasks.retain(|t| *t != id);
                live.dependencies.retain(|(p, s)| *p != id && *s != id);
                Some(("planning.task.deleted", id))
            }
            None => None,
        },
        Op::AddDependency(a, b) => {
            let (a, b) = (a % live.tasks.len().max(1), b % live.tasks.len().max(1));
            let (older, newer) = (a.min(b), a.max(b));
            if older == newer {
                return Ok(None);
            }
            let (pred, succ) = (live.tasks[older].clone(), live.tasks[newer].clone());
            if live.dependencies.contains(&(pred.clone(), succ.clone())) {
                return Ok(None);
            }
            let dep = planning.add_dependency(&succ, &after(&pred)).await?;
            live.dependencies.push((pred, succ));
            Some(("planning.dependency.added", dep.id))
        }
        Op::RemoveDependency(i) => {
            if live.dependencies.is_empty() {
                return Ok(None);
            }
            let (pred, succ) = live.dependencies.remove(i % live.dependencies.len());
            let task = planning.get_task(&succ).await?;
            anyhow::ensure!(task.dependencies.contains(&pred), "dependency missing");
            planning.remove_dependency(&succ, &pred).await?;
            // The removal event names the dependency; read its id from the added event.
            Some(("planning.dependency.removed", format!("{pred}>{succ}")))
        }
        Op::CreateMilestone => {
            let gate = MilestoneIn {
                name: "m".into(),
                description: String::new(),
                date: day(20),
                task_ids: live.tasks.iter().take(2).cloned().collect(),
            };
            let m = planning.create_milestone(project, &gate).await?;
            live.milestones.push(m.id.clone());
            Some(("planning.milestone.created", m.id))
        }
        Op::UpdateMilestone(i) => match pick(&live.milestones, *i) {
            Some(id) => {
                let patch = MilestonePatch {
                    date: Some(day(21)),
                    ..MilestonePatch::default()
                };
                planning.update_milestone(&id, &patch, None).await?;
                Some(("planning.milestone.updated", id))
            }
            None => None,
        },
        Op::DeleteMilestone(i) => match pick(&live.milestones, *i) {
            Some(id) => {
                planning.delete_milestone(&id).await?;
                live.milestones.retain(|m| *m != id);
                Some(("planning.milestone.deleted", id))
            }
            None => None,
        },
        Op::Allocate(percent) => {
            let booking = AllocationIn {
                resource: "crane".into(),
                task_id: None,
                start_date: day(2),
                end_date: day(4),
                hours_per_day: None,
                percent: Some(f64::from(*percent)),
            };
            let a = planning.allocate_resource(project, &booking).await?;
            live.allocations.push(a.id.clone());
            Some(("planning.allocation.created", a.id))
        }
        Op::UpdateAllocation(i) => match pick(&live.allocations, *i) {
            Some(id) => {
                let patch = AllocationPatch {
                    hours_per_day: Some(2.0),
                    ..AllocationPatch::default()
                };
                planning.update_allocation(&id, &patch, None).await?;
                Some(("planning.allocation.updated", id))
            }
            None => None,
        },
        Op::DeleteAllocation(i) => match pick(&live.allocations, *i) {
            Some(id) => {
                planning.delete_allocation(&id).await?;
                live.allocations.retain(|a| *a != id);
                Some(("planning.allocation.deleted", id))
            }
            None => None,
        },
    })
}

async fn run_case(world: &mut World, ops: &[Op]) -> anyhow::Result<()> {
    let planning = world.writer.planning();
    let project = planning
        .create_project(&project_in("prop", ConstraintPolicy::Allow))
        .await?;
    let mut expected = vec![("planning.project.created", project.id.clone())];
    let mut live = Live::default();
    for op in ops {
        if let Some(event) = apply(&planning, &project.id, &mut live, op).await? {
            expected.push(event);
        }
    }
    planning.delete_project(&project.id).await?;
    expected.push(("planning.project.deleted", project.id.clone()));

    // Dependencies are named by their id, known from the added event.
    let mut dependency_ids: Vec<(String, String)> = Vec::new();
    for (kind, resource) in &expected {
        let event = next_event(&mut world.events).await?;
        anyhow::ensure!(
            event.event_type == *kind,
            "got {} for {kind}",
            event.event_type
        );
        anyhow::ensure!(
            event.topic.starts_with("planning."),
            "topic {}",
            event.topic
        );
        match *kind {
            "planning.dependency.added" => {
                let pair = format!(
                    "{}>{}",
                    event.data["predecessorId"].as_str().unwrap_or_default(),
                    event.data["successorId"].as_str().unwrap_or_default()
                );
                anyhow::ensure!(
                    event.resource_id == *resource,
                    "added {}",
                    event.resource_id
                );
                dependency_ids.push((pair, event.resource_id));
            }
            "planning.dependency.removed" => {
                let id = dependency_ids
                    .iter()
                    .rev()
                    .find(|(pair, _)| pair == resource)
                    .map(|(_, id)| id.clone());
                anyhow::ensure!(
                    id.as_deref() == Some(event.resource_id.as_str()),
                    "removed {} for {resource}",
                    event.resource_id
                );
            }
            _ => anyhow::ensure!(
                event.resource_id == *resource,
                "{kind}: {} for {resource}",
                event.resource_id
            ),
        }
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
        let writer = KiroClient::connect(fast_config(&server.base_url)).await?;
        writer.authenticate(admin(&server)).await?;
        let reader = KiroClient::connect(fast_config(&server.base_url)).await?;
        reader.authenticate(admin(&server)).await?;
        let mut events = reader.subscribe(["planning"])?;
        events.ready().await?;
        Ok(Some(World {
            _server: server,
            writer,
            _reader: reader,
            events,
        }))
    })?
    else {
        eprintln!("skipped on PostgreSQL: KIRO_TEST_DATABASE_URL is not set");
        return Ok(());
    };
    let config = ProptestConfig {
        cases: 100,
        max_shrink_iters: 32,
        ..ProptestConfig::default()
    };
    let mut runner = TestRunner::new(config);
    let world = std::cell::RefCell::new(world);
    let result = runner.run(&proptest::collection::vec(op(), 1..10), |ops| {
        let mut world = world.borrow_mut();
        runtime
            .block_on(async {
                tokio::time::timeout(Duration::from_secs(30), run_case(&mut world, &ops)).await
            })
            .map_err(|_| TestCaseError::fail("case timed out"))?
            .map_err(|e| TestCaseError::fail(format!("{e:#}")))
    });
    result.map_err(|e| anyhow::anyhow!("{backend:?}: {e}"))
}

#[test]
fn planning_mutations_reach_subscribers_in_order_sqlite() -> anyhow::Result<()> {
    property_on(Backend::Sqlite)
}

#[test]
fn planning_mutations_reach_subscribers_in_order_postgres() -> anyhow::Result<()> {
    property_on(Backend::Postgres)
}
