//! The planning service's refusals, each with its code and nothing written (no event, the
//! resource unchanged): dependency cycles (named), self and repeated dependencies, dates out
//! of order, negative allocations (over a full day is allowed and flagged), deleting a task
//! others depend on (then cascading), unknown assignees, stale `If-Match`, and references
//! into another workspace.

use kiro_sdk::kiro_types::planning::{AllocationIn, ConstraintPolicy, ProjectPatch, TaskPatch};
use kiro_testkit::{TestServer, on_both_backends};

use crate::planning::{after, code, day, details, head, my_id, project_in, task_in};
use crate::{create_workspace, signed_in};

async fn dependency_refusals_name_the_problem(server: TestServer) -> anyhow::Result<()> {
    let client = signed_in(&server).await?;
    let planning = client.planning();
    let project = planning
        .create_project(&project_in("Deps", ConstraintPolicy::Allow))
        .await?;
    let a = planning
        .create_task(&project.id, &task_in("a", 2, 3))
        .await?;
    let b = planning
        .create_task(&project.id, &task_in("b", 4, 5))
        .await?;
    let c = planning
        .create_task(&project.id, &task_in("c", 6, 7))
        .await?;
    planning.add_dependency(&b.id, &after(&a.id)).await?;
    planning.add_dependency(&c.id, &after(&b.id)).await?;
    let before = head(&client).await?;

    // a after c closes a → b → c → a.
    let cycle = planning.add_dependency(&a.id, &after(&c.id)).await;
    let named = details(cycle.clone());
    assert_eq!(code(cycle)?, "planning.dependency.cycle");
    let ids: Vec<&str> = named["cycle"]
        .as_array()
        .map(|c| c.iter().filter_map(|v| v.as_str()).collect())
        .unwrap_or_default();
    assert_eq!(
        ids,
        [c.id.as_str(), a.id.as_str(), b.id.as_str(), c.id.as_str()]
    );
    let self_dep = planning.add_dependency(&a.id, &after(&a.id)).await;
    assert_eq!(code(self_dep)?, "planning.dependency.self");
    let twice = planning.add_dependency(&b.id, &after(&a.id)).await;
    assert_eq!(code(twice)?, "planning.dependency.exists");
    assert_eq!(head(&client).await?, before, "a refusal wrote an event");
    assert!(planning.get_task(&a.id).await?.dependencies.is_empty());
    assert_eq!(
        planning.get_task(&b.id).await?.dependencies,
        vec![a.id.clone()]
    );

    // A task others depend on is kept unless the delete cascades.
    let refused = planning.delete_task(&a.id, false).await;
    assert_eq!(code(refused)?, "planning.task.has_dependants");
    assert_eq!(head(&client).await?, before);
    assert_eq!(planning.get_task(&a.id).await?, a);
    planning.delete_task(&a.id, true).await?;
    assert!(planning.get_task(&b.id).await?.dependencies.is_empty());
    let missing = planning.remove_dependency(&a.id, &b.id).await;
    assert_eq!(code(missing)?, "planning.task.not_found");
    let missing = planning.remove_dependency(&c.id, &a.id).await;
    assert_eq!(code(missing)?, "planning.dependency.not_found");
    Ok(())
}

