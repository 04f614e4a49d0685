// Agent time (occupancy, docs/spec.md): seconds agents spent busy (on a contact or wrapping up)
// and available, split at half-hour borders. An agent is in a state from its event until its next
// one, for at most a day, so a half-hour's agent time depends only on the events of the day before
// it and of the half-hour itself, whatever range asked for it: that is what lets the rollup
// (agent_time_rollup, sql/160) store it per half-hour and stay equal to the from-scratch figure.
//
// Three variants share the text: one queue (or all, {queue:String} = '') per local half-hour, as
// GET /v1/metrics reads it; by queue, rows per (queue, half-hour) of {queues:Array(String)}, as the
// wallboard reads them; and the rollup's rows per (UTC half-hour, queue key) with '' for every
// agent once. Values only ever arrive as query parameters.

type Variant = 'one' | 'byQueue' | 'rollup';

/** A state lasts until the agent's next event, at most this long. */
export const STATE_MAX_DAYS = 1;

function agentTimeSql(variant: Variant): string {
  const queueKey =
    variant === 'byQueue'
      ? `arrayJoin(arrayFilter(x -> has({queues:Array(String)}, x), arrayDistinct(qs))) AS aq, `
      : variant === 'rollup'
        ? // '' is every agent once (all queues); queue names are never empty.
          `arrayJoin(arrayConcat([''], arrayDistinct(qs))) AS aq, `
        : '';
  const queueWhere =
    variant === 'byQueue'
      ? `AND hasAny(qs, {queues:Array(String)})`
      : variant === 'rollup'
        ? ''
        : `AND ({queue:String} = '' OR has(qs, {queue:String}))`;
  const offset = variant === 'rollup' ? '0' : `timeZoneOffset(toDateTime(cs, {tz:String})) * 1000`;
  const busy = `sumIf(least(ce_ms, bucket + 1800000) - greatest(cs_ms, bucket), s != 'available')`;
  const available = `sumIf(least(ce_ms, bucket + 1800000) - greatest(cs_ms, bucket), s = 'available')`;
  const select =
    variant === 'rollup'
      ? `SELECT toInt64(bucket) AS bucket, toUInt8(0) AS is_roll, aq AS queue, {gen:Int64} AS gen,
  toInt64(${busy}) AS busy_ms, toInt64(${available}) AS available_ms
FROM pieces
GROUP BY bucket, queue
UNION ALL
SELECT toInt64(b) AS bucket, toUInt8(1) AS is_roll, '' AS queue, {gen:Int64} AS gen, toInt64(0) AS busy_ms, toInt64(0) AS available_ms
FROM (SELECT arrayJoin(range(toUnixTimestamp64Milli({from:DateTime64(3)}), toUnixTimestamp64Milli({end:DateTime64(3)}), 1800000)) AS b)`
      : `SELECT ${variant === 'byQueue' ? 'aq AS queue, ' : ''}bucket,
  ${busy} / 1000 AS busy_s,
  ${available} / 1000 AS available_s
FROM pieces
GROUP BY ${variant === 'byQueue' ? 'queue, ' : ''}bucket
ORDER BY ${variant === 'byQueue' ? 'queue, ' : ''}bucket`;
  return `
WITH
ev AS (
  SELECT agent_id, event_id, any(occurred_at) AS t, any(state) AS s, any(queues) AS qs
  FROM agent_state_events
  WHERE occurred_at >= {from:DateTime64(3)} - INTERVAL ${STATE_MAX_DAYS} DAY AND occurred_at < {end:DateTime64(3)}
  GROUP BY agent_id, event_id
),
sp AS (
  SELECT s, qs,
    greatest(t, {from:DateTime64(3)}) AS cs,
    least(leadInFrame(t, 1, {end:DateTime64(3)}) OVER (PARTITION BY agent_id ORDER BY t, event_id ROWS BETWEEN CURRENT ROW AND 1 FOLLOWING),
      t + INTERVAL ${STATE_MAX_DAYS} DAY, {end:DateTime64(3)}) AS ce
  FROM ev
),
pieces AS (
  SELECT s, ${queueKey}toUnixTimestamp64Milli(cs) AS cs_ms, toUnixTimestamp64Milli(ce) AS ce_ms,
    ${offset} AS off,
    arrayJoin(range(toUInt64(intDiv(cs_ms + off, 1800000) * 1800000 - off), toUInt64(ce_ms), 1800000)) AS bucket
  FROM sp
  WHERE ce > cs AND s IN ('on_contact', 'wrap_up', 'available')
    ${queueWhere}
)
${select}
`;
}

/** Busy and available seconds per local half-hour of [{from}, {end}) for {queue} (or all agents, ''). */
export const AGENT_TIME_SQL = agentTimeSql('one');
/** Per (queue, half-hour): an agent's time counts in each of the {queues} it serves. */
export const AGENT_TIME_BY_QUEUE_SQL = agentTimeSql('byQueue');
/**
 * Rows of agent_time_rollup for the UTC half-hours of [{from}, {end}) under generation {gen}: busy
 * and available milliseconds per (half-hour, queue) and per half-hour for every agent once
 * (queue ''), plus one marker row per half-hour.
 */
export const AGENT_ROLLUP_SQL = agentTimeSql('rollup');

/**
 * Rolled half-hours of [{from_ms}, {to_ms}) with the agent time of {queue} ('' = every agent once),
 * from each half-hour's newest generation; a rolled half-hour without agent time reads 0.
 */
export const AGENT_ROLLUP_READ_SQL = `
WITH latest AS (
  SELECT bucket, max(gen) AS g FROM agent_time_rollup
  WHERE is_roll = 1 AND bucket >= {from_ms:Int64} AND bucket < {to_ms:Int64}
  GROUP BY bucket
)
SELECT latest.bucket AS bucket, r.busy_ms / 1000 AS busy_s, r.available_ms / 1000 AS available_s
FROM latest
LEFT JOIN (
  SELECT bucket, gen, busy_ms, available_ms FROM agent_time_rollup
  WHERE is_roll = 0 AND queue = {queue:String} AND bucket >= {from_ms:Int64} AND bucket < {to_ms:Int64}
) AS r ON r.bucket = latest.bucket AND r.gen = latest.g
ORDER BY bucket`;

/**
 * The rolled half-hours (before {settled_to_ms}) that agent events written since the last re-roll
 * can change: from each event's time until the agent's next event, at most a day later (the
 * previous state now ends there, and the new one runs until then).
 */
export const AGENT_TOUCHED_SQL = `
WITH t AS (
  SELECT DISTINCT agent_id, at FROM agent_rollup_touches
  WHERE touched_at > {after:DateTime64(3)} AND touched_at <= {upto:DateTime64(3)}
    AND toUnixTimestamp64Milli(at) < {settled_to_ms:Int64}
),
e AS (
  SELECT agent_id, arraySort(groupArray(occurred_at)) AS ts FROM agent_state_events
  WHERE agent_id IN (SELECT agent_id FROM t)
    AND occurred_at > (SELECT min(at) FROM t) AND occurred_at <= (SELECT max(at) FROM t) + INTERVAL ${STATE_MAX_DAYS} DAY
  GROUP BY agent_id
)
SELECT toUnixTimestamp64Milli(t.at) AS from_ms,
  toUnixTimestamp64Milli(least(t.at + INTERVAL ${STATE_MAX_DAYS} DAY,
    arrayFirst(x -> x > t.at, arrayPushBack(e.ts, t.at + INTERVAL ${STATE_MAX_DAYS} DAY)))) AS to_ms
FROM t LEFT JOIN e ON e.agent_id = t.agent_id`;
