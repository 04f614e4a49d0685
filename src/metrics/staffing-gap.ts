// The live staffing gap of a queue's current half-hour: the edited forecast (the planner's edits
// in force, as staffing follows them) reforecast by how today has run so far (the intraday
// damping of src/staffing/intraday.ts on the queue's offered contacts against its edited
// forecast), agents required for it (per channel, with the settings and inputs the forecast run
// stored, summed), agents logged in and available now, and the service level projected with the
// agents logged in. One store query for every queue at once.
import type { ClickHouseClient } from '@clickhouse/client';
import { chTime } from './settings.js';
import { evaluateStaffing, reforecastIntraday, requiredAgents } from '../staffing/index.js';

const HALF_HOUR = 1_800_000;
/** How far back the requirement rows are read: a local day so far spans at most 25 hours. */
const DAY_SO_FAR_MS = 25 * 3_600_000;

export interface StaffingGap {
  /** UTC start of the half-hour in progress. */
  interval_start: string;
  /** Forecast volume of the half-hour (latest run, all channels, after the planner's edits in force). */
  forecast_volume: number;
  /** Forecast × the damped actual ÷ forecast of today's completed half-hours. */
  reforecast_volume: number;
  volume_factor: number;
  agents_required: number;
  /** Available, on a contact or in wrap-up now. */
  agents_logged_in: number;
  agents_available: number;
  /** agents_logged_in − agents_required (negative = short). */
  gap: number;
  /** Service level of the reforecast volume with the agents logged in (Erlang A where patience is known). */
  projected_service_level: number | null;
  sl_target: number;
}

export interface RequirementNow {
  queue: string;
  channel: string;
  /** Start of the row's half-hour (epoch ms). */
  interval_ms: number;
  /** The forecast volume after the edits in force. */
  volume: number;
  /** The run's statistical forecast volume. */
  volume_raw: number;
  aht: number;
  threshold_s: number;
  sl_target: number;
  max_occupancy: number;
  patience_s: number | null;
  concurrency: number;
}

/** An edit layer as stored in forecast_adjustments (sql/071). */
export interface EditLayer {
  id: string;
  channel: string;
  fromMs: number;
  toMs: number;
  kind: 'percent' | 'absolute';
  value: number;
  createdAt: number;
}

/**
 * The edited volume of one half-hour: the layers in force applied in the order they were made;
 * percent multiplies by (1 + value ÷ 100), absolute adds contacts (never below 0). The same rule
 * as editedVolume of forecasts/job/adjustments.ts, which src/ may not import (the layout rules);
 * test/staffing/staffing-gap.test.ts checks the two agree.
 */
export function applyEdits(raw: number, intervalMs: number, channel: string, layers: readonly EditLayer[]): number {
  let v = raw;
  for (const a of layers) {
    if (a.channel !== '' && a.channel !== channel) continue;
    if (intervalMs < a.fromMs || intervalMs >= a.toMs) continue;
    v = a.kind === 'percent' ? v * (1 + a.value / 100) : Math.max(0, v + a.value);
  }
  return v;
}

// The latest successful run's rows per queue and channel from {since} to the half-hour in
// progress (a local day so far is at most 25 hours), with the queue's edits in force over them.
const REQUIREMENT_NOW_SQL = `
SELECT r.queue AS queue, r.channel AS channel, toUnixTimestamp(r.interval_start) * 1000 AS interval_ms, r.volume AS volume,
  r.aht AS aht, r.threshold_s AS threshold_s, r.sl_target AS sl_target, r.max_occupancy AS max_occupancy,
  r.patience_s AS patience_s, r.concurrency AS concurrency, e.layers AS layers
FROM (
  SELECT queue, channel, interval_start, volume, aht, threshold_s, sl_target, max_occupancy, patience_s, concurrency
  FROM staffing_requirements
  WHERE has({queues:Array(String)}, queue)
    AND interval_start >= toDateTime({since:DateTime64(3)}) AND interval_start <= toDateTime({slot:DateTime64(3)})
    AND (queue, channel, run_id) IN (
      SELECT queue, channel, argMax(run_id, finished_at) FROM forecast_runs
      WHERE has({queues:Array(String)}, queue) AND status = 'ok' GROUP BY queue, channel
    )
) AS r
LEFT JOIN (
  SELECT toString(queue) AS queue,
    groupArray((id, channel, toUnixTimestamp(from_time), toUnixTimestamp(to_time), toString(kind), value,
      toUnixTimestamp64Milli(created_at))) AS layers
  FROM forecast_adjustments FINAL
  WHERE has({queues:Array(String)}, queue) AND deleted_at IS NULL
    AND to_time > toDateTime({since:DateTime64(3)}) AND from_time <= toDateTime({slot:DateTime64(3)})
  GROUP BY queue
) AS e ON e.queue = toString(r.queue)
ORDER BY queue, channel, interval_ms`;

type LayerTuple = [string, string, number | string, number | string, string, number, number | string];

const layersOf = (raw: LayerTuple[] | null | undefined): EditLayer[] =>
  (raw ?? [])
    .map(([id, channel, f, t, kind, value, c]) => ({
      id,
      channel,
      fromMs: Number(f) * 1000,
      toMs: Number(t) * 1000,
      kind: kind === 'absolute' ? ('absolute' as const) : ('percent' as const),
      value: Number(value),
      createdAt: Number(c),
    }))
    // The order they were made, as forecasts/job/adjustments.ts loads them.
    .sort((a, b) => a.createdAt - b.createdAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));

