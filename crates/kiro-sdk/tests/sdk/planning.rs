//! The planning service through `client.planning()`: every operation of the design's
//! `KiroPlanningService` on one project (projects, tasks, dependencies, milestones,
//! allocations, utilisation, schedule, metrics, reports as JSON, Markdown and CSV), and the
//! helpers the other planning tests share.

use chrono::NaiveDate;
use kiro_sdk::kiro_types::events::EventsPage;
use kiro_sdk::kiro_types::planning::{
    AllocationIn, AllocationPatch, ConstraintPolicy, DependencyIn, MilestoneIn, MilestonePatch,
    ProjectIn, ProjectPatch, ProjectStatus, ReportType, TaskIn, TaskPatch, TeamMember,
};
use kiro_sdk::{Call, KiroClient, KiroError, ProjectQuery, ReportFormat, TaskQuery};
use kiro_testkit::{TestServer, on_both_backends};

use crate::signed_in;

/// 2026-03-`d`.
pub fn day(d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 3, d).unwrap_or_default()
}

/// A project named `name` under `policy`.
pub fn project_in(name: &str, policy: ConstraintPolicy) -> ProjectIn {
    ProjectIn {
        name: name.into(),
        description: String::new(),
        status: None,
        start_date: Some(day(2)),
        end_date: None,
        owner: None,
        team: Vec::new(),
        constraint_policy: Some(policy),
    }
}

/// A task from March `start` to March `end`.
pub fn task_in(title: &str, start: u32, end: u32) -> TaskIn {
    TaskIn {
        title: title.into(),
        description: String::new(),
        status: None,
        priority: None,
        assignee: None,
        estimated_hours: Some(8.0),
        actual_hours: None,
        tags: Vec::new(),
        start_date: Some(day(start)),
        end_date: Some(day(end)),
    }
}

/// `predecessor` finishes before the dependant starts.
pub fn after(predecessor: &str) -> DependencyIn {
    DependencyIn {
        predecessor_id: predecessor.into(),
        kind: Default::default(),
        lag_days: 0,
    }
}

/// The error code of a failed call.
pub fn code<T: std::fmt::Debug>(result: Result<T, KiroError>) -> anyhow::Result<String> {
    match result {
        Err(e) => e
            .code()
            .map(str::to_owned)
            .ok_or_else(|| anyhow::anyhow!("no error code in {e:?}")),
        Ok(v) => anyhow::bail!("expected a refusal, got {v:?}"),
    }
}

/// The details of a failed call's error body.
pub fn details<T>(result: Result<T, KiroError>) -> serde_json::Value {
    match result {
        Err(KiroError::Api(e)) => e.details.clone().unwrap_or_default(),
        _ => serde_json::Value::Null,
    }
}

/// The id of the newest stored event: unchanged by a refused request.
pub async fn head(client: &KiroClient) -> anyhow::Result<i64> {
    let page: EventsPage = client
        .call(Call::get("/v1/events?topics=planning&limit=1"))
        .await?
        .json()?;
    Ok(page.head)
}

/// The signed-in user's id.
pub async fn my_id(client: &KiroClient) -> anyhow::Result<String> {
    let me = client.me().await?;
    let user = me.user.ok_or_else(|| anyhow::anyhow!("no user"))?;
    Ok(user.id.to_string())
}

