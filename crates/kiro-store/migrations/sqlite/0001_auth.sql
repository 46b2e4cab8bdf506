-- 0001_auth (SQLite): accounts, tenancy and credentials.
--
-- Conventions shared with migrations/postgres/0001_auth.sql, so one set of row structs reads
-- both through sqlx's Any driver:
--   * ids are TEXT holding UUIDv7 strings (OAuth client ids are opaque TEXT);
--   * times are INTEGER unix milliseconds (UTC);
--   * booleans are INTEGER 0/1 (a BOOLEAN column would reach Any as an unsupported type);
--   * structured values (API key scopes) are JSON TEXT.
-- Released migrations are never edited: add a new numbered file instead.

-- User accounts. The service lower-cases `email` before it gets here, so the plain UNIQUE
-- constraint is the case-insensitive one.
CREATE TABLE users (
    id            TEXT    NOT NULL PRIMARY KEY,
    email         TEXT    NOT NULL UNIQUE,
    name          TEXT    NOT NULL,
    password_hash TEXT    NOT NULL,            -- argon2id PHC string
    is_admin      INTEGER NOT NULL DEFAULT 0 CHECK (is_admin IN (0, 1)),
    created_at    INTEGER NOT NULL,
    updated_at    INTEGER NOT NULL
);

-- Workspaces (tenants). `version` guards optimistic updates: every write bumps it.
CREATE TABLE workspaces (
    id         TEXT    NOT NULL PRIMARY KEY,
    name       TEXT    NOT NULL,
    personal   INTEGER NOT NULL DEFAULT 0 CHECK (personal IN (0, 1)),
    version    INTEGER NOT NULL DEFAULT 1,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);

-- Who belongs to which workspace, and as what. A membership dies with its workspace or user.
CREATE TABLE memberships (
    workspace_id TEXT    NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
    user_id      TEXT    NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    role         TEXT    NOT NULL CHECK (role IN ('owner', 'admin', 'member', 'viewer')),
    created_at   INTEGER NOT NULL,
    PRIMARY KEY (workspace_id, user_id)
);
-- "Workspaces of a user"; the primary key already serves "members of a workspace".
CREATE INDEX memberships_user_id_idx ON memberships (user_id);

-- Login sessions: one per password grant, the family of its refresh tokens. `client_id`
-- names the OAuth client that logged in (built-in public clients are not rows of
-- oauth_clients, so it carries no foreign key).
CREATE TABLE sessions (
    id         TEXT    NOT NULL PRIMARY KEY,
    user_id    TEXT    NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    client_id  TEXT    NOT NULL,
    created_at INTEGER NOT NULL,
    revoked_at INTEGER
);
CREATE INDEX sessions_user_id_idx ON sessions (user_id);

-- Refresh tokens, stored as digests only. `rotated_at` is set once, when the token is
-- exchanged; presenting a rotated token again is reuse.
CREATE TABLE refresh_tokens (
    id           TEXT    NOT NULL PRIMARY KEY,
    session_id   TEXT    NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
    token_digest TEXT    NOT NULL UNIQUE,
    created_at   INTEGER NOT NULL,
    expires_at   INTEGER NOT NULL,
    rotated_at   INTEGER
);
CREATE INDEX refresh_tokens_session_id_idx ON refresh_tokens (session_id);

-- API keys, stored as digests only; `prefix` is the visible start of the key.
CREATE TABLE api_keys (
    id            TEXT    NOT NULL PRIMARY KEY,
    workspace_id  TEXT    NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
    created_by    TEXT    NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    name          TEXT    NOT NULL,
    prefix        TEXT    NOT NULL,
    secret_digest TEXT    NOT NULL UNIQUE,
    scopes        TEXT    NOT NULL DEFAULT '[]',   -- JSON array of scope strings
    created_at    INTEGER NOT NULL,
    expires_at    INTEGER,
    last_used_at  INTEGER,
    revoked_at    INTEGER
);
-- Listing a workspace's keys newest first, optionally only one creator's.
CREATE INDEX api_keys_workspace_id_created_at_idx ON api_keys (workspace_id, created_at);
CREATE INDEX api_keys_created_by_idx ON api_keys (created_by);

-- Registered OAuth clients: public apps (no secret) and confidential service accounts,
-- which act in their workspace with `role`.
CREATE TABLE oauth_clients (
    client_id     TEXT    NOT NULL PRIMARY KEY,
    workspace_id  TEXT    NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
    name          TEXT    NOT NULL,
    secret_digest TEXT,
    role          TEXT    NOT NULL CHECK (role IN ('owner', 'admin', 'member', 'viewer')),
    created_by    TEXT    NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at    INTEGER NOT NULL,
    revoked_at    INTEGER
);
CREATE INDEX oauth_clients_workspace_id_created_at_idx ON oauth_clients (workspace_id, created_at);
CREATE INDEX oauth_clients_created_by_idx ON oauth_clients (created_by);

-- Server-wide secrets shared by every replica (the JWT signing key). The first replica to
-- insert a name wins; every other one reads that value.
CREATE TABLE server_secrets (
    name       TEXT    NOT NULL PRIMARY KEY,
    value      TEXT    NOT NULL,
    created_at INTEGER NOT NULL
);
