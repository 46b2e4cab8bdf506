-- 0005_planning (sqlite): the planning service's projects, tasks, task dependencies,
-- milestones with the tasks gating them, and resource allocations.
--
-- Each aggregate keeps its wire DTO as JSON in `body`, beside the columns queries filter,
-- sort or constrain on; every row carries its workspace. Dates of the plan are TEXT
-- `YYYY-MM-DD` (they compare as text), times INTEGER unix milliseconds, ids TEXT.

CREATE TABLE planning_projects (
    id           TEXT    PRIMARY KEY,
    workspace_id TEXT    NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
    status       TEXT    NOT NULL,
    created_at   INTEGER NOT NULL,
    version      INTEGER NOT NULL,
    body         TEXT    NOT NULL
);
CREATE INDEX planning_projects_list_idx ON planning_projects (workspace_id, created_at, id);

CREATE TABLE planning_tasks (
    id           TEXT    PRIMARY KEY,
    workspace_id TEXT    NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
    project_id   TEXT    NOT NULL REFERENCES planning_projects (id) ON DELETE CASCADE,
    status       TEXT    NOT NULL,
    assignee     TEXT,
    -- The tags as a JSON array of strings, matched with LIKE on the quoted tag.
    tags         TEXT    NOT NULL,
    start_date   TEXT,
    end_date     TEXT,
    created_at   INTEGER NOT NULL,
    version      INTEGER NOT NULL,
    body         TEXT    NOT NULL
);
CREATE INDEX planning_tasks_list_idx ON planning_tasks (workspace_id, project_id, created_at, id);
CREATE INDEX planning_tasks_assignee_idx ON planning_tasks (workspace_id, assignee);

-- `successor_id` depends on `predecessor_id`; both in the row's workspace, any projects.
CREATE TABLE planning_task_dependencies (
    id             TEXT    PRIMARY KEY,
    workspace_id   TEXT    NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
    predecessor_id TEXT    NOT NULL REFERENCES planning_tasks (id) ON DELETE CASCADE,
    successor_id   TEXT    NOT NULL REFERENCES planning_tasks (id) ON DELETE CASCADE,
    kind           TEXT    NOT NULL,
    lag_days       INTEGER NOT NULL,
    created_at     INTEGER NOT NULL,
    CONSTRAINT planning_dependencies_pair UNIQUE (predecessor_id, successor_id)
);
CREATE INDEX planning_dependencies_ws_idx ON planning_task_dependencies (workspace_id);
CREATE INDEX planning_dependencies_successor_idx ON planning_task_dependencies (successor_id);

CREATE TABLE planning_milestones (
    id           TEXT    PRIMARY KEY,
    workspace_id TEXT    NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
    project_id   TEXT    NOT NULL REFERENCES planning_projects (id) ON DELETE CASCADE,
    date         TEXT    NOT NULL,
    created_at   INTEGER NOT NULL,
    version      INTEGER NOT NULL,
    body         TEXT    NOT NULL
);
CREATE INDEX planning_milestones_project_idx ON planning_milestones (workspace_id, project_id);

CREATE TABLE planning_milestone_tasks (
    workspace_id TEXT NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
    milestone_id TEXT NOT NULL REFERENCES planning_milestones (id) ON DELETE CASCADE,
    task_id      TEXT NOT NULL REFERENCES planning_tasks (id) ON DELETE CASCADE,
    PRIMARY KEY (milestone_id, task_id)
);
CREATE INDEX planning_milestone_tasks_task_idx ON planning_milestone_tasks (task_id);

CREATE TABLE planning_allocations (
    id           TEXT    PRIMARY KEY,
    workspace_id TEXT    NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
    project_id   TEXT    NOT NULL REFERENCES planning_projects (id) ON DELETE CASCADE,
    task_id      TEXT    REFERENCES planning_tasks (id) ON DELETE CASCADE,
    resource     TEXT    NOT NULL,
    start_date   TEXT    NOT NULL,
    end_date     TEXT    NOT NULL,
    created_at   INTEGER NOT NULL,
    version      INTEGER NOT NULL,
    body         TEXT    NOT NULL
);
CREATE INDEX planning_allocations_range_idx ON planning_allocations (workspace_id, start_date, end_date);
