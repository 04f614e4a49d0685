-- Planner edits of the forecast: layers on top of the statistical forecast of every run, applied
-- in the order they were made (percent multiplies, absolute adds contacts per half-hour), over
-- [from_time, to_time) of one queue (and one channel, '' = every channel). Removing an edit is a
-- new version of its row with deleted_at/deleted_by set: nothing is ever overwritten.
CREATE TABLE IF NOT EXISTS forecast_adjustments (
  id          String,
  queue       String,
  channel     String,
  from_time   DateTime('UTC'),
  to_time     DateTime('UTC'),
  kind        LowCardinality(String),
  value       Float64,
  reason      String,
  created_at  DateTime64(3, 'UTC'),
  created_by  String,
  deleted_at  Nullable(DateTime64(3, 'UTC')),
  deleted_by  String,
  version     UInt32
) ENGINE = ReplacingMergeTree(version)
ORDER BY (queue, id);
