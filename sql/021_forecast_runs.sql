-- One row per run × queue × channel × model: that model's backtest WAPE and MASE on the
-- series' own history, whether the ensemble used it (weight), and the run's bookkeeping.
-- origin = first forecast interval (end of the history read); status ok | failed.
CREATE TABLE IF NOT EXISTS forecast_runs (
  run_id          String,
  queue           LowCardinality(String),
  channel         LowCardinality(String),
  model           LowCardinality(String),
  wape            Nullable(Float64),
  mase            Nullable(Float64),
  weight          Float64,
  ensemble        String,
  history_start   DateTime('UTC'),
  origin          DateTime('UTC'),
  horizon         UInt32,
  backtest_origins UInt8,
  backtest_horizon UInt32,
  started_at      DateTime64(3, 'UTC'),
  finished_at     DateTime64(3, 'UTC'),
  status          LowCardinality(String),
  error           String
) ENGINE = MergeTree
ORDER BY (queue, channel, run_id, model);
