// Staffing settings per queue: service target from the versioned queue settings
// (sql/011_queue_settings.sql) where that table exists and the queue has a version in force,
// else the defaults; the queue's time zone and opening hours from the same version; the staffing
// inputs (occupancy cap, shrinkage, concurrency, patience) in force at asOf, else their defaults.
import type { ClickHouseClient } from '@clickhouse/client';
import { chTime } from '../../src/store/time.js';
import type { OpeningHours } from '../../src/staffing/local.js';
import { DEFAULT_INPUTS, inputsAt, type StaffingInputs } from '../../src/staffing/inputs.js';
import { loadInputVersions } from './inputs.js';

export interface StaffingSettings {
  thresholdS: number;
  slTarget: number;
  maxOccupancy: number;
  shrinkage: number;
  /** The queue's IANA time zone: the job's days and weeks are its local days. */
  timeZone: string;
  /** Local opening hours per weekday (queue settings); closed half-hours forecast 0. */
  openingHours: OpeningHours | null;
  /** Staffing inputs in force (sql/070_staffing_inputs.sql); maxOccupancy and shrinkage mirror them. */
  inputs: StaffingInputs;
}

export const DEFAULT_STAFFING: StaffingSettings = {
  thresholdS: 20,
  slTarget: 0.8,
  maxOccupancy: 0.85,
  shrinkage: 0.3,
  timeZone: 'UTC',
  openingHours: null,
  inputs: DEFAULT_INPUTS,
};

export async function loadStaffingSettings(
  client: ClickHouseClient,
  queues: string[],
  nowMs: number,
): Promise<Map<string, StaffingSettings>> {
  const out = new Map(queues.map((q) => [q, { ...DEFAULT_STAFFING }]));
  const inputVersions = await loadInputVersions(client, queues);
  const withInputs = () => {
    for (const [q, st] of out) {
      const inputs = inputsAt(inputVersions.get(q)!, nowMs).inputs;
      out.set(q, { ...st, inputs, maxOccupancy: inputs.max_occupancy, shrinkage: inputs.shrinkage });
    }
    return out;
  };
  const exists = await (
    await client.query({
      query: `SELECT count() AS n FROM system.tables WHERE database = currentDatabase() AND name = {name:String}`,
      query_params: { name: 'queue_settings' },
      format: 'JSONEachRow',
    })
  ).json<{ n: string }>();
  if (Number(exists[0]?.n ?? 0) === 0) return withInputs();
  const rows = await (
    await client.query({
      query: `SELECT queue, argMax(threshold_s, (effective_from, version)) AS t, argMax(sl_target, (effective_from, version)) AS sl,
                     argMax(time_zone, (effective_from, version)) AS tz, argMax(opening_hours, (effective_from, version)) AS oh
              FROM queue_settings FINAL
              WHERE has({queues:Array(String)}, queue) AND effective_from <= {now:DateTime64(3, 'UTC')}
              GROUP BY queue`,
      query_params: { queues, now: chTime(nowMs) },
      format: 'JSONEachRow',
    })
  ).json<{ queue: string; t: number | string; sl: number | string; tz: string; oh: string }>();
  for (const r of rows)
    out.set(r.queue, {
      ...DEFAULT_STAFFING,
      thresholdS: Number(r.t),
      slTarget: Number(r.sl),
      timeZone: r.tz || 'UTC',
      openingHours: r.oh ? (JSON.parse(r.oh) as OpeningHours) : null,
    });
  return withInputs();
}
