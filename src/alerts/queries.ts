// What the rules read, for every queue at once and as of a given instant `now` (events after
// `now` are ignored, so the evaluator can be replayed over stored history).
import type { ClickHouseClient } from '@clickhouse/client';
import { CONTACT_COMPONENTS } from '../metrics/contacts-sql.js';
import { addCounts, emptyCounts, type Counts } from '../metrics/figures.js';
import { versionParams } from '../metrics/query.js';
import { WAITING_LOOKBACK_MS } from '../metrics/realtime.js';
import { chTime, type SettingsVersion } from '../metrics/settings.js';
import { queryRows as rows } from '../store/rows.js';

const WEEK_MS = 7 * 86_400_000;

// Contacts queued in (since, now], per queue and minute of queueing, with the outcome known by
// `now`. A contact still waiting is counted only once it has waited longer than T (it has then
// missed the threshold whatever happens); before that its outcome is open, so it is left out.
// T and the short-abandon limit come from the settings version in force when it was queued.
// Outcome counts are the API's (CONTACT_COMPONENTS); only `offered` differs, as said above.
export const WINDOW_SQL = `
WITH
ids AS (
  SELECT contact_id FROM contact_events
  WHERE type = 'contact.queued' AND has({queues:Array(String)}, queue)
    AND occurred_at > {since:DateTime64(3)} AND occurred_at <= {now:DateTime64(3)}
),
c0 AS (
  SELECT contact_id, any(queue) AS cq, min(queued_at) AS q, min(answered_at) AS a, min(abandoned_at) AS ab
  FROM contact_state
  WHERE day >= toDate({since:DateTime64(3)}) AND day <= toDate({now:DateTime64(3)}) AND contact_id IN ids
  GROUP BY contact_id
  HAVING q > {since:DateTime64(3)} AND q <= {now:DateTime64(3)} AND has({queues:Array(String)}, cq)
),
c1 AS (
  SELECT *,
    arrayLastIndex((sq, sf) -> sq = cq AND sf <= q, {sv_queue:Array(String)}, {sv_from:Array(DateTime64(3))}) AS vi,
    if(vi = 0, {d_thr:Float64}, arrayElement({sv_thr:Array(Float64)}, vi)) AS thr,
    if(vi = 0, {d_short:Float64}, arrayElement({sv_short:Array(Float64)}, vi)) AS short,
    a IS NOT NULL AND a <= {now:DateTime64(3)} AS is_answered,
    greatest(0, dateDiff('millisecond', q, ifNull(a, q))) / 1000 AS wait,
    NOT is_answered AND ab IS NOT NULL AND ab <= {now:DateTime64(3)} AS is_gave_up,
    greatest(0, dateDiff('millisecond', q, ifNull(ab, q))) / 1000 AS ab_wait,
    dateDiff('millisecond', q, {now:DateTime64(3)}) / 1000 AS age
  FROM c0
)
SELECT cq AS queue, intDiv(toUnixTimestamp64Milli(assumeNotNull(q)), 60000) * 60000 AS minute,
  countIf(is_answered OR is_gave_up OR age > thr) AS offered,
  ${(
    ['answered', 'answered_within_t', 'short_abandons', 'abandoned', 'abandoned_within_t', 'abandoned_after_t'] as const
  )
    .map((n) => `${CONTACT_COMPONENTS[n]} AS ${n}`)
    .join(',\n  ')}
FROM c1
GROUP BY queue, minute
`;

export type MinuteCounts = Map<string, Array<{ minute: number; counts: Counts }>>;

/** Per queue, the settled contacts of each minute in (now − minutes, now]. */
export async function windowCounts(
  client: ClickHouseClient,
  queues: string[],
  versions: Map<string, SettingsVersion[]>,
  now: number,
  minutes: number,
): Promise<MinuteCounts> {
  const found = await rows<{ queue: string; minute: string } & Record<string, unknown>>(client, WINDOW_SQL, {
    queues,
    since: chTime(now - minutes * 60_000),
    now: chTime(now),
    ...versionParams(versions),
  });
  const out: MinuteCounts = new Map(queues.map((q) => [q, []]));
  for (const r of found) {
    const counts = emptyCounts();
    addCounts(counts, r);
    out.get(r.queue)?.push({ minute: Number(r.minute), counts });
  }
  return out;
}

/** Sum of the minutes queued in (now − minutes, now]. */
export function sumWindow(list: Array<{ minute: number; counts: Counts }>, now: number, minutes: number): Counts {
  const total = emptyCounts();
  const from = now - minutes * 60_000;
  // A minute bucket counts when its contacts fall in the window; the first, partial one does
  // (the SQL already cut at `since` for the longest window, and shorter windows cut here).
  for (const m of list) if (m.minute + 60_000 > from) addCounts(total, m.counts as unknown as Record<string, unknown>);
  return total;
}

