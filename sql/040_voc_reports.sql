-- Weekly voice-of-customer reports as produced: one row per ISO week × queue filter ('' = all
-- queues), the newest production kept (ReplacingMergeTree on created_at; reads use FINAL).
-- The JSON body is the report; HTML and Markdown are rendered from it when asked for.
CREATE TABLE IF NOT EXISTS voc_reports (
  week        LowCardinality(String),
  queue       String,
  week_start  DateTime64(3, 'UTC'),
  time_zone   String,
  created_at  DateTime64(3, 'UTC'),
  trigger     LowCardinality(String),
  body        String
) ENGINE = ReplacingMergeTree(created_at)
ORDER BY (week, queue);
