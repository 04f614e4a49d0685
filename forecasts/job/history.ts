// Half-hour history per queue × channel from the raw events, as typed arrays on a full grid.
// Every contact counts in the half-hour in which it was (first) queued — offered, handle
// time, abandons and waits alike (docs/spec.md, "Which interval a contact counts in"). Duplicates
// collapse with FINAL; later events join the queued one on contact_id.
import type { ClickHouseClient } from '@clickhouse/client';
import { chTime } from '../../src/store/time.js';
import { numbers, queryArrow, strings } from './arrow.js';

export const SLOT_MS = 1_800_000;
export const DAY_MS = 86_400_000;

export interface SeriesHistory {
  queue: string;
  channel: string;
  /** UTC midnight of the first interval (after leading empty days are dropped). */
  startMs: number;
  /** Contacts offered per half-hour (missing = 0). */
  volume: Float64Array;
  /** (talk + hold + wrap) ÷ handled per half-hour, 0 where nothing was handled. */
  aht: Float64Array;
  /** Abandons (without an answer) and total wait seconds of answered or abandoned contacts, for patience. */
  abandons: number;
  waitSeconds: number;
}

export interface HistoryWindow {
  startMs: number;
  endMs: number;
}

const HISTORY_SQL = `
WITH q AS (
  SELECT contact_id, argMin(queue, occurred_at) AS q_queue, argMin(channel, occurred_at) AS q_channel, min(occurred_at) AS queued_at
  FROM contact_events FINAL
  WHERE type = 'contact.queued'
    AND occurred_at >= {from:DateTime64(3, 'UTC')} AND occurred_at < {to:DateTime64(3, 'UTC')}
    AND (empty({queues:Array(String)}) OR has({queues:Array(String)}, queue))
  GROUP BY contact_id
),
o AS (
  SELECT contact_id,
    countIf(type = 'contact.completed') > 0 AS handled,
    anyIf(talk_s + hold_s + wrap_s, type = 'contact.completed') AS handle_s,
    countIf(type = 'contact.answered') > 0 AS answered,
    minIf(occurred_at, type = 'contact.answered') AS answered_at,
    countIf(type = 'contact.abandoned') > 0 AS abandoned,
    minIf(occurred_at, type = 'contact.abandoned') AS abandoned_at
  FROM contact_events FINAL
  WHERE type IN ('contact.answered', 'contact.abandoned', 'contact.completed')
    AND occurred_at >= {from:DateTime64(3, 'UTC')} AND occurred_at < {to:DateTime64(3, 'UTC')} + INTERVAL 1 DAY
    AND contact_id IN (SELECT contact_id FROM q)
  GROUP BY contact_id
)
SELECT
  q_queue AS queue, q_channel AS channel,
  toFloat64(intDiv(toUnixTimestamp64Milli(queued_at), 1800000)) AS slot,
  toFloat64(count()) AS offered,
  toFloat64(countIf(o.handled)) AS handled,
  sumIf(o.handle_s, o.handled) AS handle_s,
  toFloat64(countIf(o.abandoned AND NOT o.answered)) AS abandons,
  sum(multiIf(o.answered, greatest(0, dateDiff('millisecond', queued_at, o.answered_at)),
              o.abandoned, greatest(0, dateDiff('millisecond', queued_at, o.abandoned_at)), 0)) / 1000 AS wait_s
FROM q LEFT JOIN o USING (contact_id)
GROUP BY queue, channel, slot
ORDER BY queue, channel, slot`;

/**
 * The history window: whole UTC days, ending at the earlier of `asOf`'s midnight (today is not
 * complete) and the midnight after the last queued contact; at most `maxDays` long.
 */
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
  const table = await queryArrow(client, HISTORY_SQL, {
    from: chTime(window.startMs),
    to: chTime(window.endMs),
    queues,
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
