// Contact figures per local half-hour, by the half-hour in which each contact was queued.
// Read from contact_state (one row per contact after GROUP BY, whatever the event order or
// duplicates); surveys are de-duplicated by event_id; repeat contacts are looked up by
// customer across every queue and channel. Values only ever arrive as query parameters.
//
// Two variants share the text: one queue (or all, {queue:String} = '') summed per half-hour,
// as GET /v1/metrics reads it; and by queue, rows per (queue, half-hour) of the queues in
// {queues:Array(String)}, as the wallboard reads every queue of one time zone in one query.
// Only fixed SQL fragments differ between them; no value is ever put in the text.
// The additive components of every contact figure (docs/metrics.md), one definition each, as
// aggregates over per-contact rows with the columns is_answered, wait (s), wait_msec, thr (T),
// is_gave_up, ab_wait (s), short (S), is_handled, talk, hold, wrap, xfer. The API's half-hour
// figures, the rollup and the dashboards all sum these; ratios are formed from the sums only.
export const CONTACT_COMPONENTS = {
  offered: 'count()',
  answered: 'countIf(is_answered)',
  answered_within_t: 'countIf(is_answered AND wait <= thr)',
  short_abandons: 'countIf(is_gave_up AND ab_wait < short)',
  abandoned: 'countIf(is_gave_up AND ab_wait >= short)',
  abandoned_within_t: 'countIf(is_gave_up AND ab_wait >= short AND ab_wait <= thr)',
  abandoned_after_t: 'countIf(is_gave_up AND ab_wait >= short AND ab_wait > thr)',
  waiting: 'countIf(NOT is_answered AND NOT is_gave_up AND NOT is_handled)',
  /** Waits are summed in whole milliseconds, so any grouping of contacts gives the same sum. */
  wait_ms: 'sumIf(wait_msec, is_answered)',
  handled: 'countIf(is_handled)',
  talk_s: 'sumIf(talk, is_handled)',
  hold_s: 'sumIf(hold, is_handled)',
  wrap_s: 'sumIf(wrap, is_handled)',
  transferred: 'countIf(is_handled AND xfer = 1)',
} as const;

/**
 * One contact's survey counts (s_*) over its de-duplicated survey rows (columns nps, csat, fcr):
 * NPS promoters 9–10, detractors 0–6; CSAT 4–5 of 1–5; survey FCR yes.
 */
export const SURVEY_PER_CONTACT = `countIf(nps IS NOT NULL) AS s_nps_n, countIf(nps >= 9) AS s_promoters, countIf(nps <= 6) AS s_detractors,
    countIf(csat IS NOT NULL) AS s_csat_n, countIf(csat >= 4) AS s_csat_4_5,
    countIf(fcr IS NOT NULL) AS s_fcr_n, countIf(fcr) AS s_fcr_yes`;

// Survey components, from per-contact survey counts (s_*).
const SURVEY_COMPONENTS = `sum(s_nps_n) AS nps_n, sum(s_promoters) AS promoters, sum(s_detractors) AS detractors,
  sum(s_csat_n) AS csat_n, sum(s_csat_4_5) AS csat_4_5, sum(s_fcr_n) AS fcr_n, sum(s_fcr_yes) AS fcr_yes`;

/** Repeat-contact FCR applies to handled contacts with a customer id; its window closes at completion + the FCR window. */
const FCR_SUBJECT = `is_handled AND customer != ''`;
const FCR_CLOSE = `c + toIntervalDay(win)`;

const components = () =>
  Object.entries(CONTACT_COMPONENTS)
    .map(([name, expr]) => `${expr} AS ${name}`)
    .join(',\n  ');

function figuresSelect(byQueue: boolean): string {
  return `SELECT
  ${byQueue ? `assumeNotNull(cq) AS queue, ` : ''}bucket,
  ${components()},
  wait_ms / 1000 AS wait_s,
  maxIf(wait, is_answered) AS max_wait_s,
  ${SURVEY_COMPONENTS},
  countIf(${FCR_SUBJECT} AND ${FCR_CLOSE} <= {now:DateTime64(3)}) AS fcr_repeat_eligible,
  countIf(${FCR_SUBJECT} AND ${FCR_CLOSE} <= {now:DateTime64(3)} AND NOT repeated) AS fcr_repeat_resolved,
  countIf(${FCR_SUBJECT} AND ${FCR_CLOSE} > {now:DateTime64(3)}) AS fcr_repeat_pending,
  groupUniqArray(ver) AS versions
FROM c2
GROUP BY ${byQueue ? 'queue, ' : ''}bucket
ORDER BY ${byQueue ? 'queue, ' : ''}bucket`;
}

/**
 * The settings versions of queue `queue` in force at some instant of the UTC half-hour starting at
 * `bucket` (epoch ms), from the {sv_*} arrays: the one in force at its start, then any that take
 * effect inside it. A rolled (queue, half-hour) is stale when this differs from what it was rolled with.
 */
