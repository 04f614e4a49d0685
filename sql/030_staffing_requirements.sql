-- Agents needed per half-hour from a forecast run, with the settings that sized them (so a
-- what-if can start from the same baseline). model: erlang-a where the queue's history shows
-- abandonment (patience_s from its own abandons), erlang-c otherwise.
CREATE TABLE IF NOT EXISTS staffing_requirements (
  run_id            String,
  queue             LowCardinality(String),
  channel           LowCardinality(String),
  interval_start    DateTime('UTC'),
  volume            Float64,
  aht               Float64,
  required          UInt32,
  scheduled_needed  UInt32,
  expected_sl       Float64,
  asa               Float64,
  occupancy         Float64,
  abandon           Float64,
  target_met        Bool,
  model             LowCardinality(String),
  threshold_s       Float64,
  sl_target         Float64,
  max_occupancy     Float64,
  shrinkage         Float64,
  patience_s        Nullable(Float64)
) ENGINE = MergeTree
PARTITION BY toYYYYMM(interval_start)
ORDER BY (queue, channel, run_id, interval_start);
