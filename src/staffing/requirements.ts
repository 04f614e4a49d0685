// Requirements per interval from a forecast: Erlang C/A sizing, shrinkage gross-up and
// metrics, column-wise on typed arrays (the shape data arrives in from ClickHouse/Arrow) with
// a row-object wrapper for small inputs.
import { grossUp, requiredAgentsUnchecked, validateTargets, validateWorkload } from './required.js';
import type { StaffingModel, StaffingResult, StaffingTargets, Workload } from './types.js';

export interface QueueSettings extends StaffingTargets {
  /** Interval length in seconds; default 1800. */
  intervalSeconds?: number | undefined;
  /** Fraction of paid time agents are unavailable, in [0, 1); default 0. */
  shrinkage?: number | undefined;
  /** Contacts per agent at once (chat); default 1. */
  concurrency?: number | undefined;
  /** Mean patience in seconds → Erlang A; null/undefined → Erlang C. */
  patience?: number | null | undefined;
}

export interface ForecastColumns {
  /** Interval start, e.g. epoch milliseconds; copied through untouched. */
  intervalStart: ArrayLike<number>;
  /** Contacts offered per interval. */
  volume: ArrayLike<number>;
  /** Average handle time per interval, seconds. */
  aht: ArrayLike<number>;
}

export interface RequirementColumns {
  intervalStart: Float64Array;
  volume: Float64Array;
  aht: Float64Array;
  required: Int32Array;
  scheduledNeeded: Int32Array;
  expectedSl: Float64Array;
  asa: Float64Array;
  occupancy: Float64Array;
  abandon: Float64Array;
  /** 1 where the targets were met, 0 where they were unreachable (required = the cap). */
  met: Uint8Array;
  model: StaffingModel;
}

export interface RequirementRow<T = number | string> {
  interval_start: T;
  volume: number;
  aht: number;
  required: number;
  scheduled_needed: number;
  expected_sl: number;
  asa: number;
  occupancy: number;
  abandon: number;
  target_met: boolean;
}

/**
 * Reuses results across intervals with identical (volume, AHT) under the same settings.
 * Pass one cache to many calls (e.g. many queues sharing settings); settings are part of the key.
 */
export class StaffingCache {
  private readonly bySettings = new Map<string, Map<number, Map<number, StaffingResult>>>();
  forSettings(settings: QueueSettings): Map<number, Map<number, StaffingResult>> {
    const key = settingsKey(settings);
    let m = this.bySettings.get(key);
    if (!m) this.bySettings.set(key, (m = new Map()));
    return m;
  }
}

function settingsKey(s: QueueSettings): string {
  return [
    s.intervalSeconds ?? 1800,
    s.serviceLevel,
    s.threshold,
    s.asa ?? '',
    s.maxOccupancy ?? 1,
    s.maxAgents ?? '',
    s.concurrency ?? 1,
    s.patience ?? '',
  ].join('|');
}

export function validateSettings(s: QueueSettings): void {
  validateTargets(s);
  const shrinkage = s.shrinkage ?? 0;
  if (!(shrinkage >= 0 && shrinkage < 1)) throw new RangeError(`shrinkage must be in [0, 1), got ${shrinkage}`);
  validateWorkload({
    volume: 0,
    intervalSeconds: s.intervalSeconds ?? 1800,
    aht: 1,
    patience: s.patience,
    concurrency: s.concurrency,
  });
}

export function computeRequirementColumns(
  forecast: ForecastColumns,
  settings: QueueSettings,
  options: { cache?: StaffingCache } = {},
): RequirementColumns {
  validateSettings(settings);
  const n = forecast.volume.length;
  if (forecast.aht.length !== n || forecast.intervalStart.length !== n) {
    throw new RangeError('intervalStart, volume and aht must have the same length');
  }
  const out: RequirementColumns = {
    intervalStart: Float64Array.from(forecast.intervalStart),
    volume: new Float64Array(n),
    aht: new Float64Array(n),
    required: new Int32Array(n),
    scheduledNeeded: new Int32Array(n),
    expectedSl: new Float64Array(n),
    asa: new Float64Array(n),
    occupancy: new Float64Array(n),
    abandon: new Float64Array(n),
    met: new Uint8Array(n),
    model: settings.patience != null && Number.isFinite(settings.patience) ? 'erlang-a' : 'erlang-c',
  };
  // Opt-in: for cheap Erlang C sizing the Map lookups cost more than they save (see bench).
  const cache = options.cache?.forSettings(settings);
  const shrinkage = settings.shrinkage ?? 0;
  const w: Workload = {
    volume: 0,
    intervalSeconds: settings.intervalSeconds ?? 1800,
    aht: 1,
    patience: settings.patience,
    concurrency: settings.concurrency,
  };
  for (let i = 0; i < n; i++) {
    const volume = forecast.volume[i]!;
    const aht = forecast.aht[i]!;
    out.volume[i] = volume;
    out.aht[i] = aht;
    if (!(volume >= 0) || !Number.isFinite(volume))
      throw new RangeError(`volume at index ${i} must be a finite number ≥ 0, got ${volume}`);
    if (volume === 0) {
      out.expectedSl[i] = 1;
      out.met[i] = 1;
      continue;
    }
    if (!(aht > 0) || !Number.isFinite(aht))
      throw new RangeError(`aht at index ${i} must be a finite number > 0, got ${aht}`);
    let r: StaffingResult | undefined;
    let byAht: Map<number, StaffingResult> | undefined;
    if (cache) {
      byAht = cache.get(volume);
      if (!byAht) cache.set(volume, (byAht = new Map()));
      r = byAht.get(aht);
    }
    if (!r) {
      w.volume = volume;
      w.aht = aht;
      r = requiredAgentsUnchecked(w, settings);
      byAht?.set(aht, r);
    }
    out.required[i] = r.agents;
    out.scheduledNeeded[i] = grossUp(r.agents, shrinkage);
    out.expectedSl[i] = r.metrics.serviceLevel;
    out.asa[i] = r.metrics.asa;
    out.occupancy[i] = r.metrics.occupancy;
    out.abandon[i] = r.metrics.abandon;
    out.met[i] = r.met ? 1 : 0;
  }
  return out;
}

/** Row-object form: [{interval_start, volume, aht}] → requirement rows (interval_start kept as given). */
export function computeRequirements<T>(
  forecast: ReadonlyArray<{ interval_start: T; volume: number; aht: number }>,
  settings: QueueSettings,
  options: { cache?: StaffingCache } = {},
): RequirementRow<T>[] {
  const cols = computeRequirementColumns(
    {
      intervalStart: new Float64Array(forecast.length),
      volume: forecast.map((r) => r.volume),
      aht: forecast.map((r) => r.aht),
    },
    settings,
    options,
  );
  return forecast.map((r, i) => ({
    interval_start: r.interval_start,
    volume: r.volume,
    aht: r.aht,
    required: cols.required[i]!,
    scheduled_needed: cols.scheduledNeeded[i]!,
    expected_sl: cols.expectedSl[i]!,
    asa: cols.asa[i]!,
    occupancy: cols.occupancy[i]!,
    abandon: cols.abandon[i]!,
    target_met: cols.met[i] === 1,
  }));
}
