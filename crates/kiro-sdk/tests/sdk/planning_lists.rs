//! Listing a project's tasks with each filter (status, assignee, tag, milestone, date
//! range) and paging through tasks and projects with cursors.

use futures::TryStreamExt;
use kiro_sdk::kiro_types::planning::{
    ConstraintPolicy, MilestoneIn, ProjectPatch, ProjectStatus, Task, TaskStatus,
};
use kiro_sdk::{ProjectQuery, TaskQuery};
use kiro_testkit::{TestServer, on_both_backends};

use crate::planning::{day, my_id, project_in, task_in};
use crate::signed_in;

const STATUSES: [TaskStatus; 3] = [TaskStatus::Todo, TaskStatus::InProgress, TaskStatus::Done];

fn ids(tasks: &[Task]) -> Vec<String> {
    tasks.iter().map(|t| t.id.clone()).collect()
}

async fn task_filters_and_pages(server: TestServer) -> anyhow::Result<()> {
    let client = signed_in(&server).await?;
    let planning = client.planning();
    let me = my_id(&client).await?;
    let project = planning
        .create_project(&project_in("Lists", ConstraintPolicy::Allow))
        .await?;
    let mut tasks = Vec::new();
    for i in 0..23u32 {
        let mut task = task_in(&format!("t{i}"), 1 + i % 20, 2 + i % 20);
        task.status = Some(STATUSES[i as usize % 3]);
        task.assignee = (i % 2 == 0).then(|| me.clone());
        task.tags = vec![if i % 2 == 0 { "even" } else { "odd" }.into()];
        if i % 5 == 0 {
            task.tags.push("five".into());
        }
        tasks.push(planning.create_task(&project.id, &task).await?);
    }
    let gate = MilestoneIn {
        name: "gate".into(),
        description: String::new(),
        date: day(28),
        task_ids: vec![tasks[3].id.clone(), tasks[7].id.clone()],
    };
    let milestone = planning.create_milestone(&project.id, &gate).await?;
    let list = |query: TaskQuery| {
        let planning = planning.clone();
        let project = project.id.clone();
        async move {
            let query = TaskQuery {
                limit: Some(100),
                ..query
            };
            anyhow::Ok(planning.list_tasks(&project, &query).await?.items)
        }
    };
    let expect = |keep: &dyn Fn(&Task) -> bool| {
        ids(&tasks
            .iter()
            .filter(|t| keep(t))
            .cloned()
            .collect::<Vec<_>>())
    };

    let done = list(TaskQuery {
        status: Some(TaskStatus::Done),
        ..TaskQuery::default()
    })
    .await?;
    assert_eq!(ids(&done), expect(&|t| t.status == TaskStatus::Done));
    let mine = list(TaskQuery {
        assignee: Some(me.clone()),
        ..TaskQuery::default()
    })
    .await?;
    assert_eq!(
        ids(&mine),
        expect(&|t| t.assignee.as_deref() == Some(me.as_str()))
    );
    let five = list(TaskQuery {
        tag: Some("five".into()),
        ..TaskQuery::default()
    })
    .await?;
    assert_eq!(ids(&five), expect(&|t| t.tags.iter().any(|g| g == "five")));
    let gated = list(TaskQuery {
        milestone_id: Some(milestone.id.clone()),
        ..TaskQuery::default()
    })
    .await?;
    assert_eq!(ids(&gated), vec![tasks[3].id.clone(), tasks[7].id.clone()]);
    let window = list(TaskQuery {
        from: Some(day(5)),
        to: Some(day(6)),
        ..TaskQuery::default()
    })
    .await?;
    assert_eq!(
        ids(&window),
        expect(&|t| t.end_date >= Some(day(5)) && t.start_date <= Some(day(6)))
    );
    assert!(!window.is_empty());

    // Pages of ten, in creation order, then the stream of pages of seven.
    let mut seen = Vec::new();
    let mut cursor = None;
    let mut pages = 0;
    loop {
        let query = TaskQuery {
            limit: Some(10),
            cursor,
            ..TaskQuery::default()
        };
        let page = planning.list_tasks(&project.id, &query).await?;
        pages += 1;
        seen.extend(ids(&page.items));
        match page.next_cursor {
            Some(next) => cursor = Some(next),
            None => break,
        }
    }
    assert_eq!((pages, seen.clone()), (3, ids(&tasks)));
    let streamed: Vec<Task> = planning
        .all_tasks(
            &project.id,
            &TaskQuery {
                limit: Some(7),
                ..TaskQuery::default()
            },
        )
        .try_collect()
        .await?;
    assert_eq!(ids(&streamed), seen);
    Ok(())
}

async fn project_filters_and_pages(server: TestServer) -> anyhow::Result<()> {
    let client = signed_in(&server).await?;
    let planning = client.planning();
    let mut active = Vec::new();
    for i in 0..5 {
        let project = planning
            .create_project(&project_in(&format!("p{i}"), ConstraintPolicy::Allow))
            .await?;
        if i % 2 == 1 {
            let patch = ProjectPatch {
                status: Some(ProjectStatus::Active),
                ..ProjectPatch::default()
            };
            active.push(
                planning
                    .update_project(&project.id, &patch, Some(1))
                    .await?
                    .id,
            );
        }
    }
    let query = ProjectQuery {
        status: Some(ProjectStatus::Active),
        limit: Some(1),
        cursor: None,
    };
    let first = planning.list_projects(&query).await?;
    assert_eq!(first.items.len(), 1);
    let rest = ProjectQuery {
        cursor: first.next_cursor.clone(),
        limit: Some(10),
        ..query.clone()
    };
    let second = planning.list_projects(&rest).await?;
    let mut got: Vec<String> = first.items.into_iter().map(|p| p.id).collect();
    got.extend(second.items.into_iter().map(|p| p.id));
    assert_eq!(got, active);
    assert!(second.next_cursor.is_none());
    let all: Vec<_> = planning
        .all_projects(&ProjectQuery {
            limit: Some(2),
            ..ProjectQuery::default()
        })
        .try_collect()
        .await?;
    assert_eq!(all.len(), 5);
    Ok(())
}

on_both_backends!(task_filters_and_pages, project_filters_and_pages);