async fn bad_inputs_are_refused_and_nothing_is_written(server: TestServer) -> anyhow::Result<()> {
    let client = signed_in(&server).await?;
    let planning = client.planning();
    let me = my_id(&client).await?;
    let project = planning
        .create_project(&project_in("Inputs", ConstraintPolicy::Allow))
        .await?;
    let task = planning
        .create_task(&project.id, &task_in("t", 2, 3))
        .await?;
    let before = head(&client).await?;

    // Dates out of order.
    let backwards = planning.create_task(&project.id, &task_in("x", 5, 4)).await;
    assert_eq!(code(backwards)?, "planning.task.dates_invalid");
    let patch = TaskPatch {
        end_date: Some(Some(day(1))),
        ..TaskPatch::default()
    };
    let backwards = planning.update_task(&task.id, &patch, None).await;
    assert_eq!(code(backwards)?, "planning.task.dates_invalid");
    let mut dated = project_in("Backwards", ConstraintPolicy::Allow);
    dated.end_date = Some(day(1));
    assert_eq!(
        code(planning.create_project(&dated).await)?,
        "planning.project.dates_invalid"
    );

    // Assignees must be workspace members.
    let mut stranger = task_in("y", 2, 3);
    stranger.assignee = Some(uuid::Uuid::now_v7().to_string());
    let refused = planning.create_task(&project.id, &stranger).await;
    assert_eq!(code(refused)?, "planning.assignee.unknown");
    let patch = TaskPatch {
        assignee: Some(Some("nobody".into())),
        ..TaskPatch::default()
    };
    let refused = planning.update_task(&task.id, &patch, None).await;
    assert_eq!(code(refused)?, "planning.assignee.unknown");

    // A stale version.
    let patch = TaskPatch {
        title: Some("renamed".into()),
        ..TaskPatch::default()
    };
    let stale = planning.update_task(&task.id, &patch, Some(7)).await;
    assert_eq!(code(stale)?, "resource.conflict");
    let rename = ProjectPatch {
        name: Some("renamed".into()),
        ..ProjectPatch::default()
    };
    let stale = planning.update_project(&project.id, &rename, Some(9)).await;
    assert_eq!(code(stale)?, "resource.conflict");

    // A negative allocation.
    let mut booking = AllocationIn {
        resource: me.clone(),
        task_id: None,
        start_date: day(2),
        end_date: day(3),
        hours_per_day: Some(-1.0),
        percent: None,
    };
    let negative = planning.allocate_resource(&project.id, &booking).await;
    assert_eq!(code(negative)?, "planning.allocation.negative");
    booking.hours_per_day = None;
    booking.percent = Some(-10.0);
    let negative = planning.allocate_resource(&project.id, &booking).await;
    assert_eq!(code(negative)?, "planning.allocation.negative");
    booking.end_date = day(1);
    booking.percent = Some(10.0);
    let backwards = planning.allocate_resource(&project.id, &booking).await;
    assert_eq!(code(backwards)?, "planning.allocation.dates_invalid");

    assert_eq!(head(&client).await?, before, "a refusal wrote an event");
    assert_eq!(planning.get_task(&task.id).await?, task);
    assert_eq!(planning.get_project(&project.id).await?, project);
    assert!(planning.list_allocations(&project.id).await?.is_empty());
    let tasks = planning
        .list_tasks(&project.id, &Default::default())
        .await?;
    assert_eq!(tasks.items, vec![task]);

    // Over a full day is allowed, and flagged.
    booking.end_date = day(3);
    booking.percent = Some(150.0);
    planning.allocate_resource(&project.id, &booking).await?;
    let used = planning.workspace_utilization(day(1), day(31)).await?;
    let days = &used.resources[0].days;
    assert_eq!(days.len(), 2);
    assert!(days.iter().all(|d| d.over_allocated && d.hours == 12.0));
    assert_eq!(used.resources[0].over_allocated_days, 2);
    let backwards = planning.workspace_utilization(day(3), day(1)).await;
    assert_eq!(code(backwards)?, "validation.failed");
    Ok(())
}

async fn other_workspaces_are_not_found(server: TestServer) -> anyhow::Result<()> {
    let client = signed_in(&server).await?;
    let planning = client.planning();
    let home = planning
        .create_project(&project_in("Home", ConstraintPolicy::Allow))
        .await?;
    let mine = planning
        .create_task(&home.id, &task_in("mine", 2, 3))
        .await?;
    let other = create_workspace(&client, "Elsewhere").await?;
    let home_ws = client.workspace();
    client.use_workspace(Some(other.id.to_string()));
    let away = planning
        .create_project(&project_in("Away", ConstraintPolicy::Allow))
        .await?;
    let theirs = planning
        .create_task(&away.id, &task_in("theirs", 2, 3))
        .await?;
    client.use_workspace(home_ws);
    let before = head(&client).await?;

    let linked = planning.add_dependency(&mine.id, &after(&theirs.id)).await;
    assert_eq!(code(linked)?, "planning.task.not_found");
    assert_eq!(
        code(planning.get_task(&theirs.id).await)?,
        "planning.task.not_found"
    );
    assert_eq!(
        code(planning.get_project(&away.id).await)?,
        "planning.project.not_found"
    );
    let inside = planning.create_task(&away.id, &task_in("x", 2, 3)).await;
    assert_eq!(code(inside)?, "planning.project.not_found");
    assert_eq!(head(&client).await?, before);
    assert!(planning.get_task(&mine.id).await?.dependencies.is_empty());

    // Across projects of one workspace is allowed.
    let second = planning
        .create_project(&project_in("Second", ConstraintPolicy::Allow))
        .await?;
    let there = planning
        .create_task(&second.id, &task_in("there", 4, 5))
        .await?;
    planning.add_dependency(&there.id, &after(&mine.id)).await?;
    assert_eq!(
        planning.get_task(&there.id).await?.dependencies,
        vec![mine.id]
    );
    Ok(())
}

on_both_backends!(
    dependency_refusals_name_the_problem,
    bad_inputs_are_refused_and_nothing_is_written,
    other_workspaces_are_not_found,
);
