-- The device that delivered each submission, as the SHA-256 of the random key the app keeps
-- (never the key itself), so that a device can list back its own declarations and nobody else's.
ALTER TABLE submissions ADD COLUMN device_hash TEXT;

CREATE INDEX submissions_device ON submissions (device_hash, received_at_ms);
