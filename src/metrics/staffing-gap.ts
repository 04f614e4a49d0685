// The live staffing gap of a queue's current half-hour: the forecast reforecast by how today has
// run so far (the intraday damping of src/staffing/intraday.ts on the queue's offered contacts
// against its forecast), agents required for it (per channel, with the settings and inputs the
// forecast run stored, summed), agents logged in and available now, and the service level
// projected with the agents logged in. One store query for every queue at once.
import type { ClickHouseClient } from '@clickhouse/client';
import { chTime } from './settings.js';
import { evaluateStaffing, reforecastIntraday, requiredAgents } from '../staffing/index.js';

const HALF_HOUR = 1_800_000;

export interface StaffingGap {
  /** UTC start of the half-hour in progress. */
  interval_start: string;
  /** Forecast volume of the half-hour (latest run, all channels). */
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
  volume: number;
  aht: number;
  threshold_s: number;
  sl_target: number;
  max_occupancy: number;
  patience_s: number | null;
  concurrency: number;
}

// The half-hour in progress of the latest successful run per queue and channel.
const REQUIREMENT_NOW_SQL = `
SELECT queue, channel, volume, aht, threshold_s, sl_target, max_occupancy, patience_s, concurrency
FROM staffing_requirements
WHERE has({queues:Array(String)}, queue) AND interval_start = toDateTime({slot:DateTime64(3)})
  AND (queue, channel, run_id) IN (
    SELECT queue, channel, argMax(run_id, finished_at) FROM forecast_runs
    WHERE has({queues:Array(String)}, queue) AND status = 'ok' GROUP BY queue, channel
  )
ORDER BY queue, channel`;

/** Requirement rows of the half-hour holding `now`, by queue (none without a run or its tables). */
export async function requirementsNow(
  client: ClickHouseClient,
  queues: string[],
  now: number,
): Promise<Map<string, RequirementNow[]>> {
  const out = new Map<string, RequirementNow[]>(queues.map((q) => [q, []]));
  try {
    const found = await (
      await client.query({
        query: REQUIREMENT_NOW_SQL,
        query_params: { queues, slot: chTime(Math.floor(now / HALF_HOUR) * HALF_HOUR) },
        format: 'JSONEachRow',
      })
    ).json<RequirementNow>();
    for (const r of found)
      out.get(r.queue)?.push({
        ...r,
        volume: Number(r.volume),
        aht: Number(r.aht),
        threshold_s: Number(r.threshold_s),
        sl_target: Number(r.sl_target),
        max_occupancy: Number(r.max_occupancy),
        patience_s: r.patience_s === null ? null : Number(r.patience_s),
        concurrency: Number(r.concurrency ?? 1),
      });
  } catch (error) {
    if (!/UNKNOWN_TABLE|Unknown table|doesn't exist|does not exist/i.test(String((error as Error).message)))
      throw error;
  }
  return out;
}

/**
 * The gap of one queue. `halfHours`: today's half-hours (start, offered, forecast); only those
 * over by `now` count toward the reforecast factor. Null without a requirement for the half-hour.
 */
export function staffingGap(
  rows: RequirementNow[],
  halfHours: { start: string; offered: number; forecast_offered: number | null }[],
  agents: { available: number; on_contact: number; wrap_up: number },
  now: number,
): StaffingGap | null {
  if (rows.length === 0) return null;
  const slot = Math.floor(now / HALF_HOUR) * HALF_HOUR;
  const done = halfHours.filter((h) => Date.parse(h.start) + HALF_HOUR <= now && h.forecast_offered !== null);
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
