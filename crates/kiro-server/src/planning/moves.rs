//! Moving a task (new dates or estimate) under its project's [`ConstraintPolicy`]: `allow`
//! stores the move, `refuse` refuses one that leaves a dependency of the task violated, and
//! `reschedule` pushes every successor the move violates later by the days its dependency
//! needs, transitively and across projects, updating the moved task and every pushed one
//! in one transaction with one event each. A move that breaks the task's own predecessors
//! cannot be fixed by moving successors, so `reschedule` refuses it like `refuse`.

use std::collections::{HashMap, HashSet, VecDeque};

use chrono::Duration;
use kiro_core::StoreError;
use kiro_core::planning::plan::violations_for;
use kiro_core::tenancy::Tenant;
use kiro_types::ErrorCode;
use kiro_types::planning::{ConstraintPolicy, Dependency, DependencyViolation, Task};
use serde_json::json;

use super::PlanningService;
use crate::error::ApiError;

/// The tasks and dependencies around a move: the projects loaded so far, their tasks and
/// the dependencies touching them, and the other end of each such dependency.
#[derive(Default)]
struct Neighbourhood {
    tasks: HashMap<String, Task>,
    dependencies: Vec<Dependency>,
    dependency_ids: HashSet<String>,
    projects: HashSet<String>,
}

impl Neighbourhood {
    fn all(&self) -> Vec<Task> {
        self.tasks.values().cloned().collect()
    }

    fn violations(&self, id: &str) -> Vec<DependencyViolation> {
        match self.tasks.get(id) {
            Some(task) => violations_for(task, &self.all(), &self.dependencies),
            None => Vec::new(),
        }
    }
}

impl PlanningService {
    /// Loads a project's tasks and dependencies into `near` (once); tasks already there keep
    /// their pending changes.
    async fn load(
        &self,
        tenant: &Tenant,
        near: &mut Neighbourhood,
        project_id: &str,
    ) -> Result<(), ApiError> {
        if !near.projects.insert(project_id.to_owned()) {
            return Ok(());
        }
        let ws = tenant.workspace_id;
        for task in self.store.project_tasks(ws, project_id).await? {
            near.tasks.entry(task.id.clone()).or_insert(task);
        }
        for dep in self.store.project_dependencies(ws, project_id).await? {
            if near.dependency_ids.insert(dep.id.clone()) {
                for end in [&dep.predecessor_id, &dep.successor_id] {
                    if !near.tasks.contains_key(end.as_str()) {
                        match self.store.get_task(ws, end).await {
                            Ok(task) => {
                                near.tasks.insert(task.id.clone(), task);
                            }
                            Err(StoreError::NotFound) => {}
                            Err(e) => return Err(e.into()),
                        }
                    }
                }
                near.dependencies.push(dep);
            }
        }
        Ok(())
    }

    /// Stores a moved `task` (its stored version `expected`) as its project's policy says.
    /// Returns the task, then every task rescheduled with it.
    pub(super) async fn move_task(
        &self,
        tenant: &Tenant,
        task: Task,
        expected: i64,
    ) -> Result<Vec<Task>, ApiError> {
        let project = self.project(tenant, &task.project_id).await?;
        let policy = project.constraint_policy;
        if policy == ConstraintPolicy::Allow {
            let event = self.task_updated(tenant, &task, None);
            self.store
                .update_task(tenant.workspace_id, &task, expected, &event)
                .await?;
            return Ok(vec![task]);
        }
        let mut near = Neighbourhood::default();
        self.load(tenant, &mut near, &project.id).await?;
        near.tasks.insert(task.id.clone(), task.clone());
        let violations = near.violations(&task.id);
        let refused: Vec<&DependencyViolation> = violations
            .iter()
            .filter(|v| policy == ConstraintPolicy::Refuse || v.successor_id == task.id)
            .collect();
        if !refused.is_empty() {
            return Err(violates(&task.id, &refused));
        }
        let mut changes = vec![(task.clone(), expected)];
        let mut events = vec![self.task_updated(tenant, &task, None)];
        if policy == ConstraintPolicy::Reschedule {
            let pushed = self.push_successors(tenant, &mut near, &task.id).await?;
            for (id, stored_version) in pushed {
                let Some(mut successor) = near.tasks.get(&id).cloned() else {
                    continue;
                };
                successor.version = stored_version + 1;
                successor.updated_at = self.now();
                events.push(self.task_updated(tenant, &successor, Some(&task.id)));
                changes.push((successor, stored_version));
            }
        }
        self.store
            .update_tasks(tenant.workspace_id, &changes, &events)
            .await?;
        Ok(changes.into_iter().map(|(t, _)| t).collect())
    }

    /// Moves the successors that `moved` now violates later, then theirs, until none is
    /// violated. Returns each pushed task's id with its stored version, in the order first
    /// pushed; their new dates are in `near`.
    async fn push_successors(
        &self,
        tenant: &Tenant,
        near: &mut Neighbourhood,
        moved: &str,
    ) -> Result<Vec<(String, i64)>, ApiError> {
        let mut pushed: Vec<(String, i64)> = Vec::new();
        let mut queue = VecDeque::from([moved.to_owned()]);
        // Each push moves a task strictly later along an acyclic graph, so this settles;
        // the bound only guards against a corrupt (cyclic) graph.
        let mut budget = (near.tasks.len() + 1).saturating_mul(near.tasks.len() + 1) + 16;
        while let Some(id) = queue.pop_front() {
            budget = budget.checked_sub(1).ok_or_else(|| {
                ApiError::internal("rescheduling did not settle: the dependency graph has a cycle")
            })?;
            let late: Vec<DependencyViolation> = near
                .violations(&id)
                .into_iter()
                .filter(|v| v.predecessor_id == id)
                .collect();
            for v in late {
                let Some(successor) = near.tasks.get_mut(&v.successor_id) else {
                    continue;
                };
                if !pushed.iter().any(|(p, _)| *p == successor.id) && successor.id != moved {
                    pushed.push((successor.id.clone(), successor.version));
                }
                let by = Duration::days(v.days_late);
                successor.start_date = successor.start_date.map(|d| d + by);
                successor.end_date = successor.end_date.map(|d| d + by);
                let project = successor.project_id.clone();
                let next = successor.id.clone();
                self.load(tenant, near, &project).await?;
                queue.push_back(next);
            }
        }
        Ok(pushed)
    }
}

/// The 409 of a move that leaves dependencies violated, listing them.
fn violates(task_id: &str, violations: &[&DependencyViolation]) -> ApiError {
    let first = violations
        .first()
        .map(|v| v.message.clone())
        .unwrap_or_default();
    ApiError::new(
        ErrorCode::PlanningTaskViolatesDependency,
        format!(
            "these dates break {} dependency(ies) of task {task_id} ({first}); choose dates \
             that keep them, or set the project's constraintPolicy to allow or reschedule",
            violations.len()
        ),
    )
    .with_details(json!({ "taskId": task_id, "violations": violations }))
}
