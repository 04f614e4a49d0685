-- Leases for the jobs that run once per cluster (alert evaluator, nightly forecast, weekly
-- report): src/store/lease.ts. Every claim and renewal is a new row; a term's holder is the
-- holder of its earliest claim (by the store's clock), and the term lasts until that holder's
-- latest expires_at. Rows age out a day after they expire.
CREATE TABLE IF NOT EXISTS job_leases (
  job         LowCardinality(String),
  term        UInt64,
  holder      String,
  claimed_at  DateTime64(3, 'UTC'),
  expires_at  DateTime64(3, 'UTC')
) ENGINE = MergeTree
ORDER BY (job, term, claimed_at, holder)
TTL toDateTime(expires_at) + INTERVAL 1 DAY;
