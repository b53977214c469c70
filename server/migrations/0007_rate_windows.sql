-- Rate limits that must hold across restarts and server instances (DESIGN.md §6): one counter per
-- key (`code:addr:<address>`, `code:phone:<phone>`) over a fixed window that opens at the key's
-- first hit, counted with one atomic upsert so parallel requests cannot both pass the check.
CREATE TABLE rate_windows (
    key TEXT PRIMARY KEY NOT NULL,
    window_start_ms BIGINT NOT NULL,
    count BIGINT NOT NULL
);
CREATE INDEX rate_windows_start ON rate_windows (window_start_ms);

-- Replaced by rate_windows: counting these rows, then inserting, let parallel requests through.
DROP TABLE code_requests;
