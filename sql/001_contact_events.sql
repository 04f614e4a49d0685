-- Raw contact lifecycle events (contact.queued / answered / abandoned / completed).
-- ReplacingMergeTree on a key that includes event_id: a redelivered event is byte-identical,
-- so it shares the key and collapses; exact reads use FINAL (see docs/ingestion.md for why).
-- Only contact.queued carries queue and channel; the other events join on contact_id.
CREATE TABLE IF NOT EXISTS contact_events (
  event_id      UUID,
  type          LowCardinality(String),
  occurred_at   DateTime64(3, 'UTC'),
  contact_id    String,
  queue         LowCardinality(String),
  channel       LowCardinality(String),
  customer_id   String,
  reason        LowCardinality(String),
  agent_id      String,
  talk_s        Float64,
  hold_s        Float64,
  wrap_s        Float64,
  transferred   Nullable(Bool),
  resolved      Nullable(Bool),
  extra         String,
  _source       LowCardinality(String),
  _topic        LowCardinality(String),
  _partition    Int32,
  _offset       Int64,
  _request_id   String,
  _ingested_at  DateTime64(3, 'UTC') DEFAULT now64(3)
) ENGINE = ReplacingMergeTree
PARTITION BY toYYYYMM(occurred_at)
ORDER BY (queue, occurred_at, event_id)
SETTINGS non_replicated_deduplication_window = 1000;
