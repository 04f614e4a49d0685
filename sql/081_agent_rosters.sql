-- Published rosters: named agents assigned to shifts of a queue's week (POST
-- /v1/schedules/:id/roster). Every publication is a new version and never overwrites an earlier
-- one; adherence reads the latest version unless asked for another. `assignments` is the JSON
-- array of {agent_id, skills, date, start, end, breaks} as published.
CREATE TABLE IF NOT EXISTS agent_rosters (
  queue         String,
  week          Date,
  version       UInt32,
  published_at  DateTime64(3, 'UTC'),
  published_by  String,
  assignments   String
) ENGINE = ReplacingMergeTree
ORDER BY (queue, week, version);
