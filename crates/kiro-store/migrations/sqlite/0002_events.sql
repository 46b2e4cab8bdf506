-- 0002: the event log (DESIGN.md §5). Every mutation appends its event in its own
-- transaction. SQLite has one writer at a time, so AUTOINCREMENT order is commit order.
CREATE TABLE events (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    workspace_id TEXT NOT NULL,
    topic TEXT NOT NULL,
    event_type TEXT NOT NULL,
    resource_id TEXT NOT NULL,
    version INTEGER NOT NULL,
    actor TEXT NOT NULL,
    at INTEGER NOT NULL,          -- unix ms
    data TEXT NOT NULL            -- JSON
);
CREATE INDEX events_workspace_id ON events (workspace_id, id);
CREATE INDEX events_at ON events (at);

-- Bookkeeping of the log: `swept_through` is the highest id retention removed, so a client
-- resuming from an older id is told it missed events.
CREATE TABLE events_meta (
    name TEXT PRIMARY KEY,
    value INTEGER NOT NULL
);
INSERT INTO events_meta (name, value) VALUES ('swept_through', 0);
