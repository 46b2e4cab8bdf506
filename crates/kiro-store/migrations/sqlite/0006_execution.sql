-- 0006_execution (sqlite): the execution service's job queue and the jobs' output.
--
-- A job keeps its submitted request and (once completed) its result as JSON beside the
-- columns the queue filters, claims and guards on. Workers claim the oldest queued job and
-- hold a lease they renew while it runs; a running job whose lease ran out belonged to a
-- process that died. Times are INTEGER unix milliseconds, ids TEXT.

CREATE TABLE execution_jobs (
    id            TEXT    PRIMARY KEY,
    workspace_id  TEXT    NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
    status        TEXT    NOT NULL,
    environment   TEXT    NOT NULL,
    request       TEXT    NOT NULL,
    result        TEXT,
    error         TEXT,
    attempts      INTEGER NOT NULL,
    submitted_by  TEXT    NOT NULL,
    created_at    INTEGER NOT NULL,
    started_at    INTEGER,
    finished_at   INTEGER,
    claimed_by    TEXT,
    lease_until   INTEGER,
    log_truncated INTEGER NOT NULL,
    version       INTEGER NOT NULL
);
CREATE INDEX execution_jobs_list_idx ON execution_jobs (workspace_id, created_at, id);
CREATE INDEX execution_jobs_queue_idx ON execution_jobs (status, created_at, id);

-- Output chunks in the order written, numbered from 1 per attempt.
CREATE TABLE execution_job_logs (
    job_id  TEXT    NOT NULL REFERENCES execution_jobs (id) ON DELETE CASCADE,
    seq     INTEGER NOT NULL,
    at      INTEGER NOT NULL,
    stream  TEXT    NOT NULL,
    message TEXT    NOT NULL,
    PRIMARY KEY (job_id, seq)
);
