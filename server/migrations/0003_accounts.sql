-- Accounts of venue managers, staff and health officers (DESIGN.md §4). Citizens have none.
CREATE TABLE accounts (
    id TEXT PRIMARY KEY NOT NULL,
    -- National form 0XXXXXXXXX (domain::validation::vn_mobile).
    phone TEXT NOT NULL UNIQUE,
    created_at_ms BIGINT NOT NULL
);

-- The one live sign-in code of a phone; a new request replaces it.
CREATE TABLE sign_in_codes (
    phone TEXT PRIMARY KEY NOT NULL,
    -- SHA-256 of phone and code: a database reader cannot sign in with it.
    code_hash TEXT NOT NULL,
    expires_at_ms BIGINT NOT NULL,
    failed_attempts BIGINT NOT NULL,
    spent BOOLEAN NOT NULL
);

-- Code requests of the last hour, for the per-phone limit.
CREATE TABLE code_requests (
    phone TEXT NOT NULL,
    requested_at_ms BIGINT NOT NULL
);
CREATE INDEX code_requests_phone ON code_requests (phone, requested_at_ms);

CREATE TABLE sessions (
    -- SHA-256 of the cookie's token, never the token itself.
    token_hash TEXT PRIMARY KEY NOT NULL,
    account_id TEXT NOT NULL REFERENCES accounts (id),
    expires_at_ms BIGINT NOT NULL
);
