//! The planning store: projects and tasks round-trip, task filters, dependencies refused
//! when they would close a cycle (with nothing written), deletes refused while dependants
//! remain, guarded updates, milestones' task links and allocations by date range.

use chrono::NaiveDate;
use kiro_core::StoreError;
use kiro_core::planning::{PlanningStore, TaskFilter};
use kiro_store::SqlStore;
use kiro_types::WorkspaceId;
use kiro_types::planning::{
    ConstraintPolicy, Dependency, DependencyKind, Milestone, Project, ProjectStatus,
    ResourceAllocation, Task, TaskPriority, TaskStatus,
};

use crate::{at, ev, everything, stored_user};

store_tests!(
    tasks_round_trip_and_filter_by_status_assignee_tag_and_dates,
    a_dependency_closing_a_cycle_is_refused_and_nothing_is_written,
    a_task_with_dependants_is_deleted_only_with_cascade,
    a_stale_version_is_refused_and_a_missing_row_is_not_found,
    milestones_link_tasks_and_allocations_list_by_range,
);

fn day(d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 3, d).unwrap_or_default()
}

fn project(n: i64) -> Project {
    Project {
        id: uuid::Uuid::now_v7().to_string(),
        name: format!("project {n}"),
        description: String::new(),
        status: ProjectStatus::Active,
        start_date: Some(day(1)),
        end_date: None,
        owner: "owner".into(),
        team: Vec::new(),
        constraint_policy: ConstraintPolicy::Allow,
        created_at: at(n),
        updated_at: at(n),
        version: 1,
    }
}

fn task(project: &Project, n: i64, assignee: &str, tags: &[&str], start: u32) -> Task {
    Task {
        id: uuid::Uuid::now_v7().to_string(),
        project_id: project.id.clone(),
        title: format!("task {n}"),
        description: String::new(),
        status: TaskStatus::Todo,
        priority: TaskPriority::Medium,
        assignee: Some(assignee.to_owned()),
        estimated_hours: 8.0,
        actual_hours: 0.0,
        dependencies: Vec::new(),
        tags: tags.iter().map(|t| (*t).to_owned()).collect(),
        start_date: Some(day(start)),
        end_date: Some(day(start + 1)),
        created_at: at(n),
        updated_at: at(n),
        version: 1,
    }
}

fn dep(from: &Task, to: &Task) -> Dependency {
    Dependency {
        id: uuid::Uuid::now_v7().to_string(),
        predecessor_id: from.id.clone(),
        successor_id: to.id.clone(),
        kind: DependencyKind::FinishToStart,
        lag_days: 0,
        created_at: at(100),
    }
}

async fn setup(store: &SqlStore) -> anyhow::Result<(WorkspaceId, Project)> {
    let (_, ws) = stored_user(store, "planner@example.com").await?;
    let p = project(1);
    store.insert_project(ws.id, &p, &ev()).await?;
    Ok((ws.id, p))
}

async fn tasks_round_trip_and_filter_by_status_assignee_tag_and_dates(
    store: SqlStore,
) -> anyhow::Result<()> {
    let (ws, p) = setup(&store).await?;
    let a = task(&p, 1, "ann", &["ui", "50%_off"], 1);
    let b = task(&p, 2, "bob", &["backend"], 10);
    store.insert_task(ws, &a, &ev()).await?;
    store.insert_task(ws, &b, &ev()).await?;
    assert_eq!(store.get_task(ws, &a.id).await?, a);
    assert_eq!(store.get_project(ws, &p.id).await?, p);
    let list = |f: TaskFilter| {
        let store = store.clone();
        async move {
            let page = store.list_tasks(ws, &f, &everything()).await?;
            anyhow::Ok(page.items.into_iter().map(|t| t.title).collect::<Vec<_>>())
        }
    };
    let all = TaskFilter {
        project_id: Some(p.id.clone()),
        ..TaskFilter::default()
    };
    assert_eq!(list(all.clone()).await?, ["task 1", "task 2"]);
    let by_tag = TaskFilter {
        tag: Some("50%_off".into()),
        ..all.clone()
    };
    assert_eq!(list(by_tag).await?, ["task 1"]);
    let wildcard = TaskFilter {
        tag: Some("%".into()),
        ..all.clone()
    };
    assert!(list(wildcard).await?.is_empty());
    let by_assignee = TaskFilter {
        assignee: Some("bob".into()),
        ..all.clone()
    };
    assert_eq!(list(by_assignee).await?, ["task 2"]);
    let range = TaskFilter {
        from: Some(day(5)),
        to: Some(day(20)),
        ..all.clone()
    };
    assert_eq!(list(range).await?, ["task 2"]);
    let done = TaskFilter {
        status: Some(TaskStatus::Done),
        ..all
    };
    assert!(list(done).await?.is_empty());
    Ok(())
}

