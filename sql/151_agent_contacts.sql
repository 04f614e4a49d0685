-- Per contact and day, what the live agents view needs of a contact: its queue and queue time,
-- and its first answer and first completion each with the agent named (the earliest
-- (occurred_at, agent_id) of that event type; '2299-12-31' when the day has none). Order- and
-- duplicate-free aggregates, like contact_state, kept by a materialized view over contact_events.
CREATE TABLE IF NOT EXISTS agent_contacts (
  day        Date,
  contact_id String,
  queue      SimpleAggregateFunction(any, Nullable(String)),
  queued_at  SimpleAggregateFunction(min, DateTime64(3, 'UTC')),
  answered   SimpleAggregateFunction(min, Tuple(DateTime64(3, 'UTC'), String)),
  completed  SimpleAggregateFunction(min, Tuple(DateTime64(3, 'UTC'), String))
) ENGINE = AggregatingMergeTree
PARTITION BY toYYYYMM(day)
ORDER BY (day, contact_id);

CREATE MATERIALIZED VIEW IF NOT EXISTS agent_contacts_mv TO agent_contacts AS
SELECT
  toDate(occurred_at) AS day,
  contact_id,
  if(type = 'contact.queued', queue, NULL) AS queue,
  if(type = 'contact.queued', occurred_at, toDateTime64('2299-12-31 00:00:00', 3, 'UTC')) AS queued_at,
  if(type = 'contact.answered' AND agent_id != '', (occurred_at, agent_id),
    (toDateTime64('2299-12-31 00:00:00', 3, 'UTC'), '')) AS answered,
  if(type = 'contact.completed' AND agent_id != '', (occurred_at, agent_id),
    (toDateTime64('2299-12-31 00:00:00', 3, 'UTC'), '')) AS completed
FROM contact_events
WHERE type IN ('contact.queued', 'contact.answered', 'contact.completed');

-- Contacts stored before this migration.
INSERT INTO agent_contacts
SELECT
  toDate(occurred_at), contact_id,
  if(type = 'contact.queued', queue, NULL),
  if(type = 'contact.queued', occurred_at, toDateTime64('2299-12-31 00:00:00', 3, 'UTC')),
  if(type = 'contact.answered' AND agent_id != '', (occurred_at, agent_id),
    (toDateTime64('2299-12-31 00:00:00', 3, 'UTC'), '')),
  if(type = 'contact.completed' AND agent_id != '', (occurred_at, agent_id),
    (toDateTime64('2299-12-31 00:00:00', 3, 'UTC'), ''))
FROM contact_events
WHERE type IN ('contact.queued', 'contact.answered', 'contact.completed');
