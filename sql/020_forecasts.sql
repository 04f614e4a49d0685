-- Half-hour forecasts, one row per run × queue × channel × interval (UTC half-hours). A run
-- never rewrites another run's rows; readers pick the run (latest by default).
CREATE TABLE IF NOT EXISTS forecasts (
  run_id          String,
  queue           LowCardinality(String),
  channel         LowCardinality(String),
  interval_start  DateTime('UTC'),
  volume          Float64,
  aht             Float64,
  lo80            Float64,
  hi80            Float64,
  lo95            Float64,
  hi95            Float64,
  model           LowCardinality(String)
) ENGINE = MergeTree
PARTITION BY toYYYYMM(interval_start)
ORDER BY (queue, channel, run_id, interval_start);
