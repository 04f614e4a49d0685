// Per-queue calendar of holidays and events (sql/072_queue_calendar.sql): a closed local day
// forecasts exactly 0; an event day's forecast is multiplied by the planner's multiplier.
// Every change of a day is a new version (who, when, the previous entry).
import type { ClickHouseClient } from '@clickhouse/client';
import { chTime } from '../../src/store/time.js';

export interface CalendarDay {
  day: string;
  kind: 'closed' | 'event' | 'none';
  multiplier: number;
  reason: string;
  version: number;
  changed_at: string;
  changed_by: string;
  previous: Omit<CalendarDay, 'previous' | 'version' | 'changed_at' | 'changed_by'> | null;
}

/** The entry in force of every day of the queues (removed days included as kind 'none'). */
export async function loadCalendar(client: ClickHouseClient, queues: string[]): Promise<Map<string, CalendarDay[]>> {
  const out = new Map<string, CalendarDay[]>(queues.map((q) => [q, []]));
  const exists = await (
    await client.query({
      query: `SELECT count() AS n FROM system.tables WHERE database = currentDatabase() AND name = 'queue_calendar'`,
      format: 'JSONEachRow',
    })
  ).json<{ n: string }>();
  if (Number(exists[0]?.n ?? 0) === 0) return out;
  const rows = await (
    await client.query({
      query: `SELECT queue, toString(day) AS day, version, kind, multiplier, reason, toString(changed_at) AS changed_at, changed_by, previous
              FROM queue_calendar FINAL WHERE has({queues:Array(String)}, queue) ORDER BY queue, day`,
      query_params: { queues },
      format: 'JSONEachRow',
    })
  ).json<Omit<CalendarDay, 'previous'> & { queue: string; previous: string }>();
  for (const r of rows)
    out.get(r.queue)?.push({
      day: r.day,
      kind: r.kind,
      multiplier: Number(r.multiplier),
      reason: r.reason,
      version: Number(r.version),
      changed_at: `${r.changed_at.replace(' ', 'T')}Z`,
      changed_by: r.changed_by,
      previous: r.previous ? (JSON.parse(r.previous) as CalendarDay['previous']) : null,
    });
  return out;
}

/** Sets (or with kind 'none' removes) the entries of some days: a new version of each. */
export async function saveCalendar(
  client: ClickHouseClient,
  queue: string,
  days: { day: string; kind: CalendarDay['kind']; multiplier?: number; reason?: string }[],
  who: string,
  now: number,
): Promise<CalendarDay[]> {
  const current = new Map(((await loadCalendar(client, [queue])).get(queue) ?? []).map((d) => [d.day, d]));
  const values = days.map((d) => {
    const was = current.get(d.day);
    return {
      queue,
      day: d.day,
      version: (was?.version ?? 0) + 1,
      kind: d.kind,
      multiplier: d.kind === 'event' ? (d.multiplier ?? 1) : d.kind === 'closed' ? 0 : 1,
      reason: d.reason ?? '',
      changed_at: chTime(now),
      changed_by: who,
      previous: was
        ? JSON.stringify({ day: was.day, kind: was.kind, multiplier: was.multiplier, reason: was.reason })
        : '',
    };
  });
  if (values.length) await client.insert({ table: 'queue_calendar', values, format: 'JSONEachRow' });
  return (await loadCalendar(client, [queue])).get(queue)!;
}

/** Multiplier per local date: 0 for a closed day, the event's multiplier, absent otherwise. */
export function dayFactors(days: CalendarDay[]): Map<string, number> {
  return new Map(days.filter((d) => d.kind !== 'none').map((d) => [d.day, d.kind === 'closed' ? 0 : d.multiplier]));
}