export function settingsKeySql(queue: string, bucket: string): string {
  const start = `fromUnixTimestamp64Milli(toInt64(${bucket}), 'UTC')`;
  return `arrayConcat(
    [toUInt32(if(arrayLastIndex((sq, sf) -> sq = ${queue} AND sf <= ${start}, {sv_queue:Array(String)}, {sv_from:Array(DateTime64(3))}) = 0, 0,
      arrayElement({sv_ver:Array(UInt32)}, arrayLastIndex((sq, sf) -> sq = ${queue} AND sf <= ${start}, {sv_queue:Array(String)}, {sv_from:Array(DateTime64(3))}))))],
    arrayFilter((v, sq, sf) -> sq = ${queue} AND sf > ${start} AND sf < ${start} + INTERVAL 30 MINUTE,
      {sv_ver:Array(UInt32)}, {sv_queue:Array(String)}, {sv_from:Array(DateTime64(3))}))`;
}

// Rows of contact_rollup: the components per (UTC half-hour, queue, channel, version); the
// repeat-contact FCR of contacts whose window closed by {now} as counts, of the others each
// contact's window close and whether it was repeated, so a reader at any later now splits them
// exactly. Then one marker row per half-hour of the range, contacts or not.
const ROLLUP_SELECT = `SELECT bucket, toUInt8(0) AS is_roll, assumeNotNull(cq) AS queue, assumeNotNull(cch) AS channel,
  ver AS version, {gen:Int64} AS gen, {now:DateTime64(3)} AS rolled_now,
  ${settingsKeySql('queue', 'bucket')} AS settings_key,
  ${components()},
  ${SURVEY_COMPONENTS},
  countIf(${FCR_SUBJECT} AND ${FCR_CLOSE} <= {now:DateTime64(3)}) AS fcr_closed,
  countIf(${FCR_SUBJECT} AND ${FCR_CLOSE} <= {now:DateTime64(3)} AND NOT repeated) AS fcr_closed_resolved,
  groupArrayIf((assumeNotNull(${FCR_CLOSE}), toUInt8(repeated)), ${FCR_SUBJECT} AND ${FCR_CLOSE} > {now:DateTime64(3)}) AS fcr_open
FROM c2
GROUP BY bucket, queue, channel, version
UNION ALL
SELECT toInt64(b) AS bucket, toUInt8(1) AS is_roll, '' AS queue, '' AS channel, toUInt32(0) AS version,
  {gen:Int64} AS gen, {now:DateTime64(3)} AS rolled_now, CAST([] AS Array(UInt32)) AS settings_key,
  ${Object.keys(CONTACT_COMPONENTS)
    .map((n) => `0 AS ${n}`)
    .join(', ')},
  0 AS nps_n, 0 AS promoters, 0 AS detractors, 0 AS csat_n, 0 AS csat_4_5, 0 AS fcr_n, 0 AS fcr_yes,
  0 AS fcr_closed, 0 AS fcr_closed_resolved, CAST([] AS Array(Tuple(DateTime64(3, 'UTC'), UInt8))) AS fcr_open
FROM (SELECT arrayJoin(range(toUnixTimestamp64Milli({from:DateTime64(3)}), toUnixTimestamp64Milli({to:DateTime64(3)}), 1800000)) AS b)`;

type Variant = 'one' | 'byQueue' | 'rollup';

