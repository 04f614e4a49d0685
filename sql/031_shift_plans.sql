-- The last shift plan solved per queue and week (Monday, UTC); the plan JSON as returned by
-- POST /v1/schedule/solve. ReplacingMergeTree keeps the newest solve; reads use FINAL.
CREATE TABLE IF NOT EXISTS shift_plans (
  queue      String,
  week       Date,
  channel    String,
  run_id     String,
  solved_at  DateTime64(3, 'UTC'),
  patterns   String,
  plan       String
) ENGINE = ReplacingMergeTree(solved_at)
ORDER BY (queue, week);
