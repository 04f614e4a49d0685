// Half-hour history per queue × channel, as typed arrays on a full UTC grid (local.ts turns it
// into each queue's local days). Counted with the metric definitions (CONTACT_COMPONENTS,
// docs/spec.md) over one row per contact from contact_state: every contact in the half-hour in
// which it was queued; volume is `offered`; abandons for patience are `abandoned` — a contact
// that gave up within its queue's short-abandon limit (the settings version in force when it
// was queued) is offered volume but neither an abandon nor waiting time.
import type { ClickHouseClient } from '@clickhouse/client';
import { CONTACT_COMPONENTS as C } from '../../src/metrics/contacts-sql.js';
import { LAG_DAYS } from '../../src/metrics/query.js';
import { settingsArrays } from '../../src/metrics/rollup.js';
import { loadVersions } from '../../src/metrics/settings.js';
import { chTime } from '../../src/store/time.js';
import { numbers, queryArrow, strings } from './arrow.js';

export const SLOT_MS = 1_800_000;
export const DAY_MS = 86_400_000;

export interface SeriesHistory {
  queue: string;
  channel: string;
  /** UTC midnight of the first interval (after leading empty days are dropped). */
  startMs: number;
  /** Contacts offered per half-hour (missing = 0); short abandons included, as in `offered`. */
  volume: Float64Array;
  /** (talk + hold + wrap) ÷ handled per half-hour, 0 where nothing was handled. */
  aht: Float64Array;
  /** Abandons (short abandons left out) and total wait seconds of answered or abandoned contacts, for patience. */
  abandons: number;
  waitSeconds: number;
}

export interface HistoryWindow {
  startMs: number;
  endMs: number;
}

// The per-contact columns CONTACT_COMPONENTS reads, as src/metrics/contacts-sql.ts derives them;
// S from the queue's settings version in force when the contact was queued ({sv_*} arrays).
export const HISTORY_SQL = `
WITH
ids AS (
  SELECT contact_id FROM contact_events
  WHERE type = 'contact.queued'
    AND occurred_at >= {from:DateTime64(3, 'UTC')} AND occurred_at < {to:DateTime64(3, 'UTC')}
    AND (empty({queues:Array(String)}) OR has({queues:Array(String)}, queue))
),
c0 AS (
  SELECT contact_id, ifNull(any(queue), '') AS cq, ifNull(any(channel), '') AS cch,
    min(queued_at) AS q, min(answered_at) AS a, min(abandoned_at) AS ab, min(completed_at) AS c,
    ifNull(any(talk_s), 0) AS talk, ifNull(any(hold_s), 0) AS hold, ifNull(any(wrap_s), 0) AS wrap
  FROM contact_state
  WHERE day >= toDate({from:DateTime64(3, 'UTC')}) - 1 AND day <= toDate({to:DateTime64(3, 'UTC')}) + {lag_days:UInt32}
    AND contact_id IN ids
  GROUP BY contact_id
  HAVING q >= {from:DateTime64(3, 'UTC')} AND q < {to:DateTime64(3, 'UTC')}
    AND (empty({queues:Array(String)}) OR has({queues:Array(String)}, cq))
),
c1 AS (
  SELECT *,
    arrayLastIndex((sq, sf) -> sq = cq AND sf <= q, {sv_queue:Array(String)}, {sv_from:Array(DateTime64(3))}) AS vi,
    if(vi = 0, {d_short:Float64}, arrayElement({sv_short:Array(Float64)}, vi)) AS short,
    a IS NOT NULL AS is_answered,
    greatest(0, dateDiff('millisecond', q, ifNull(a, q))) AS wait_msec,
    a IS NULL AND ab IS NOT NULL AS is_gave_up,
    greatest(0, dateDiff('millisecond', q, ifNull(ab, q))) AS ab_wait_msec,
    ab_wait_msec / 1000 AS ab_wait,
    c IS NOT NULL AS is_handled
  FROM c0
)
SELECT
  cq AS queue, cch AS channel,
  toFloat64(intDiv(toUnixTimestamp64Milli(assumeNotNull(q)), 1800000)) AS slot,
  toFloat64(${C.offered}) AS offered,
  toFloat64(${C.handled}) AS handled,
  toFloat64(${C.talk_s} + ${C.hold_s} + ${C.wrap_s}) AS handle_s,
  toFloat64(${C.abandoned}) AS abandons,
  -- waits of the answered (wait_ms) and of the abandoned (those counted as abandons above); a
  -- sum over no rows of a Nullable column is NULL
  (ifNull(${C.wait_ms}, 0) + ifNull(sumIf(ab_wait_msec, is_gave_up AND ab_wait >= short), 0)) / 1000 AS wait_s
FROM c1
GROUP BY queue, channel, slot
ORDER BY queue, channel, slot`;

