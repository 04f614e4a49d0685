-- Raw survey answers. nps 0–10, csat 1–5, fcr: resolved on first contact; NULL = not asked.
CREATE TABLE IF NOT EXISTS survey_events (
  event_id      UUID,
  occurred_at   DateTime64(3, 'UTC'),
  contact_id    String,
  nps           Nullable(UInt8),
  csat          Nullable(UInt8),
  fcr           Nullable(Bool),
  comment       String,
  extra         String,
  _source       LowCardinality(String),
  _topic        LowCardinality(String),
  _partition    Int32,
  _offset       Int64,
  _request_id   String,
  _ingested_at  DateTime64(3, 'UTC') DEFAULT now64(3)
) ENGINE = ReplacingMergeTree
PARTITION BY toYYYYMM(occurred_at)
ORDER BY (occurred_at, event_id)
SETTINGS non_replicated_deduplication_window = 1000;
