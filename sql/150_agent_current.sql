-- The current state of every agent, kept by a materialized view so the live agents view reads a
-- few rows per agent instead of a day of state history: per agent and state, its latest event as
-- (occurred_at, event_id, queues) — the order in which a later event wins everywhere else. The
-- agent's latest state is the state of its greatest row; the newest event of any other state
-- bounds the run of the latest state, whose first event the reader then finds in
-- agent_state_events after that bound (src/agents/current.ts). `max` merges in any order and a
-- redelivered event changes nothing, so late and duplicate events give the raw table's answer.
CREATE TABLE IF NOT EXISTS agent_current (
  agent_id  String,
  state     LowCardinality(String),
  latest    SimpleAggregateFunction(max, Tuple(DateTime64(3, 'UTC'), UUID, Array(String)))
) ENGINE = AggregatingMergeTree
ORDER BY (agent_id, state);

CREATE MATERIALIZED VIEW IF NOT EXISTS agent_current_mv TO agent_current AS
SELECT agent_id, state, (occurred_at, event_id, CAST(queues, 'Array(String)')) AS latest
FROM agent_state_events;

-- States stored before this migration (an event also caught by the view changes nothing).
INSERT INTO agent_current
SELECT agent_id, state, (occurred_at, event_id, CAST(queues, 'Array(String)'))
FROM agent_state_events;