async fn every_operation_works_on_one_project(server: TestServer) -> anyhow::Result<()> {
    let client = signed_in(&server).await?;
    let planning = client.planning();
    let me = my_id(&client).await?;

    // Projects.
    let mut request = project_in("Launch", ConstraintPolicy::Allow);
    request.team = vec![TeamMember {
        user_id: me.clone(),
        role: "lead".into(),
    }];
    let project = planning.create_project(&request).await?;
    assert_eq!((project.owner.as_str(), project.version), (me.as_str(), 1));
    assert_eq!(planning.get_project(&project.id).await?, project);
    let patch = ProjectPatch {
        status: Some(ProjectStatus::Active),
        ..ProjectPatch::default()
    };
    let project = planning
        .update_project(&project.id, &patch, Some(1))
        .await?;
    assert_eq!(
        (project.status, project.version),
        (ProjectStatus::Active, 2)
    );
    let active = ProjectQuery {
        status: Some(ProjectStatus::Active),
        ..ProjectQuery::default()
    };
    let listed = planning.list_projects(&active).await?;
    assert_eq!(listed.items, vec![project.clone()]);

    // Tasks and dependencies: a → b → c.
    let mut first = task_in("design", 2, 4);
    first.assignee = Some(me.clone());
    first.tags = vec!["ux".into()];
    let a = planning.create_task(&project.id, &first).await?;
    let b = planning
        .create_task(&project.id, &task_in("build", 5, 6))
        .await?;
    let c = planning
        .create_task(&project.id, &task_in("ship", 7, 7))
        .await?;
    planning.add_dependency(&b.id, &after(&a.id)).await?;
    let dep = planning.add_dependency(&c.id, &after(&b.id)).await?;
    assert_eq!(
        (dep.predecessor_id.as_str(), dep.successor_id.as_str()),
        (b.id.as_str(), c.id.as_str())
    );
    assert_eq!(
        planning.get_task(&b.id).await?.dependencies,
        vec![a.id.clone()]
    );
    let patch = TaskPatch {
        actual_hours: Some(5.0),
        ..TaskPatch::default()
    };
    let a = planning.update_task(&a.id, &patch, Some(a.version)).await?;
    assert_eq!((a.actual_hours, a.version), (5.0, 2));
    let tagged = TaskQuery {
        tag: Some("ux".into()),
        ..TaskQuery::default()
    };
    let found = planning.list_tasks(&project.id, &tagged).await?;
    assert_eq!(
        found.items.iter().map(|t| &t.id).collect::<Vec<_>>(),
        [&a.id]
    );

    // The schedule runs a, b, c end to end: all critical, six days.
    let schedule = planning.schedule(&project.id).await?;
    assert_eq!(
        schedule.critical_path,
        vec![a.id.clone(), b.id.clone(), c.id.clone()]
    );
    assert_eq!(schedule.duration_days, 6);
    assert!(schedule.violations.is_empty());

    // Milestones.
    let gate = MilestoneIn {
        name: "Release".into(),
        description: String::new(),
        date: day(7),
        task_ids: vec![c.id.clone()],
    };
    let milestone = planning.create_milestone(&project.id, &gate).await?;
    assert_eq!(planning.get_milestone(&milestone.id).await?, milestone);
    let renamed = MilestonePatch {
        name: Some("GA".into()),
        ..MilestonePatch::default()
    };
    let milestone = planning
        .update_milestone(&milestone.id, &renamed, Some(1))
        .await?;
    assert_eq!((milestone.name.as_str(), milestone.version), ("GA", 2));
    assert_eq!(
        planning.list_milestones(&project.id).await?,
        vec![milestone.clone()]
    );
    let gated = TaskQuery {
        milestone_id: Some(milestone.id.clone()),
        ..TaskQuery::default()
    };
    let gated = planning.list_tasks(&project.id, &gated).await?;
    assert_eq!(
        gated.items.iter().map(|t| &t.id).collect::<Vec<_>>(),
        [&c.id]
    );

    // Allocations and utilisation.
    let booking = AllocationIn {
        resource: me.clone(),
        task_id: Some(a.id.clone()),
        start_date: day(2),
        end_date: day(4),
        hours_per_day: None,
        percent: Some(50.0),
    };
    let allocation = planning.allocate_resource(&project.id, &booking).await?;
    assert_eq!(allocation.hours_per_day, 4.0);
    let more = AllocationPatch {
        hours_per_day: Some(6.0),
        ..AllocationPatch::default()
    };
    let allocation = planning
        .update_allocation(&allocation.id, &more, Some(1))
        .await?;
    assert_eq!((allocation.percent, allocation.version), (75.0, 2));
    assert_eq!(planning.get_allocation(&allocation.id).await?, allocation);
    assert_eq!(
        planning.list_allocations(&project.id).await?,
        vec![allocation.clone()]
    );
    let used = planning
        .get_resource_utilization(&project.id, None, None)
        .await?;
    assert_eq!((used.from, used.to), (day(2), day(4)));
    assert_eq!(used.resources.len(), 1);
    assert_eq!(used.resources[0].total_hours, 18.0);
    let everywhere = planning.workspace_utilization(day(1), day(31)).await?;
    assert_eq!(everywhere.resources[0].days.len(), 3);

    // Metrics and reports.
    let metrics = planning.get_project_metrics(&project.id).await?;
    assert_eq!((metrics.total_tasks, metrics.milestones), (3, 1));
    assert_eq!(metrics.critical_path_days, 6);
    let report = planning
        .generate_project_report(&project.id, ReportType::Hours)
        .await?;
    assert_eq!(report.hours.len(), 3);
    let markdown = planning
        .report_text(&project.id, ReportType::Status, ReportFormat::Markdown)
        .await?;
    assert!(markdown.contains("Launch"), "{markdown}");
    let csv = planning
        .report_text(&project.id, ReportType::Hours, ReportFormat::Csv)
        .await?;
    assert!(csv.contains("design"), "{csv}");

    // Removal, in reverse.
    planning.remove_dependency(&c.id, &b.id).await?;
    assert!(planning.get_task(&c.id).await?.dependencies.is_empty());
    planning.delete_milestone(&milestone.id).await?;
    planning.delete_allocation(&allocation.id).await?;
    planning.delete_task(&c.id, false).await?;
    assert_eq!(
        code(planning.get_task(&c.id).await)?,
        "planning.task.not_found"
    );
    planning.delete_project(&project.id).await?;
    assert_eq!(
        code(planning.get_project(&project.id).await)?,
        "planning.project.not_found"
    );
    assert_eq!(
        code(planning.get_task(&a.id).await)?,
        "planning.task.not_found"
    );
    Ok(())
}

on_both_backends!(every_operation_works_on_one_project);
