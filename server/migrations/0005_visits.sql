-- Check-ins name the venue whose current poster was scanned, so that its visitor list is one
-- indexed read; declarations (no venue) stay out of the index.
ALTER TABLE submissions ADD COLUMN venue_id TEXT;

CREATE INDEX submissions_venue ON submissions (venue_id, created_at_ms) WHERE venue_id IS NOT NULL;
