-- One row per contact (after merges): the facts every metric needs, collected from the
-- contact's events whatever order they arrive in and however often. Each field is an
-- order-free, duplicate-free aggregate (min of a time, any of a value only one event type
-- carries), so a redelivered or late event cannot change a figure. Rows are keyed by the day
-- each event occurred so that a time range reads only its days; a contact whose events span
-- midnight has one row per day, merged again at query time (GROUP BY contact_id).
CREATE TABLE IF NOT EXISTS contact_state (
  day           Date,
  contact_id    String,
  queue         SimpleAggregateFunction(any, Nullable(String)),
  channel       SimpleAggregateFunction(any, Nullable(String)),
  customer_id   SimpleAggregateFunction(any, Nullable(String)),
  queued_reason SimpleAggregateFunction(any, Nullable(String)),
  queued_at     SimpleAggregateFunction(min, Nullable(DateTime64(3, 'UTC'))),
  answered_at   SimpleAggregateFunction(min, Nullable(DateTime64(3, 'UTC'))),
  abandoned_at  SimpleAggregateFunction(min, Nullable(DateTime64(3, 'UTC'))),
  completed_at  SimpleAggregateFunction(min, Nullable(DateTime64(3, 'UTC'))),
  talk_s        SimpleAggregateFunction(any, Nullable(Float64)),
  hold_s        SimpleAggregateFunction(any, Nullable(Float64)),
  wrap_s        SimpleAggregateFunction(any, Nullable(Float64)),
  transferred   SimpleAggregateFunction(max, UInt8),
  done_reason   SimpleAggregateFunction(any, Nullable(String))
) ENGINE = AggregatingMergeTree
PARTITION BY toYYYYMM(day)
ORDER BY (day, contact_id);

CREATE MATERIALIZED VIEW IF NOT EXISTS contact_state_mv TO contact_state AS
SELECT
  toDate(occurred_at) AS day,
  contact_id,
  if(type = 'contact.queued', queue, NULL) AS queue,
  if(type = 'contact.queued', channel, NULL) AS channel,
  if(type = 'contact.queued' AND customer_id != '', customer_id, NULL) AS customer_id,
  if(type = 'contact.queued' AND reason != '', reason, NULL) AS queued_reason,
  if(type = 'contact.queued', occurred_at, NULL) AS queued_at,
  if(type = 'contact.answered', occurred_at, NULL) AS answered_at,
  if(type = 'contact.abandoned', occurred_at, NULL) AS abandoned_at,
  if(type = 'contact.completed', occurred_at, NULL) AS completed_at,
  if(type = 'contact.completed', talk_s, NULL) AS talk_s,
  if(type = 'contact.completed', hold_s, NULL) AS hold_s,
  if(type = 'contact.completed', wrap_s, NULL) AS wrap_s,
  toUInt8(type = 'contact.completed' AND ifNull(transferred, false)) AS transferred,
  if(type = 'contact.completed' AND reason != '', reason, NULL) AS done_reason
FROM contact_events;

-- Contacts stored before this migration.
INSERT INTO contact_state
SELECT
  toDate(occurred_at), contact_id,
  if(type = 'contact.queued', queue, NULL),
  if(type = 'contact.queued', channel, NULL),
  if(type = 'contact.queued' AND customer_id != '', customer_id, NULL),
  if(type = 'contact.queued' AND reason != '', reason, NULL),
  if(type = 'contact.queued', occurred_at, NULL),
  if(type = 'contact.answered', occurred_at, NULL),
  if(type = 'contact.abandoned', occurred_at, NULL),
  if(type = 'contact.completed', occurred_at, NULL),
  if(type = 'contact.completed', talk_s, NULL),
  if(type = 'contact.completed', hold_s, NULL),
  if(type = 'contact.completed', wrap_s, NULL),
  toUInt8(type = 'contact.completed' AND ifNull(transferred, false)),
  if(type = 'contact.completed' AND reason != '', reason, NULL)
FROM contact_events;