/** First and last contact.queued before `asOfMs` (ms), or null without any. */
export async function contactBounds(
  client: ClickHouseClient,
  asOfMs: number,
): Promise<{ loMs: number; hiMs: number } | null> {
  const rows = await (
    await client.query({
      query: `SELECT count() AS n, toUnixTimestamp64Milli(min(occurred_at)) AS lo, toUnixTimestamp64Milli(max(occurred_at)) AS hi
              FROM contact_events WHERE type = 'contact.queued' AND occurred_at < {as_of:DateTime64(3, 'UTC')}`,
      query_params: { as_of: chTime(asOfMs) },
      format: 'JSONEachRow',
    })
  ).json<{ n: string; lo: string; hi: string }>();
  const r = rows[0];
  if (!r || Number(r.n) === 0) return null;
  return { loMs: Number(r.lo), hiMs: Number(r.hi) };
}

/** The UTC-day window of `historyWindow` from known contact bounds. */
export function windowOf(
  bounds: { loMs: number; hiMs: number },
  asOfMs: number,
  maxDays: number,
): HistoryWindow | null {
  const endMs = Math.min(Math.floor(asOfMs / DAY_MS) * DAY_MS, Math.floor(bounds.hiMs / DAY_MS) * DAY_MS + DAY_MS);
  const startMs = Math.max(Math.floor(bounds.loMs / DAY_MS) * DAY_MS, endMs - maxDays * DAY_MS);
  return endMs > startMs ? { startMs, endMs } : null;
}

/**
 * The history window: whole UTC days, ending at the earlier of `asOf`'s midnight (today is not
 * complete) and the midnight after the last queued contact; at most `maxDays` long.
 */
export async function historyWindow(
  client: ClickHouseClient,
  asOfMs: number,
  maxDays: number,
): Promise<HistoryWindow | null> {
  const bounds = await contactBounds(client, asOfMs);
  return bounds ? windowOf(bounds, asOfMs, maxDays) : null;
}

/** Reads every queue × channel (or only `queues`) over the window, one typed-array series each. */
export async function readHistory(
  client: ClickHouseClient,
  window: HistoryWindow,
  queues: string[] = [],
  trim = true,
): Promise<SeriesHistory[]> {
  const { sv_queue, sv_from, sv_short, d_short } = settingsArrays(await loadVersions(client));
  const table = await queryArrow(client, HISTORY_SQL, {
    from: chTime(window.startMs),
    to: chTime(window.endMs),
    queues,
    lag_days: LAG_DAYS,
    sv_queue,
    sv_from,
    sv_short,
    d_short,
  });
  if (table.numRows === 0) return [];
  const queue = strings(table, 'queue');
  const channel = strings(table, 'channel');
  const slot = numbers(table, 'slot');
  const offered = numbers(table, 'offered');
  const handled = numbers(table, 'handled');
  const handle = numbers(table, 'handle_s');
  const abandons = numbers(table, 'abandons');
  const wait = numbers(table, 'wait_s');
  const n = (window.endMs - window.startMs) / SLOT_MS;
  const firstSlot = window.startMs / SLOT_MS;
  const out: SeriesHistory[] = [];
  let cur: SeriesHistory | undefined;
  for (let i = 0; i < table.numRows; i++) {
    if (!cur || cur.queue !== queue[i] || cur.channel !== channel[i]) {
      cur = {
        queue: queue[i]!,
        channel: channel[i]!,
        startMs: window.startMs,
        volume: new Float64Array(n),
        aht: new Float64Array(n),
        abandons: 0,
        waitSeconds: 0,
      };
      out.push(cur);
    }
    const t = slot[i]! - firstSlot;
    cur.volume[t] = offered[i]!;
    cur.aht[t] = handled[i]! > 0 ? handle[i]! / handled[i]! : 0;
    cur.abandons += abandons[i]!;
    cur.waitSeconds += wait[i]!;
  }
  return trim ? out.map(trimLeadingEmptyDays) : out;
}

/** A queue × channel that started later than the window: drop its empty leading days. */
function trimLeadingEmptyDays(s: SeriesHistory): SeriesHistory {
  const perDay = DAY_MS / SLOT_MS;
  let first = 0;
  while (first < s.volume.length && s.volume[first] === 0) first++;
  const days = Math.floor(first / perDay);
  if (days === 0) return s;
  const cut = days * perDay;
  return { ...s, startMs: s.startMs + days * DAY_MS, volume: s.volume.slice(cut), aht: s.aht.slice(cut) };
}
