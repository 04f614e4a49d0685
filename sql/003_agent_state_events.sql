-- Raw agent state changes; an agent is in a state from occurred_at until its next event.
CREATE TABLE IF NOT EXISTS agent_state_events (
  event_id      UUID,
  occurred_at   DateTime64(3, 'UTC'),
  agent_id      String,
  state         LowCardinality(String),
  queues        Array(LowCardinality(String)),
  extra         String,
  _source       LowCardinality(String),
  _topic        LowCardinality(String),
  _partition    Int32,
  _offset       Int64,
  _request_id   String,
  _ingested_at  DateTime64(3, 'UTC') DEFAULT now64(3)
) ENGINE = ReplacingMergeTree
PARTITION BY toYYYYMM(occurred_at)
ORDER BY (agent_id, occurred_at, event_id)
SETTINGS non_replicated_deduplication_window = 1000;