async fn a_dependency_closing_a_cycle_is_refused_and_nothing_is_written(
    store: SqlStore,
) -> anyhow::Result<()> {
    let (ws, p) = setup(&store).await?;
    let (a, b, c) = (
        task(&p, 1, "x", &[], 1),
        task(&p, 2, "x", &[], 1),
        task(&p, 3, "x", &[], 1),
    );
    for t in [&a, &b, &c] {
        store.insert_task(ws, t, &ev()).await?;
    }
    assert_eq!(
        store.insert_dependency(ws, &dep(&a, &b), &ev()).await?,
        None
    );
    assert_eq!(
        store.insert_dependency(ws, &dep(&b, &c), &ev()).await?,
        None
    );
    let cycle = store.insert_dependency(ws, &dep(&c, &a), &ev()).await?;
    assert_eq!(
        cycle,
        Some(vec![c.id.clone(), a.id.clone(), b.id.clone(), c.id.clone()])
    );
    assert_eq!(store.project_dependencies(ws, &p.id).await?.len(), 2);
    assert_eq!(
        store.get_task(ws, &c.id).await?.dependencies,
        vec![b.id.clone()]
    );
    let again = store.insert_dependency(ws, &dep(&a, &b), &ev()).await;
    assert!(
        matches!(again, Err(StoreError::Conflict { .. })),
        "{again:?}"
    );
    Ok(())
}

async fn a_task_with_dependants_is_deleted_only_with_cascade(
    store: SqlStore,
) -> anyhow::Result<()> {
    let (ws, p) = setup(&store).await?;
    let (a, b) = (task(&p, 1, "x", &[], 1), task(&p, 2, "x", &[], 1));
    store.insert_task(ws, &a, &ev()).await?;
    store.insert_task(ws, &b, &ev()).await?;
    store.insert_dependency(ws, &dep(&a, &b), &ev()).await?;
    let refused = store.delete_task(ws, &a.id, false, &ev()).await;
    assert!(
        matches!(refused, Err(StoreError::Conflict { .. })),
        "{refused:?}"
    );
    assert!(store.get_task(ws, &a.id).await.is_ok());
    store.delete_task(ws, &a.id, true, &ev()).await?;
    assert!(matches!(
        store.get_task(ws, &a.id).await,
        Err(StoreError::NotFound)
    ));
    assert!(store.get_task(ws, &b.id).await?.dependencies.is_empty());
    store.delete_project(ws, &p.id, &ev()).await?;
    assert!(matches!(
        store.get_task(ws, &b.id).await,
        Err(StoreError::NotFound)
    ));
    Ok(())
}

async fn a_stale_version_is_refused_and_a_missing_row_is_not_found(
    store: SqlStore,
) -> anyhow::Result<()> {
    let (ws, p) = setup(&store).await?;
    let mut t = task(&p, 1, "x", &[], 1);
    store.insert_task(ws, &t, &ev()).await?;
    t.version = 2;
    t.status = TaskStatus::Done;
    store.update_task(ws, &t, 1, &ev()).await?;
    let stale = store.update_task(ws, &t, 1, &ev()).await;
    assert!(matches!(stale, Err(StoreError::Stale)), "{stale:?}");
    assert_eq!(store.get_task(ws, &t.id).await?.status, TaskStatus::Done);
    let other = stored_user(&store, "other@example.com").await?.1;
    let hidden = store.get_task(other.id, &t.id).await;
    assert!(matches!(hidden, Err(StoreError::NotFound)), "{hidden:?}");
    let mut q = p.clone();
    q.version = 2;
    let missing = store.update_project(other.id, &q, 1, &ev()).await;
    assert!(matches!(missing, Err(StoreError::NotFound)), "{missing:?}");
    Ok(())
}

async fn milestones_link_tasks_and_allocations_list_by_range(
    store: SqlStore,
) -> anyhow::Result<()> {
    let (ws, p) = setup(&store).await?;
    let t = task(&p, 1, "x", &[], 1);
    store.insert_task(ws, &t, &ev()).await?;
    let m = Milestone {
        id: uuid::Uuid::now_v7().to_string(),
        project_id: p.id.clone(),
        name: "beta".into(),
        description: String::new(),
        date: day(20),
        task_ids: vec![t.id.clone()],
        created_at: at(5),
        updated_at: at(5),
        version: 1,
    };
    store.insert_milestone(ws, &m, &ev()).await?;
    assert_eq!(store.get_milestone(ws, &m.id).await?, m);
    let gated = TaskFilter {
        milestone_id: Some(m.id.clone()),
        ..TaskFilter::default()
    };
    assert_eq!(
        store
            .list_tasks(ws, &gated, &everything())
            .await?
            .items
            .len(),
        1
    );
    let a = ResourceAllocation {
        id: uuid::Uuid::now_v7().to_string(),
        project_id: p.id.clone(),
        resource: "ann".into(),
        task_id: None,
        start_date: day(3),
        end_date: day(6),
        hours_per_day: 4.0,
        percent: 50.0,
        created_at: at(6),
        updated_at: at(6),
        version: 1,
    };
    store.insert_allocation(ws, &a, &ev()).await?;
    assert_eq!(
        store.list_allocations(ws, None, day(6), day(9)).await?,
        vec![a.clone()]
    );
    assert!(
        store
            .list_allocations(ws, Some(&p.id), day(7), day(9))
            .await?
            .is_empty()
    );
    store.delete_milestone(ws, &m.id, &ev()).await?;
    store.delete_allocation(ws, &a.id, &ev()).await?;
    assert!(matches!(
        store.get_allocation(ws, &a.id).await,
        Err(StoreError::NotFound)
    ));
    Ok(())
}
