-- Per-queue settings, versioned: every change is a new row (who, when, from when, the old
-- values) and never overwrites history. Version 0 (the defaults) is implicit.
CREATE TABLE IF NOT EXISTS queue_settings (
  queue            String,
  version          UInt32,
  effective_from   DateTime64(3, 'UTC'),
  changed_at       DateTime64(3, 'UTC'),
  changed_by       String,
  threshold_s      UInt32,
  sl_target        Float64,
  short_abandon_s  UInt32,
  sl_formula       LowCardinality(String),
  fcr_window_days  UInt16,
  time_zone        String,
  opening_hours    String,
  previous         String
) ENGINE = ReplacingMergeTree
ORDER BY (queue, version);

-- Every queue that has ever been offered a contact, kept small for GET /v1/queues.
CREATE TABLE IF NOT EXISTS queues_seen (
  queue       String,
  first_seen  SimpleAggregateFunction(min, DateTime64(3, 'UTC')),
  last_seen   SimpleAggregateFunction(max, DateTime64(3, 'UTC'))
) ENGINE = AggregatingMergeTree
ORDER BY queue;

CREATE MATERIALIZED VIEW IF NOT EXISTS queues_seen_mv TO queues_seen AS
SELECT queue, min(occurred_at) AS first_seen, max(occurred_at) AS last_seen
FROM contact_events WHERE type = 'contact.queued' GROUP BY queue;

INSERT INTO queues_seen
SELECT queue, min(occurred_at), max(occurred_at) FROM contact_events WHERE type = 'contact.queued' GROUP BY queue;
