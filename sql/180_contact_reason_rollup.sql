-- The contact rollup by contact reason, for the dashboards' "by contact reason" table
-- (docs/dashboards.md): the columns of contact_rollup (sql/090) with `reason` after `version`,
-- per (UTC half-hour, queue, channel, settings version, reason). Rolled by dashboards/lib/reason-rollup.ts
-- with the rollup's own per-contact SQL, for every half-hour whose newest contact_rollup marker is
-- newer than its own, so it follows the contact rollup's settle and re-roll rule. As there, each
-- roll of a half-hour writes its rows under a new generation plus one marker row (is_roll = 1),
-- and readers take only the rows of the newest marker's generation.
CREATE TABLE IF NOT EXISTS contact_reason_rollup (
  bucket              Int64,
  is_roll             UInt8,
  queue               LowCardinality(String),
  channel             LowCardinality(String),
  version             UInt32,
  reason              String,
  gen                 Int64,
  rolled_now          DateTime64(3, 'UTC'),
  settings_key        Array(UInt32),
  offered             UInt64,
  answered            UInt64,
  answered_within_t   UInt64,
  short_abandons      UInt64,
  abandoned           UInt64,
  abandoned_within_t  UInt64,
  abandoned_after_t   UInt64,
  waiting             UInt64,
  wait_ms             Int64,
  handled             UInt64,
  talk_s              Float64,
  hold_s              Float64,
  wrap_s              Float64,
  transferred         UInt64,
  nps_n               UInt64,
  promoters           UInt64,
  detractors          UInt64,
  csat_n              UInt64,
  csat_4_5            UInt64,
  fcr_n               UInt64,
  fcr_yes             UInt64,
  fcr_closed          UInt64,
  fcr_closed_resolved UInt64,
  fcr_open            Array(Tuple(DateTime64(3, 'UTC'), UInt8))
) ENGINE = ReplacingMergeTree(gen)
ORDER BY (bucket, is_roll, queue, channel, version, reason);
