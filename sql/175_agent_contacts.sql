-- The contact facts the live agents view needs, kept by a materialized view so that
-- GET /v1/agents reads one narrow row per contact and day instead of every contact event:
-- the queue and queue time (only contact.queued carries them), and the first answer and the
-- first completion, each as the text "<occurred_at as YYYY-MM-DD hh:mm:ss.sss><agent_id>". The
-- time is fixed-width, so the least text is the earliest event and names its agent (a `min` of a
-- string is far cheaper to merge than a min of a tuple or an argMin state). Every field is a
-- `min` or an `any` of a value only contact.queued carries, so late and redelivered events merge
-- to the same row in any order. Rows are keyed by the day each event occurred, like
-- contact_state; the reader merges a contact's days with GROUP BY contact_id (src/agents/current.ts).
CREATE TABLE IF NOT EXISTS agent_contacts (
  day         Date,
  contact_id  String,
  queue       SimpleAggregateFunction(any, LowCardinality(Nullable(String))),
  queued_at   SimpleAggregateFunction(min, Nullable(DateTime64(3, 'UTC'))),
  answered    SimpleAggregateFunction(min, Nullable(String)),
  completed   SimpleAggregateFunction(min, Nullable(String))
) ENGINE = AggregatingMergeTree
PARTITION BY toYYYYMM(day)
ORDER BY (day, contact_id);

CREATE MATERIALIZED VIEW IF NOT EXISTS agent_contacts_mv TO agent_contacts AS
SELECT
  toDate(occurred_at) AS day,
  contact_id,
  if(type = 'contact.queued', queue, NULL) AS queue,
  if(type = 'contact.queued', occurred_at, NULL) AS queued_at,
  if(type = 'contact.answered' AND agent_id != '', concat(toString(occurred_at), agent_id), NULL) AS answered,
  if(type = 'contact.completed' AND agent_id != '', concat(toString(occurred_at), agent_id), NULL) AS completed
FROM contact_events
WHERE type IN ('contact.queued', 'contact.answered', 'contact.completed');

-- The last eight days of contacts stored before this migration (the view reads at most three
-- days back; an event also caught by the view changes nothing).
INSERT INTO agent_contacts
SELECT
  toDate(occurred_at), contact_id,
  if(type = 'contact.queued', queue, NULL),
  if(type = 'contact.queued', occurred_at, NULL),
  if(type = 'contact.answered' AND agent_id != '', concat(toString(occurred_at), agent_id), NULL),
  if(type = 'contact.completed' AND agent_id != '', concat(toString(occurred_at), agent_id), NULL)
FROM contact_events
WHERE type IN ('contact.queued', 'contact.answered', 'contact.completed') AND occurred_at >= now() - INTERVAL 8 DAY;
