-- Organisations and their control points (DESIGN.md §4).
CREATE TABLE organisations (
    id TEXT PRIMARY KEY NOT NULL,
    name TEXT NOT NULL,
    created_at_ms BIGINT NOT NULL
);

CREATE TABLE members (
    organisation_id TEXT NOT NULL REFERENCES organisations (id),
    account_id TEXT NOT NULL REFERENCES accounts (id),
    -- 'manager' or 'staff'.
    role TEXT NOT NULL,
    PRIMARY KEY (organisation_id, account_id)
);
CREATE INDEX members_account ON members (account_id);

CREATE TABLE venues (
    id TEXT PRIMARY KEY NOT NULL,
    organisation_id TEXT NOT NULL REFERENCES organisations (id),
    name TEXT NOT NULL,
    venue_type TEXT NOT NULL,
    phone TEXT,
    province BIGINT NOT NULL,
    ward BIGINT,
    street TEXT NOT NULL,
    latitude DOUBLE PRECISION,
    longitude DOUBLE PRECISION,
    intro TEXT NOT NULL,
    default_stay_minutes BIGINT NOT NULL,
    -- The current poster: its random venue id (hex), short code, issue time and key.
    poster_id TEXT NOT NULL UNIQUE,
    short_code TEXT NOT NULL UNIQUE,
    poster_issued_at_s BIGINT NOT NULL,
    poster_key_id BIGINT NOT NULL,
    created_at_ms BIGINT NOT NULL
);
CREATE INDEX venues_organisation ON venues (organisation_id);
