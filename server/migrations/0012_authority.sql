-- The health authority (DESIGN.md §4).

-- Officers, by phone number (national form): granted only by the server's administrator
-- command, before or after the person first signs in.
CREATE TABLE officers (
    phone TEXT PRIMARY KEY NOT NULL,
    granted_at_ms BIGINT NOT NULL
);

-- Exposure events. `version` orders every change (publish, edit, withdraw) for the published
-- list's deltas; it is unique, so two writers that pick the same one cannot both commit.
CREATE TABLE exposure_events (
    id TEXT PRIMARY KEY NOT NULL,
    venue_id TEXT NOT NULL REFERENCES venues (id),
    starts_at_ms BIGINT NOT NULL,
    ends_at_ms BIGINT NOT NULL,
    level TEXT NOT NULL,
    advice_vi TEXT NOT NULL,
    advice_en TEXT NOT NULL,
    withdrawn BOOLEAN NOT NULL,
    version BIGINT NOT NULL UNIQUE,
    created_by TEXT NOT NULL,
    updated_by TEXT NOT NULL,
    updated_at_ms BIGINT NOT NULL
);

-- Statistics are SQL aggregates over these two columns: what a submission counts as
-- ('declaration' or 'check_in', arrivals only) and the province it counts for (the declarer's,
-- or the venue's). Other submissions leave them empty and stay out of the index.
ALTER TABLE submissions ADD COLUMN counted_as TEXT;
ALTER TABLE submissions ADD COLUMN province BIGINT;
CREATE INDEX submissions_counted ON submissions (received_at_ms, counted_as, province)
    WHERE counted_as IS NOT NULL;
CREATE INDEX venues_created ON venues (created_at_ms, province);

-- Case-bound reads by officers: the case and the window read, beside who, when and which venue.
ALTER TABLE audit_log ADD COLUMN case_reference TEXT;
ALTER TABLE audit_log ADD COLUMN window_from_ms BIGINT;
ALTER TABLE audit_log ADD COLUMN window_to_ms BIGINT;
CREATE INDEX audit_log_account ON audit_log (account_id, at_ms);
