-- Gate mode finds a visitor without a phone at hand by their number's latest declaration
-- (DESIGN.md §4): declarations that give a status keep the person's number here, normalised,
-- beside the body that already holds it. Deleted with the row (retention, erasure).
ALTER TABLE submissions ADD COLUMN phone TEXT;
CREATE INDEX submissions_phone ON submissions (phone, received_at_ms) WHERE phone IS NOT NULL;
