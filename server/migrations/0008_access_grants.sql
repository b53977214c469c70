-- Control points the health authority lets see their visitors unmasked (DESIGN.md §4): granted
-- by an administrator command of the server, never by the venue's own choice of type. Only
-- hospitals and quarantine checkpoints can be granted; the server checks both the type and this.
CREATE TABLE access_grants (
    venue_id TEXT PRIMARY KEY NOT NULL REFERENCES venues (id),
    -- Who granted it: 'administrator' for the server's command.
    granted_by TEXT NOT NULL,
    granted_at_ms BIGINT NOT NULL
);
