-- 0007_execution_catalog (sqlite): the execution service's catalog — a workspace's custom
-- environments (declared in the engine's environment model, validated before they are
-- stored) and its scripts (stored code with declared parameters).
--
-- Each keeps its wire DTO as JSON in `body` beside the columns queries filter, sort or
-- constrain on. Names are unique per workspace; a script names its environment (a built-in
-- or a custom one) by name. Times are INTEGER unix milliseconds, ids TEXT.

CREATE TABLE execution_environments (
    id           TEXT    PRIMARY KEY,
    workspace_id TEXT    NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
    name         TEXT    NOT NULL,
    created_at   INTEGER NOT NULL,
    version      INTEGER NOT NULL,
    body         TEXT    NOT NULL,
    CONSTRAINT execution_environments_name UNIQUE (workspace_id, name)
);

CREATE TABLE execution_scripts (
    id           TEXT    PRIMARY KEY,
    workspace_id TEXT    NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
    name         TEXT    NOT NULL,
    environment  TEXT    NOT NULL,
    created_at   INTEGER NOT NULL,
    version      INTEGER NOT NULL,
    body         TEXT    NOT NULL,
    CONSTRAINT execution_scripts_name UNIQUE (workspace_id, name)
);
CREATE INDEX execution_scripts_list_idx ON execution_scripts (workspace_id, created_at, id);
CREATE INDEX execution_scripts_environment_idx ON execution_scripts (workspace_id, environment);
