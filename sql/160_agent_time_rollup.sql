-- Agent time of settled half-hours (docs/metrics.md, "Rollup of settled half-hours"): busy and
-- available milliseconds per (UTC half-hour, queue), and per half-hour for every agent once
-- (queue ''), written by the re-roll step (src/metrics/rollup.ts) with the same SQL as the
-- from-scratch occupancy (src/metrics/agent-time-sql.ts). As in contact_rollup, each re-roll of a
-- half-hour writes its rows under a new generation plus one marker row (is_roll = 1); readers take
-- only the rows of the newest marker's generation.
CREATE TABLE IF NOT EXISTS agent_time_rollup (
  bucket        Int64,
  is_roll       UInt8,
  queue         LowCardinality(String),
  gen           Int64,
  busy_ms       Int64,
  available_ms  Int64
) ENGINE = ReplacingMergeTree(gen)
ORDER BY (bucket, is_roll, queue);

-- What touched an agent's time since the last re-roll: every agent state event, written by the
-- materialized view below in the same insert as the event.
CREATE TABLE IF NOT EXISTS agent_rollup_touches (
  agent_id    String,
  at          DateTime64(3, 'UTC'),
  touched_at  DateTime64(3, 'UTC')
) ENGINE = MergeTree
ORDER BY touched_at
TTL toDateTime(touched_at) + INTERVAL 2 DAY;

CREATE MATERIALIZED VIEW IF NOT EXISTS agent_rollup_touches_mv TO agent_rollup_touches AS
SELECT agent_id, occurred_at AS at, now64(3) AS touched_at
FROM agent_state_events;