function contactFiguresSql(variant: Variant): string {
  const byQueue = variant === 'byQueue';
  return `
WITH
${
  byQueue
    ? `queued AS (
  SELECT contact_id, queue FROM contact_events
  WHERE type = 'contact.queued'
    AND has({queues:Array(String)}, queue)
    AND ({channel:String} = '' OR channel = {channel:String})
    AND occurred_at >= {from:DateTime64(3)} AND occurred_at < {to:DateTime64(3)}
),
ids AS (SELECT contact_id FROM queued),`
    : `ids AS (
  SELECT contact_id FROM contact_events
  WHERE type = 'contact.queued'
    AND ({queue:String} = '' OR queue = {queue:String})
    AND ({channel:String} = '' OR channel = {channel:String})
    AND occurred_at >= {from:DateTime64(3)} AND occurred_at < {to:DateTime64(3)}
),`
}
c0 AS (
  SELECT contact_id,
    any(queue) AS cq, any(channel) AS cch, ifNull(any(customer_id), '') AS customer,
    ifNull(coalesce(any(queued_reason), any(done_reason)), '') AS reason,
    min(queued_at) AS q, min(answered_at) AS a, min(abandoned_at) AS ab, min(completed_at) AS c,
    ifNull(any(talk_s), 0) AS talk, ifNull(any(hold_s), 0) AS hold, ifNull(any(wrap_s), 0) AS wrap,
    max(transferred) AS xfer
  FROM contact_state
  WHERE day >= toDate({from:DateTime64(3)}) - 1 AND day <= toDate({to:DateTime64(3)}) + {lag_days:UInt32}
    AND contact_id IN ids
  GROUP BY contact_id
  HAVING q >= {from:DateTime64(3)} AND q < {to:DateTime64(3)}
    ${
      byQueue
        ? // Counted in queue cq only when queued there in the range, as the one-queue variant does.
          `AND (contact_id, cq) IN (SELECT contact_id, queue FROM queued)`
        : `AND ({queue:String} = '' OR cq = {queue:String})`
    }
    AND ({channel:String} = '' OR cch = {channel:String})
),
c1 AS (
  SELECT *,
    arrayLastIndex((sq, sf) -> sq = cq AND sf <= q, {sv_queue:Array(String)}, {sv_from:Array(DateTime64(3))}) AS vi,
    if(vi = 0, {d_thr:Float64}, arrayElement({sv_thr:Array(Float64)}, vi)) AS thr,
    if(vi = 0, {d_short:Float64}, arrayElement({sv_short:Array(Float64)}, vi)) AS short,
    if(vi = 0, {d_win:UInt32}, arrayElement({sv_win:Array(UInt32)}, vi)) AS win,
    if(vi = 0, 0, arrayElement({sv_ver:Array(UInt32)}, vi)) AS ver,
    a IS NOT NULL AS is_answered,
    greatest(0, dateDiff('millisecond', q, ifNull(a, q))) AS wait_msec,
    wait_msec / 1000 AS wait,
    a IS NULL AND ab IS NOT NULL AS is_gave_up,
    greatest(0, dateDiff('millisecond', q, ifNull(ab, q))) / 1000 AS ab_wait,
    c IS NOT NULL AS is_handled,
    timeZoneOffset(toDateTime(q, {tz:String})) * 1000 AS off,
    intDiv(toUnixTimestamp64Milli(assumeNotNull(q)) + off, 1800000) * 1800000 - off AS bucket
  FROM c0
),
sv AS (
  SELECT contact_id,
    ${SURVEY_PER_CONTACT}
  FROM (
    SELECT event_id, contact_id, any(nps) AS nps, any(csat) AS csat, any(fcr) AS fcr
    FROM survey_events
    WHERE occurred_at >= {from:DateTime64(3)} - INTERVAL 1 DAY AND occurred_at < {later_to:DateTime64(3)}
      AND contact_id IN ids
    GROUP BY event_id, contact_id
  )
  GROUP BY contact_id
),
-- Every contact (any queue, any channel) of the customers offered here, one row per customer,
-- so that joining it does not multiply contacts (CTEs are inlined: c1 is evaluated once).
visits AS (
  SELECT customer_id, groupArray((contact_id, t, r)) AS v
  FROM (
    SELECT customer_id, contact_id, min(occurred_at) AS t, any(reason) AS r
    FROM contact_events
    WHERE {need_visits:Bool} AND type = 'contact.queued' AND customer_id != ''
      AND customer_id IN (
        SELECT customer_id FROM contact_events
        WHERE type = 'contact.queued' AND customer_id != ''
          AND ${byQueue ? `has({visit_queues:Array(String)}, queue)` : `({queue:String} = '' OR queue = {queue:String})`}
          AND ({channel:String} = '' OR channel = {channel:String})
          AND occurred_at >= {from:DateTime64(3)} AND occurred_at < {to:DateTime64(3)}
      )
      AND occurred_at > {from:DateTime64(3)} AND occurred_at < {later_to:DateTime64(3)}
    GROUP BY customer_id, contact_id
  )
  GROUP BY customer_id
),
c2 AS (
  SELECT c1.*, sv.*,
    ${byQueue ? `has({visit_queues:Array(String)}, c1.cq) AND ` : ''}arrayExists(x -> x.1 != c1.contact_id AND x.2 > c1.q AND x.2 <= c1.c + toIntervalDay(c1.win)
      AND (c1.reason = '' OR x.3 = '' OR x.3 = c1.reason), visits.v) AS repeated
  FROM c1
  LEFT JOIN sv ON sv.contact_id = c1.contact_id
  LEFT JOIN visits ON visits.customer_id = c1.customer
)
${variant === 'rollup' ? ROLLUP_SELECT : figuresSelect(byQueue)}
`;
}

export const CONTACT_FIGURES_SQL = contactFiguresSql('one');
/** Per (queue, half-hour) of {queues}; repeat visits only for the queues in {visit_queues}. */
export const CONTACT_FIGURES_BY_QUEUE_SQL = contactFiguresSql('byQueue');
/**
 * The same per-contact facts over every queue ({queue} = '', {channel} = '', {tz} = 'UTC',
 * {need_visits} true), as rows of contact_rollup per (UTC half-hour, queue, channel, settings
 * version) of generation {gen}, plus one marker row per half-hour of [{from}, {to}).
 */
export const CONTACT_ROLLUP_SQL = contactFiguresSql('rollup');

// Agent time (occupancy) has its own module; re-exported here, where the contact figures are.
export { AGENT_TIME_BY_QUEUE_SQL, AGENT_TIME_SQL } from './agent-time-sql.js';
