-- The rollup of settled half-hours (docs/metrics.md, "Rollup of settled half-hours"): the additive
-- contact counts per (UTC half-hour, queue, channel, settings version), written by the re-roll
-- step (src/metrics/rollup.ts) with the same per-contact SQL as the from-scratch figures.
-- Each re-roll of a half-hour writes all of its rows under a new generation `gen`, plus one marker
-- row (is_roll = 1) that says the half-hour is rolled, by which generation and as of which `now`.
-- Readers take only the rows of the newest marker's generation, so rows a re-roll no longer
-- produces (a contact that moved half-hour, channel or settings version) are simply not read;
-- rows of the same key from older generations are merged away.
CREATE TABLE IF NOT EXISTS contact_rollup (
  bucket              Int64,
  is_roll             UInt8,
  queue               LowCardinality(String),
  channel             LowCardinality(String),
  version             UInt32,
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
ORDER BY (bucket, is_roll, queue, channel, version);

-- What touched a contact since the last re-roll: every contact and survey event, written by the
-- materialized views below in the same insert as the event. The re-roll step turns them into the
-- half-hours to roll again (the contact's queued half-hours, and those of the earlier contacts of
-- the same customer whose repeat-contact FCR a new contact can change).
CREATE TABLE IF NOT EXISTS rollup_touches (
  contact_id   String,
  customer_id  String,
  at           DateTime64(3, 'UTC'),
  queued       UInt8,
  touched_at   DateTime64(3, 'UTC')
) ENGINE = MergeTree
ORDER BY touched_at
TTL toDateTime(touched_at) + INTERVAL 2 DAY;

CREATE MATERIALIZED VIEW IF NOT EXISTS rollup_touches_contacts_mv TO rollup_touches AS
SELECT contact_id, if(type = 'contact.queued', customer_id, '') AS customer_id, occurred_at AS at,
  toUInt8(type = 'contact.queued') AS queued, now64(3) AS touched_at
FROM contact_events;

CREATE MATERIALIZED VIEW IF NOT EXISTS rollup_touches_surveys_mv TO rollup_touches AS
SELECT contact_id, '' AS customer_id, occurred_at AS at, toUInt8(0) AS queued, now64(3) AS touched_at
FROM survey_events;

-- One row per finished re-roll: touches up to `started_at` are resolved; the half-hours of
-- [settled_from, settled_to) (epoch ms) are rolled.
CREATE TABLE IF NOT EXISTS rollup_runs (
  started_at    DateTime64(3, 'UTC'),
  settled_from  Int64,
  settled_to    Int64,
  buckets     UInt32,
  seconds     Float64
) ENGINE = MergeTree
ORDER BY started_at;
