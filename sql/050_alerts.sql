-- Alert rules per queue (overrides of the built-in defaults) and alert episodes.
-- Rules: every change is a new row; the latest per queue (by updated_at) is in force.
CREATE TABLE IF NOT EXISTS alert_rules (
  queue       String,
  updated_at  DateTime64(3, 'UTC'),
  updated_by  String,
  rules       String
) ENGINE = ReplacingMergeTree(updated_at)
ORDER BY queue;

-- One row per episode: written when it opens, rewritten (same id, later version) when it
-- resolves; read with FINAL.
CREATE TABLE IF NOT EXISTS alert_episodes (
  id           String,
  queue        String,
  rule         LowCardinality(String),
  subject      String,
  opened_at    DateTime64(3, 'UTC'),
  resolved_at  Nullable(DateTime64(3, 'UTC')),
  message      String,
  opened_value String,
  last_value   String,
  version      UInt64
) ENGINE = ReplacingMergeTree(version)
PARTITION BY toYYYYMM(opened_at)
ORDER BY (opened_at, id);
