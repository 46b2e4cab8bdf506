//! Moving a task into dates that break a dependency, under each constraint policy: `refuse`
//! answers 409 `planning.task.violates_dependency` listing the violations and writes
//! nothing; `reschedule` pushes every successor later (each with its own
//! `planning.task.updated` event, in one transaction) and still refuses a move that breaks
//! the task's own predecessors; `allow` stores the move and the schedule reports it.

use kiro_sdk::kiro_types::events::EventsPage;
use kiro_sdk::kiro_types::planning::{ConstraintPolicy, TaskPatch};
use kiro_sdk::{Call, KiroClient};
use kiro_testkit::{TestServer, on_both_backends};

use crate::planning::{after, code, day, details, head, project_in, task_in};
use crate::signed_in;

/// A move of a task to March `start`–`end`.
fn dates(start: u32, end: u32) -> TaskPatch {
    TaskPatch {
        start_date: Some(Some(day(start))),
        end_date: Some(Some(day(end))),
        ..TaskPatch::default()
    }
}

/// The planning events after `since`, as (type, resource id).
async fn events_after(client: &KiroClient, since: i64) -> anyhow::Result<Vec<(String, String)>> {
    let path = format!("/v1/events?topics=planning&since={since}&limit=100");
    let page: EventsPage = client.call(Call::get(path)).await?.json()?;
    Ok(page
        .items
        .into_iter()
        .map(|e| (e.event_type, e.resource_id))
        .collect())
}

async fn refuse_keeps_the_dates(server: TestServer) -> anyhow::Result<()> {
    let client = signed_in(&server).await?;
    let planning = client.planning();
    let project = planning
        .create_project(&project_in("Strict", ConstraintPolicy::Refuse))
        .await?;
    let a = planning
        .create_task(&project.id, &task_in("a", 2, 4))
        .await?;
    let b = planning
        .create_task(&project.id, &task_in("b", 5, 6))
        .await?;
    planning.add_dependency(&b.id, &after(&a.id)).await?;
    let before = head(&client).await?;

    let early = planning.update_task(&b.id, &dates(3, 4), Some(1)).await;
    let listed = details(early.clone());
    assert_eq!(code(early)?, "planning.task.violates_dependency");
    let violations = listed["violations"].as_array().cloned().unwrap_or_default();
    assert_eq!(violations.len(), 1);
    assert_eq!(violations[0]["successorId"], b.id.as_str());
    assert_eq!(violations[0]["daysLate"], 2);
    let late = planning.update_task(&a.id, &dates(4, 6), Some(1)).await;
    assert_eq!(code(late)?, "planning.task.violates_dependency");
    assert_eq!(head(&client).await?, before);
    assert_eq!(planning.get_task(&a.id).await?, a);
    assert_eq!(planning.get_task(&b.id).await?.start_date, Some(day(5)));

    // A move that keeps the dependency is stored.
    let moved = planning.update_task(&b.id, &dates(6, 7), Some(1)).await?;
    assert_eq!((moved.start_date, moved.version), (Some(day(6)), 2));
    Ok(())
}

async fn reschedule_pushes_the_successors(server: TestServer) -> anyhow::Result<()> {
    let client = signed_in(&server).await?;
    let planning = client.planning();
    let project = planning
        .create_project(&project_in("Flexible", ConstraintPolicy::Reschedule))
        .await?;
    let a = planning
        .create_task(&project.id, &task_in("a", 2, 4))
        .await?;
    let b = planning
        .create_task(&project.id, &task_in("b", 5, 6))
        .await?;
    let c = planning
        .create_task(&project.id, &task_in("c", 7, 7))
        .await?;
    let d = planning
        .create_task(&project.id, &task_in("d", 8, 9))
        .await?;
    planning.add_dependency(&b.id, &after(&a.id)).await?;
    planning.add_dependency(&c.id, &after(&b.id)).await?;
    let before = head(&client).await?;

    // b before a cannot be fixed by moving successors.
    let early = planning.update_task(&b.id, &dates(3, 4), Some(1)).await;
    assert_eq!(code(early)?, "planning.task.violates_dependency");
    assert_eq!(head(&client).await?, before);

    let moved = planning.update_task(&a.id, &dates(4, 6), Some(1)).await?;
    assert_eq!((moved.end_date, moved.version), (Some(day(6)), 2));
    let b2 = planning.get_task(&b.id).await?;
    let c2 = planning.get_task(&c.id).await?;
    assert_eq!(
        (b2.start_date, b2.end_date, b2.version),
        (Some(day(7)), Some(day(8)), 2)
    );
    assert_eq!(
        (c2.start_date, c2.end_date, c2.version),
        (Some(day(9)), Some(day(9)), 2)
    );
    assert_eq!(planning.get_task(&d.id).await?, d);
    let updated = "planning.task.updated".to_owned();
    assert_eq!(
        events_after(&client, before).await?,
        vec![
            (updated.clone(), a.id.clone()),
            (updated.clone(), b.id.clone()),
            (updated, c.id.clone()),
        ]
    );
    assert!(planning.schedule(&project.id).await?.violations.is_empty());
    Ok(())
}

async fn allow_stores_the_move_and_reports_it(server: TestServer) -> anyhow::Result<()> {
    let client = signed_in(&server).await?;
    let planning = client.planning();
    let project = planning
        .create_project(&project_in("Loose", ConstraintPolicy::Allow))
        .await?;
    let a = planning
        .create_task(&project.id, &task_in("a", 2, 4))
        .await?;
    let b = planning
        .create_task(&project.id, &task_in("b", 5, 6))
        .await?;
    planning.add_dependency(&b.id, &after(&a.id)).await?;

    planning.update_task(&b.id, &dates(3, 4), None).await?;

    let schedule = planning.schedule(&project.id).await?;
    assert_eq!(schedule.violations.len(), 1);
    assert_eq!(schedule.violations[0].predecessor_id, a.id);
    assert_eq!(
        planning
            .get_project_metrics(&project.id)
            .await?
            .dependency_violations,
        1
    );
    Ok(())
}

on_both_backends!(
    refuse_keeps_the_dates,
    reschedule_pushes_the_successors,
    allow_stores_the_move_and_reports_it,
);
