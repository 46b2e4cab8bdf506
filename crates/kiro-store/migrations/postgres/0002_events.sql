-- 0002: the event log (DESIGN.md §5). Every mutation appends its event in its own
-- transaction. Ids come from events_id_seq, drawn under a transaction-level advisory lock
-- taken right before the insert and held to commit, so ids become visible in id order: a
-- reader that has seen id N+1 has seen every committed id up to N (a bare sequence would let
-- concurrent transactions commit out of order).
CREATE SEQUENCE events_id_seq;
CREATE TABLE events (
    id BIGINT PRIMARY KEY,
    workspace_id TEXT NOT NULL,
    topic TEXT NOT NULL,
    event_type TEXT NOT NULL,
    resource_id TEXT NOT NULL,
    version BIGINT NOT NULL,
    actor TEXT NOT NULL,
    at BIGINT NOT NULL,           -- unix ms
    data TEXT NOT NULL            -- JSON
);
CREATE INDEX events_workspace_id ON events (workspace_id, id);
CREATE INDEX events_at ON events (at);

-- Bookkeeping of the log: `swept_through` is the highest id retention removed, so a client
-- resuming from an older id is told it missed events.
CREATE TABLE events_meta (
    name TEXT PRIMARY KEY,
    value BIGINT NOT NULL
);
INSERT INTO events_meta (name, value) VALUES ('swept_through', 0);
