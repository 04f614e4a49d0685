-- A row per start of the built-in demo simulator on this store: `serve` with
-- CALLCAST_SIMULATE=auto resumes the live simulation on a store marked here (and only seeds
-- history into an empty one), so a restarted demo stays live.
CREATE TABLE IF NOT EXISTS demo_simulation (
  started_at    DateTime64(3, 'UTC'),
  seed          UInt32,
  queues        UInt16,
  history_days  UInt16,
  resumed       UInt8
) ENGINE = MergeTree
ORDER BY started_at;
