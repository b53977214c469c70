-- Posters a venue had before it re-issued its poster. Visits in a phone's diary keep the id of
-- the poster they scanned, so an exposure event names the venue by its current poster and by
-- every one it retired (DESIGN.md §3.5); the old ones still never resolve for a check-in. Poster
-- ids are printed on the wall: no personal data.
CREATE TABLE retired_posters (
    poster_id TEXT PRIMARY KEY NOT NULL,
    venue_id TEXT NOT NULL REFERENCES venues (id),
    issued_at_ms BIGINT NOT NULL,
    retired_at_ms BIGINT NOT NULL
);
CREATE INDEX retired_posters_venue ON retired_posters (venue_id);
