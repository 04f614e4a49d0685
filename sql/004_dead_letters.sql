-- Every payload that failed validation, byte for byte, with why and where it came from.
-- Keyed by source position so a redelivered poison message is stored once.
CREATE TABLE IF NOT EXISTS dead_letters (
  received_at   DateTime64(3, 'UTC'),
  error         String,
  raw           String,
  event_id      String,
  type          LowCardinality(String),
  _source       LowCardinality(String),
  _topic        LowCardinality(String),
  _partition    Int32,
  _offset       Int64,
  _request_id   String,
  _item         UInt32
) ENGINE = ReplacingMergeTree
PARTITION BY toYYYYMM(received_at)
ORDER BY (_source, _topic, _partition, _offset, _request_id, _item)
SETTINGS non_replicated_deduplication_window = 1000;
