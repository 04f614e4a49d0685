// The report's own reads: per week × contact reason, and survey comments. Contacts are the
// same as in src/metrics/contacts-sql.ts (one row per contact from contact_state, counted in
// the week in which it was queued, reason from contact.queued else contact.completed).
import type { ClickHouseClient } from '@clickhouse/client';
import { SURVEY_PER_CONTACT } from '../metrics/contacts-sql.js';
import { chTime } from '../metrics/settings.js';
import { queryRows as rows } from '../store/rows.js';

const CONTACTS = `
ids AS (
  SELECT contact_id FROM contact_events
  WHERE type = 'contact.queued'
    AND ({queue:String} = '' OR queue = {queue:String})
    AND occurred_at >= {from:DateTime64(3)} AND occurred_at < {to:DateTime64(3)}
    AND (NOT {only_commented:Bool} OR contact_id IN (
      SELECT contact_id FROM survey_events
      WHERE comment != '' AND occurred_at >= {from:DateTime64(3)} - INTERVAL 1 DAY AND occurred_at < {later_to:DateTime64(3)}
    ))
),
c AS (
  SELECT contact_id, any(queue) AS cq,
    ifNull(coalesce(any(queued_reason), any(done_reason)), '') AS reason,
    min(queued_at) AS q, min(completed_at) AS done,
    ifNull(any(talk_s), 0) + ifNull(any(hold_s), 0) + ifNull(any(wrap_s), 0) AS handle,
    arrayLastIndex(s -> s <= q, {week_starts:Array(DateTime64(3))}) AS week
  FROM contact_state
  WHERE day >= toDate({from:DateTime64(3)}) - 1 AND day <= toDate({to:DateTime64(3)}) + {lag_days:UInt32}
    AND contact_id IN ids
  GROUP BY contact_id
  HAVING q >= {from:DateTime64(3)} AND q < {to:DateTime64(3)}
    AND ({queue:String} = '' OR cq = {queue:String})
)`;

export const REASON_WEEKS_SQL = `
WITH ${CONTACTS},
sv AS (
  SELECT contact_id, ${SURVEY_PER_CONTACT}
  FROM (
    SELECT event_id, contact_id, any(nps) AS nps, any(csat) AS csat, any(fcr) AS fcr
    FROM survey_events
    WHERE occurred_at >= {from:DateTime64(3)} - INTERVAL 1 DAY AND occurred_at < {later_to:DateTime64(3)}
      AND contact_id IN ids
    GROUP BY event_id, contact_id
  )
  GROUP BY contact_id
)
SELECT week, reason,
  count() AS offered, countIf(done IS NOT NULL) AS handled, sumIf(handle, done IS NOT NULL) AS handle_s,
  sum(s_nps_n) AS nps_n, sum(s_promoters) AS promoters, sum(s_detractors) AS detractors,
  sum(s_csat_n) AS csat_n, sum(s_csat_4_5) AS csat_4_5
FROM c LEFT JOIN sv ON sv.contact_id = c.contact_id
GROUP BY week, reason
ORDER BY week, reason
`;

const COMMENTS_SQL = `
WITH ${CONTACTS}
SELECT c.week AS week, c.reason AS reason, s.text AS comment, s.score_nps AS nps, s.score_csat AS csat
FROM (
  SELECT event_id, contact_id, any(comment) AS text, any(nps) AS score_nps, any(csat) AS score_csat
  FROM survey_events
  WHERE occurred_at >= {from:DateTime64(3)} - INTERVAL 1 DAY AND occurred_at < {later_to:DateTime64(3)}
    AND contact_id IN ids AND comment != ''
  GROUP BY event_id, contact_id
) AS s
INNER JOIN c ON c.contact_id = s.contact_id
ORDER BY week DESC, reason, s.event_id
LIMIT {limit:UInt32}
`;

const QUEUES_SQL = `
SELECT DISTINCT queue FROM contact_events
WHERE type = 'contact.queued' AND occurred_at >= {from:DateTime64(3)} AND occurred_at < {to:DateTime64(3)}
ORDER BY queue
`;

export interface Span {
  queue: string;
  /** Week starts (instants), oldest first; rows say which week by 1-based index. */
  weekStarts: number[];
  to: number;
  lagDays: number;
  /** Surveys read up to this instant (as the metrics do). */
  laterTo: number;
}

export interface ReasonWeekRow {
  week: number;
  reason: string;
  offered: number;
  handled: number;
  handle_s: number;
  nps_n: number;
  promoters: number;
  detractors: number;
  csat_n: number;
  csat_4_5: number;
}

export interface CommentRow {
  week: number;
  reason: string;
  comment: string;
  nps: number | null;
  csat: number | null;
}

function params(s: Span) {
  return {
    queue: s.queue,
    from: chTime(s.weekStarts[0]!),
    to: chTime(s.to),
    week_starts: s.weekStarts.map(chTime),
    lag_days: s.lagDays,
    later_to: chTime(s.laterTo),
  };
}

const NUMERIC: Array<keyof ReasonWeekRow> = [
  'week',
  'offered',
  'handled',
  'handle_s',
  'nps_n',
  'promoters',
  'detractors',
  'csat_n',
  'csat_4_5',
];

export async function reasonWeeks(client: ClickHouseClient, span: Span): Promise<ReasonWeekRow[]> {
  const raw = await rows<Record<string, unknown>>(client, REASON_WEEKS_SQL, { ...params(span), only_commented: false });
  return raw.map((r) => {
    const out = { reason: String(r.reason) } as ReasonWeekRow;
    for (const k of NUMERIC) (out as unknown as Record<string, number>)[k] = Number(r[k]);
    return out;
  });
}

export async function surveyComments(client: ClickHouseClient, span: Span, limit: number): Promise<CommentRow[]> {
  // Only contacts with a comment: a fraction of the contacts to group.
  const raw = await rows<CommentRow>(client, COMMENTS_SQL, { ...params(span), limit, only_commented: true });
  return raw.map((r) => ({
    week: Number(r.week),
    reason: r.reason,
    comment: r.comment,
    nps: r.nps === null ? null : Number(r.nps),
    csat: r.csat === null ? null : Number(r.csat),
  }));
}

export async function queuesOffered(client: ClickHouseClient, from: number, to: number): Promise<string[]> {
  return (await rows<{ queue: string }>(client, QUEUES_SQL, { from: chTime(from), to: chTime(to) })).map(
    (r) => r.queue,
  );
}