// Contacts waiting at `now` per queue: queued within the lookback, not answered, abandoned or
// completed by then (the wallboard's rule, src/metrics/realtime.ts, for every queue at once).
const WAITING_SQL = `
SELECT cq AS queue, count() AS waiting, min(q) AS oldest FROM (
  SELECT contact_id, any(queue) AS cq, min(queued_at) AS q, min(answered_at) AS a, min(abandoned_at) AS ab, min(completed_at) AS c
  FROM contact_state
  WHERE day >= toDate({since:DateTime64(3)}) AND contact_id IN (
    SELECT contact_id FROM contact_events
    WHERE type = 'contact.queued' AND has({queues:Array(String)}, queue) AND occurred_at >= {since:DateTime64(3)} AND occurred_at <= {now:DateTime64(3)}
  )
  GROUP BY contact_id
  HAVING q <= {now:DateTime64(3)} AND (a IS NULL OR a > {now:DateTime64(3)})
    AND (ab IS NULL OR ab > {now:DateTime64(3)}) AND (c IS NULL OR c > {now:DateTime64(3)})
)
GROUP BY queue`;

export async function waitingNow(
  client: ClickHouseClient,
  queues: string[],
  now: number,
): Promise<Map<string, { waiting: number; longest_wait_s: number | null }>> {
  const found = await rows<{ queue: string; waiting: string; oldest: string }>(client, WAITING_SQL, {
    queues,
    since: chTime(now - WAITING_LOOKBACK_MS),
    now: chTime(now),
  });
  const out = new Map(queues.map((q) => [q, { waiting: 0, longest_wait_s: null as number | null }]));
  for (const r of found) {
    const oldest = Date.parse(`${r.oldest.replace(' ', 'T')}Z`);
    out.set(r.queue, { waiting: Number(r.waiting), longest_wait_s: Math.max(0, (now - oldest) / 1000) });
  }
  return out;
}

/**
 * Contacts queued per (queue, reason) in windows ending at now − k weeks (k = 0 … weeks): for each
 * window length in `windowsMs`, counts[k][i]: distinct customers. Reason as given at queueing;
 * contacts without one are left out.
 */
export async function reasonWindowCounts(
  client: ClickHouseClient,
  queues: string[],
  now: number,
  weeks: number,
  windowsMs: number[],
): Promise<Map<string, Map<string, number[][]>>> {
  const longest = Math.max(...windowsMs);
  const params: Record<string, unknown> = { queues, now: chTime(now), weeks, wins: windowsMs, longest };
  const ranges: string[] = [];
  for (let k = 0; k <= weeks; k++) {
    params[`s${k}`] = chTime(now - k * WEEK_MS - longest);
    params[`e${k}`] = chTime(now - k * WEEK_MS);
    ranges.push(`(occurred_at > {s${k}:DateTime64(3)} AND occurred_at <= {e${k}:DateTime64(3)})`);
  }
  // A customer counts once per window however often they contact (retries after an abandon,
  // callbacks): a surge is more customers with the reason, not one customer calling five times.
  // Contacts without a customer id count each.
  const query = `
SELECT queue, reason, k, sumForEach(arrayMap(w -> toUInt64(latest < w), {wins:Array(Int64)})) AS counts
FROM (
  SELECT queue, reason, who, k, min(off) AS latest
  FROM (
    SELECT queue, reason, if(customer_id = '', contact_id, customer_id) AS who,
      dateDiff('millisecond', occurred_at, {now:DateTime64(3)}) AS age,
      intDiv(age, ${WEEK_MS}) AS k, age - k * ${WEEK_MS} AS off
    FROM contact_events
    WHERE type = 'contact.queued' AND reason != '' AND has({queues:Array(String)}, queue) AND (${ranges.join(' OR ')})
  )
  WHERE k <= {weeks:UInt32} AND off >= 0 AND off < {longest:Int64}
  GROUP BY queue, reason, who, k
)
GROUP BY queue, reason, k`;
  const found = await rows<{ queue: string; reason: string; k: number; counts: Array<string | number> }>(
    client,
    query,
    params,
  );
  const out = new Map<string, Map<string, number[][]>>();
  for (const r of found) {
    let byReason = out.get(r.queue);
    if (!byReason) out.set(r.queue, (byReason = new Map()));
    let perWeek = byReason.get(r.reason);
    if (!perWeek) byReason.set(r.reason, (perWeek = Array.from({ length: weeks + 1 }, () => windowsMs.map(() => 0))));
    perWeek[Number(r.k)] = r.counts.map(Number);
  }
  return out;
}

/** Contacts per (queue, reason) queued in [from, to): each queue's reason mix. */
export async function reasonMix(
  client: ClickHouseClient,
  queues: string[],
  from: number,
  to: number,
): Promise<Map<string, Map<string, number>>> {
  const found = await rows<{ queue: string; reason: string; n: string }>(
    client,
    `SELECT queue, reason, uniqExact(contact_id) AS n FROM contact_events
     WHERE type = 'contact.queued' AND reason != '' AND has({queues:Array(String)}, queue)
       AND occurred_at >= {from:DateTime64(3)} AND occurred_at < {to:DateTime64(3)}
     GROUP BY queue, reason`,
    { queues, from: chTime(from), to: chTime(to) },
  );
  const out = new Map<string, Map<string, number>>();
  for (const r of found) {
    if (!out.has(r.queue)) out.set(r.queue, new Map());
    out.get(r.queue)!.set(r.reason, Number(r.n));
  }
  return out;
}
