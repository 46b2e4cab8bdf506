-- 0003_idempotency (PostgreSQL): idempotency keys and the responses stored under them.
--
-- Same conventions as 0001_auth.sql: times are BIGINT unix milliseconds, integers BIGINT,
-- ids TEXT. Released migrations are never edited: add a new numbered file instead.

-- One row per (principal, key). Claiming a key is a plain INSERT, so the primary key lets
-- exactly one of two racing requests run. `status`, `headers` and `body` stay NULL while
-- that request runs and hold its response once it completes. `expires_at` is the end of the
-- claim's short lease while running, then 24 h after completion; expired rows are ignored
-- by lookups and deleted by the periodic sweep.
CREATE TABLE idempotency_keys (
    principal_key   TEXT    NOT NULL,           -- Principal::key(), e.g. user:<uuid>
    idempotency_key TEXT    NOT NULL,           -- the client's Idempotency-Key header
    request_hash    TEXT    NOT NULL,           -- SHA-256 hex of the first request
    claim_token     TEXT    NOT NULL,           -- UUIDv7 of the claim that holds the key
    status          BIGINT,
    headers         TEXT,                       -- JSON array of [name, value] pairs
    body            BYTEA,
    created_at      BIGINT  NOT NULL,
    expires_at      BIGINT  NOT NULL,
    PRIMARY KEY (principal_key, idempotency_key)
);
-- The sweep deletes by expiry.
CREATE INDEX idempotency_keys_expires_at_idx ON idempotency_keys (expires_at);
