-- Every submission the app sends through its outbox, one row per client-generated id
-- (DESIGN.md §6: never two rows for one id).
CREATE TABLE submissions (
    id TEXT PRIMARY KEY NOT NULL,
    kind TEXT NOT NULL,
    -- SHA-256 of `body`, to tell a replay of the same content from a different one.
    content_hash TEXT NOT NULL,
    body TEXT NOT NULL,
    created_at_ms BIGINT NOT NULL,
    received_at_ms BIGINT NOT NULL
);

CREATE INDEX submissions_received_at ON submissions (received_at_ms);
