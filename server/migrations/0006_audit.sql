-- Every read of unmasked visitor data (DESIGN.md §4): who, which venue, what, how many rows, when.
CREATE TABLE audit_log (
    id TEXT PRIMARY KEY NOT NULL,
    account_id TEXT NOT NULL,
    venue_id TEXT NOT NULL,
    action TEXT NOT NULL,
    row_count BIGINT NOT NULL,
    at_ms BIGINT NOT NULL
);
CREATE INDEX audit_log_venue ON audit_log (venue_id, at_ms);
