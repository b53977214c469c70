-- Statistics group by the Vietnam day of the server's receive time (DESIGN.md §4). Stored at
-- ingest, so that the aggregate reads one covering index, searched by day, instead of computing
-- the day of every row: over a million check-ins that was more than the one second the officer
-- waits for.
ALTER TABLE submissions ADD COLUMN counted_day BIGINT;
UPDATE submissions SET counted_day = (received_at_ms + 25200000) / 86400000
    WHERE counted_as IS NOT NULL;
DROP INDEX submissions_counted;
CREATE INDEX submissions_counted ON submissions (counted_day, counted_as, province)
    WHERE counted_as IS NOT NULL;
