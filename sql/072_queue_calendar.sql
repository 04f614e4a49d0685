-- Per-queue calendar of holidays and events, versioned: each day's entry is a new row per change
-- (who, when, the previous entry); the highest version of a (queue, day) is in force. kind:
-- 'closed' (the queue forecasts exactly 0 that local day), 'event' (the forecast × multiplier),
-- 'none' (an entry removed).
CREATE TABLE IF NOT EXISTS queue_calendar (
  queue       String,
  day         Date,
  version     UInt32,
  kind        LowCardinality(String),
  multiplier  Float64,
  reason      String,
  changed_at  DateTime64(3, 'UTC'),
  changed_by  String,
  previous    String
) ENGINE = ReplacingMergeTree(version)
ORDER BY (queue, day);
