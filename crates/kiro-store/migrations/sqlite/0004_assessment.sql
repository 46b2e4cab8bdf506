-- 0004_assessment (sqlite): the assessment service's documents, their processing jobs, text,
-- analyses, question sets, assessments, results, revisions and reviews.
--
-- Each aggregate keeps its wire DTO as JSON in `body`, beside the columns queries filter,
-- sort or constrain on. Times are INTEGER unix milliseconds, ids TEXT.

CREATE TABLE assessment_documents (
    id           TEXT    PRIMARY KEY,
    workspace_id TEXT    NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
    owner        TEXT    NOT NULL,
    content_hash TEXT    NOT NULL,
    status       TEXT    NOT NULL,
    uploaded_at  INTEGER NOT NULL,
    version      INTEGER NOT NULL,
    body         TEXT    NOT NULL,
    -- The same file uploaded twice into one workspace is one document.
    CONSTRAINT assessment_documents_hash UNIQUE (workspace_id, content_hash)
);
CREATE INDEX assessment_documents_list_idx ON assessment_documents (workspace_id, uploaded_at, id);

-- The uploaded file, kept only until processing ends (either way).
CREATE TABLE assessment_files (
    document_id TEXT PRIMARY KEY REFERENCES assessment_documents (id) ON DELETE CASCADE,
    bytes       BLOB NOT NULL,
    password    TEXT
);

-- Processing jobs: claimed by any process whose lease check passes; a crashed worker's
-- lease runs out and the job is retaken.
CREATE TABLE assessment_jobs (
    document_id TEXT    PRIMARY KEY REFERENCES assessment_documents (id) ON DELETE CASCADE,
    created_at  INTEGER NOT NULL,
    lease_until INTEGER NOT NULL,
    attempts    INTEGER NOT NULL
);
CREATE INDEX assessment_jobs_claim_idx ON assessment_jobs (lease_until, created_at);

CREATE TABLE assessment_texts (
    document_id TEXT PRIMARY KEY REFERENCES assessment_documents (id) ON DELETE CASCADE,
    body        TEXT NOT NULL
);

CREATE TABLE assessment_analyses (
    document_id TEXT PRIMARY KEY REFERENCES assessment_documents (id) ON DELETE CASCADE,
    body        TEXT NOT NULL
);

CREATE TABLE assessment_question_sets (
    id           TEXT    PRIMARY KEY,
    workspace_id TEXT    NOT NULL,
    document_id  TEXT    NOT NULL REFERENCES assessment_documents (id) ON DELETE CASCADE,
    created_at   INTEGER NOT NULL,
    body         TEXT    NOT NULL
);
CREATE INDEX assessment_question_sets_doc_idx ON assessment_question_sets (document_id, created_at);

CREATE TABLE assessment_assessments (
    id           TEXT    PRIMARY KEY,
    workspace_id TEXT    NOT NULL,
    document_id  TEXT    NOT NULL REFERENCES assessment_documents (id) ON DELETE CASCADE,
    created_by   TEXT    NOT NULL,
    status       TEXT    NOT NULL,
    created_at   INTEGER NOT NULL,
    version      INTEGER NOT NULL,
    body         TEXT    NOT NULL
);
CREATE INDEX assessment_assessments_list_idx ON assessment_assessments (workspace_id, created_at, id);

CREATE TABLE assessment_results (
    id            TEXT    PRIMARY KEY,
    workspace_id  TEXT    NOT NULL,
    assessment_id TEXT    NOT NULL REFERENCES assessment_assessments (id) ON DELETE CASCADE,
    document_id   TEXT    NOT NULL,
    student_id    TEXT    NOT NULL,
    completed_at  INTEGER NOT NULL,
    body          TEXT    NOT NULL,
    -- One submission per learner per assessment.
    CONSTRAINT assessment_results_once UNIQUE (assessment_id, student_id)
);
CREATE INDEX assessment_results_student_idx ON assessment_results (workspace_id, student_id, completed_at);

CREATE TABLE assessment_revisions (
    id           TEXT    PRIMARY KEY,
    workspace_id TEXT    NOT NULL,
    student_id   TEXT    NOT NULL,
    document_id  TEXT    NOT NULL REFERENCES assessment_documents (id) ON DELETE CASCADE,
    topic        TEXT    NOT NULL,
    due_at       INTEGER NOT NULL,
    version      INTEGER NOT NULL,
    body         TEXT    NOT NULL,
    CONSTRAINT assessment_revisions_topic UNIQUE (workspace_id, student_id, document_id, topic)
);
CREATE INDEX assessment_revisions_due_idx ON assessment_revisions (workspace_id, student_id, due_at);

CREATE TABLE assessment_reviews (
    id             TEXT    PRIMARY KEY,
    workspace_id   TEXT    NOT NULL,
    revision_id    TEXT    NOT NULL REFERENCES assessment_revisions (id) ON DELETE CASCADE,
    student_id     TEXT    NOT NULL,
    recall         TEXT    NOT NULL,
    retrievability REAL    NOT NULL,
    at             INTEGER NOT NULL
);
CREATE INDEX assessment_reviews_student_idx ON assessment_reviews (workspace_id, student_id, at);