/**
 * Requirement rows from 25 hours before the half-hour holding `now` up to it, by queue, on the
 * edited forecast (none without a run or its tables).
 */
export async function requirementsNow(
  client: ClickHouseClient,
  queues: string[],
  now: number,
): Promise<Map<string, RequirementNow[]>> {
  const out = new Map<string, RequirementNow[]>(queues.map((q) => [q, []]));
  const slot = Math.floor(now / HALF_HOUR) * HALF_HOUR;
  try {
    const found = await (
      await client.query({
        query: REQUIREMENT_NOW_SQL,
        query_params: { queues, slot: chTime(slot), since: chTime(slot - DAY_SO_FAR_MS) },
        format: 'JSONEachRow',
      })
    ).json<Omit<RequirementNow, 'volume_raw'> & { layers: LayerTuple[] | null }>();
    for (const { layers, ...r } of found) {
      const interval = Number(r.interval_ms);
      const raw = Number(r.volume);
      out.get(r.queue)?.push({
        ...r,
        interval_ms: interval,
        volume: applyEdits(raw, interval, r.channel, layersOf(layers)),
        volume_raw: raw,
        aht: Number(r.aht),
        threshold_s: Number(r.threshold_s),
        sl_target: Number(r.sl_target),
        max_occupancy: Number(r.max_occupancy),
        patience_s: r.patience_s === null ? null : Number(r.patience_s),
        concurrency: Number(r.concurrency ?? 1),
      });
    }
  } catch (error) {
    if (!/UNKNOWN_TABLE|Unknown table|doesn't exist|does not exist/i.test(String((error as Error).message)))
      throw error;
  }
  return out;
}

/**
 * Today's half-hours with their forecast edited: the raw forecast plus, per channel, what the
 * edits in force change in that half-hour (the requirement rows carry both volumes).
 */
export function editedHalfHours<H extends { start: string; forecast_offered: number | null }>(
  rows: readonly RequirementNow[],
  halfHours: readonly H[],
): H[] {
  const delta = new Map<number, number>();
  for (const r of rows) delta.set(r.interval_ms, (delta.get(r.interval_ms) ?? 0) + r.volume - r.volume_raw);
  return halfHours.map((h) => {
    const d = delta.get(Date.parse(h.start)) ?? 0;
    return h.forecast_offered === null || d === 0 ? h : { ...h, forecast_offered: Math.max(0, h.forecast_offered + d) };
  });
}

/**
 * The gap of one queue. `rows`: its requirement rows (requirementsNow); `halfHours`: today's
 * half-hours (start, offered, raw forecast); only those over by `now` count toward the reforecast
 * factor, on the edited forecast. Null without a requirement for the current half-hour.
 */
export function staffingGap(
  all: readonly RequirementNow[],
  halfHours: readonly { start: string; offered: number; forecast_offered: number | null }[],
  agents: { available: number; on_contact: number; wrap_up: number },
  now: number,
): StaffingGap | null {
  const slot = Math.floor(now / HALF_HOUR) * HALF_HOUR;
  const rows = all.filter((r) => r.interval_ms === slot);
  if (rows.length === 0) return null;
  const done = editedHalfHours(all, halfHours).filter(
    (h) => Date.parse(h.start) + HALF_HOUR <= now && h.forecast_offered !== null,
  );
  const { volumeFactor } = reforecastIntraday({
    forecast: done.map((h) => ({ interval_start: h.start, volume: h.forecast_offered!, aht: 1 })),
    actuals: done.map((h) => ({ interval_start: h.start, volume: h.offered })),
    settings: { serviceLevel: 0.8, threshold: 20 },
  });
  let forecast = 0;
  let volume = 0;
  let work = 0;
  let required = 0;
  for (const r of rows) {
    const v = r.volume * volumeFactor;
    forecast += r.volume;
    volume += v;
    if (!(v > 0 && r.aht > 0)) continue;
    work += v * r.aht;
    required += requiredAgents(
      {
        volume: v,
        aht: r.aht,
        intervalSeconds: 1800,
        patience: r.patience_s,
        ...(r.concurrency > 1 ? { concurrency: r.concurrency } : {}),
      },
      { serviceLevel: r.sl_target, threshold: r.threshold_s, maxOccupancy: r.max_occupancy },
    ).agents;
  }
  const loggedIn = agents.available + agents.on_contact + agents.wrap_up;
  const main = rows.reduce((a, b) => (b.volume > a.volume ? b : a));
  let projected: number | null = null;
  if (work > 0) {
    const patience = rows.find((r) => r.patience_s !== null)?.patience_s ?? null;
    projected =
      loggedIn === 0
        ? 0
        : evaluateStaffing({ volume, aht: work / volume, intervalSeconds: 1800, patience }, loggedIn, main.threshold_s)
            .serviceLevel;
  }
  return {
    interval_start: new Date(slot).toISOString(),
    forecast_volume: forecast,
    reforecast_volume: volume,
    volume_factor: volumeFactor,
    agents_required: required,
    agents_logged_in: loggedIn,
    agents_available: agents.available,
    gap: loggedIn - required,
    projected_service_level: projected,
    sl_target: main.sl_target,
  };
}
