-- Check-ins name the venue whose current poster was scanned, so that its visitor list is one
-- indexed read.
ALTER TABLE submissions ADD COLUMN venue_id TEXT;

CREATE INDEX submissions_venue ON submissions (venue_id, created_at_ms);
