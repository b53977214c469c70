-- The visitor list selects a venue's check-ins by the server's receive time (a device's own
-- stamp is not trusted for that), so that is what its index covers.
DROP INDEX submissions_venue;
CREATE INDEX submissions_venue_received ON submissions (venue_id, received_at_ms) WHERE venue_id IS NOT NULL;
