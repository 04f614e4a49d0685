// Planner edits of the forecast (sql/071_forecast_adjustments.sql): layers applied on top of the
// statistical forecast in the order they were made. `percent` multiplies the half-hour's volume
// by (1 + value ÷ 100); `absolute` adds `value` contacts to each half-hour (never below 0).
// Pure application plus the store access the API uses.
import { randomUUID } from 'node:crypto';
import type { ClickHouseClient } from '@clickhouse/client';
import { chTime } from '../../src/store/time.js';

export interface Adjustment {
  id: string;
  queue: string;
  /** '' = every channel of the queue. */
  channel: string;
  fromMs: number;
  toMs: number;
  kind: 'percent' | 'absolute';
  value: number;
  reason: string;
  createdAt: number;
  createdBy: string;
  deletedAt: number | null;
  deletedBy: string | null;
}

/**
 * The edited volume of one half-hour. Without `at`: the layers in force now (not removed).
 * With `at`: the layers made before `at` and not removed by then (what a planner had edited
 * before the half-hour started, used to score edits).
 */
export function editedVolume(
  raw: number,
  intervalMs: number,
  channel: string,
  layers: Adjustment[],
  at?: number,
): number {
  let v = raw;
  for (const a of layers) {
    if (a.channel !== '' && a.channel !== channel) continue;
    if (intervalMs < a.fromMs || intervalMs >= a.toMs) continue;
    if (at === undefined ? a.deletedAt !== null : a.createdAt > at || (a.deletedAt !== null && a.deletedAt <= at))
      continue;
    v = a.kind === 'percent' ? v * (1 + a.value / 100) : Math.max(0, v + a.value);
  }
  return v;
}

interface Row {
  id: string;
  queue: string;
  channel: string;
  f: string;
  t: string;
  kind: string;
  value: number;
  reason: string;
  c: string;
  created_by: string;
  d: string | null;
  deleted_by: string;
}

const fromRow = (r: Row): Adjustment => ({
  id: r.id,
  queue: r.queue,
  channel: r.channel,
  fromMs: Number(r.f) * 1000,
  toMs: Number(r.t) * 1000,
  kind: r.kind === 'absolute' ? 'absolute' : 'percent',
  value: Number(r.value),
  reason: r.reason,
  createdAt: Number(r.c),
  createdBy: r.created_by,
  deletedAt: r.d === null ? null : Number(r.d),
  deletedBy: r.d === null ? null : r.deleted_by,
});

/** Every edit of a queue (removed ones too), in the order they were made. */
export async function loadAdjustments(client: ClickHouseClient, queue: string): Promise<Adjustment[]> {
  const rows = await (
    await client.query({
      query: `SELECT id, queue, channel, toUnixTimestamp(from_time) AS f, toUnixTimestamp(to_time) AS t, kind, value, reason,
                     toUnixTimestamp64Milli(created_at) AS c, created_by,
                     if(isNull(deleted_at), NULL, toString(toUnixTimestamp64Milli(assumeNotNull(deleted_at)))) AS d, deleted_by
              FROM forecast_adjustments FINAL WHERE queue = {queue:String} ORDER BY created_at, id`,
      query_params: { queue },
      format: 'JSONEachRow',
    })
  ).json<Row>();
  return rows.map(fromRow);
}

function toRow(a: Adjustment, version: number) {
  return {
    id: a.id,
    queue: a.queue,
    channel: a.channel,
    from_time: Math.round(a.fromMs / 1000),
    to_time: Math.round(a.toMs / 1000),
    kind: a.kind,
    value: a.value,
    reason: a.reason,
    created_at: chTime(a.createdAt),
    created_by: a.createdBy,
    deleted_at: a.deletedAt === null ? null : chTime(a.deletedAt),
    deleted_by: a.deletedBy ?? '',
    version,
  };
}

export async function addAdjustment(
  client: ClickHouseClient,
  a: Omit<Adjustment, 'id' | 'deletedAt' | 'deletedBy'>,
): Promise<Adjustment> {
  const adj: Adjustment = { ...a, id: randomUUID(), deletedAt: null, deletedBy: null };
  await client.insert({ table: 'forecast_adjustments', values: [toRow(adj, 1)], format: 'JSONEachRow' });
  return adj;
}

/** Removes an edit (a new version of its row); null when no such edit. Removing twice keeps the first removal. */
export async function removeAdjustment(
  client: ClickHouseClient,
  id: string,
  who: string,
  now: number,
): Promise<Adjustment | null> {
  const rows = await (
    await client.query({
      query: `SELECT queue FROM forecast_adjustments FINAL WHERE id = {id:String} LIMIT 1`,
      query_params: { id },
      format: 'JSONEachRow',
    })
  ).json<{ queue: string }>();
  if (!rows[0]) return null;
  const a = (await loadAdjustments(client, rows[0].queue)).find((x) => x.id === id)!;
  if (a.deletedAt !== null) return a;
  const removed: Adjustment = { ...a, deletedAt: now, deletedBy: who };
  await client.insert({ table: 'forecast_adjustments', values: [toRow(removed, 2)], format: 'JSONEachRow' });
  return removed;
}
