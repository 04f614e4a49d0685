// What-if: change volume, AHT, targets, shrinkage or the occupancy cap and see what it does to
// requirements — and, given the staff already planned, to the service level they would deliver.
import { evaluateStaffing } from './required.js';
import { computeRequirements, type QueueSettings, type RequirementRow } from './requirements.js';

export interface WhatIfChanges {
  /** Volume change in percent: +10 means ×1.10. */
  volumePct?: number;
  /** AHT change in percent, applied after `ahtSeconds` if both are given. */
  ahtPct?: number;
  /** Replace every interval's AHT with this many seconds. */
  ahtSeconds?: number;
  serviceLevel?: number;
  threshold?: number;
  asa?: number | null;
  shrinkage?: number;
  maxOccupancy?: number;
}

/** Names as in the API (snake_case); the camelCase ones are the first-shipped names, deprecated. */
export interface WhatIfSummary {
  /** Σ required × interval length, agent-hours. */
  required_hours: number;
  /** Σ scheduled_needed × interval length, agent-hours. */
  scheduled_hours: number;
  peak_required: number;
  /** Volume-weighted expected service level, 0–1. */
  service_level: number;
  /** Intervals whose targets are unreachable. */
  unmet_intervals: number;
  /** @deprecated required_hours */
  requiredHours: number;
  /** @deprecated scheduled_hours */
  scheduledHours: number;
  /** @deprecated peak_required */
  peakRequired: number;
  /** @deprecated service_level */
  serviceLevel: number;
  /** @deprecated unmet_intervals */
  unmetIntervals: number;
}

/** scenario − baseline; camelCase names deprecated as in WhatIfSummary. */
export interface WhatIfDelta {
  required_hours: number;
  scheduled_hours: number;
  service_level: number;
  /** @deprecated required_hours */
  requiredHours: number;
  /** @deprecated scheduled_hours */
  scheduledHours: number;
  /** @deprecated service_level */
  serviceLevel: number;
}

function summaryOf(
  requiredHours: number,
  scheduledHours: number,
  peak: number,
  sl: number,
  unmet: number,
): WhatIfSummary {
  return {
    required_hours: requiredHours,
    scheduled_hours: scheduledHours,
    peak_required: peak,
    service_level: sl,
    unmet_intervals: unmet,
    requiredHours,
    scheduledHours,
    peakRequired: peak,
    serviceLevel: sl,
    unmetIntervals: unmet,
  };
}

export interface WhatIfScenario<T> {
  settings: QueueSettings;
  rows: RequirementRow<T>[];
  summary: WhatIfSummary;
  /** With `staffed` given: SL each interval would get with that many agents on the phones. */
  slWithStaffed?: number[];
  /** Volume-weighted SL with the staffed agents. */
  serviceLevelWithStaffed?: number;
}

export interface WhatIfResult<T> {
  baseline: WhatIfScenario<T>;
  scenario: WhatIfScenario<T>;
  /** scenario − baseline. */
  delta: WhatIfDelta;
}

type ForecastRow<T> = { interval_start: T; volume: number; aht: number };

export function applyChanges<T>(
  forecast: ReadonlyArray<ForecastRow<T>>,
  settings: QueueSettings,
  changes: WhatIfChanges,
): { forecast: ForecastRow<T>[]; settings: QueueSettings } {
  const volumeFactor = 1 + (changes.volumePct ?? 0) / 100;
  const ahtFactor = 1 + (changes.ahtPct ?? 0) / 100;
  if (!(volumeFactor >= 0)) throw new RangeError(`volumePct must be ≥ −100, got ${changes.volumePct}`);
  if (!(ahtFactor > 0)) throw new RangeError(`ahtPct must be > −100, got ${changes.ahtPct}`);
  if (changes.ahtSeconds != null && !(changes.ahtSeconds > 0))
    throw new RangeError(`ahtSeconds must be > 0, got ${changes.ahtSeconds}`);
  return {
    forecast: forecast.map((r) => ({
      interval_start: r.interval_start,
      volume: r.volume * volumeFactor,
      aht: (changes.ahtSeconds ?? r.aht) * ahtFactor,
    })),
    settings: {
      ...settings,
      ...(changes.serviceLevel != null ? { serviceLevel: changes.serviceLevel } : {}),
      ...(changes.threshold != null ? { threshold: changes.threshold } : {}),
      ...(changes.asa !== undefined ? { asa: changes.asa } : {}),
      ...(changes.shrinkage != null ? { shrinkage: changes.shrinkage } : {}),
      ...(changes.maxOccupancy != null ? { maxOccupancy: changes.maxOccupancy } : {}),
    },
  };
}

export function whatIf<T>(
  forecast: ReadonlyArray<ForecastRow<T>>,
  settings: QueueSettings,
  changes: WhatIfChanges,
  staffed?: ArrayLike<number>,
): WhatIfResult<T> {
  if (staffed && staffed.length !== forecast.length)
    throw new RangeError('staffed must have one entry per forecast interval');
  const baseline = scenarioOf(forecast, settings, staffed);
  const changed = applyChanges(forecast, settings, changes);
  const scenario = scenarioOf(changed.forecast, changed.settings, staffed);
  return {
    baseline,
    scenario,
    delta: deltaOf(scenario.summary, baseline.summary),
  };
}

function deltaOf(scenario: WhatIfSummary, baseline: WhatIfSummary): WhatIfDelta {
  const required = scenario.required_hours - baseline.required_hours;
  const scheduled = scenario.scheduled_hours - baseline.scheduled_hours;
  const sl = scenario.service_level - baseline.service_level;
  return {
    required_hours: required,
    scheduled_hours: scheduled,
    service_level: sl,
    requiredHours: required,
    scheduledHours: scheduled,
    serviceLevel: sl,
  };
}

function scenarioOf<T>(
  forecast: ReadonlyArray<ForecastRow<T>>,
  settings: QueueSettings,
  staffed?: ArrayLike<number>,
): WhatIfScenario<T> {
  const rows = computeRequirements(forecast, settings);
  const hours = (settings.intervalSeconds ?? 1800) / 3600;
  let requiredHours = 0;
  let scheduledHours = 0;
  let peak = 0;
  let vol = 0;
  let slVol = 0;
  let unmet = 0;
  for (const r of rows) {
    requiredHours += r.required * hours;
    scheduledHours += r.scheduled_needed * hours;
    peak = Math.max(peak, r.required);
    vol += r.volume;
    slVol += r.volume * r.expected_sl;
    if (!r.target_met) unmet++;
  }
  const out: WhatIfScenario<T> = {
    settings,
    rows,
    summary: summaryOf(requiredHours, scheduledHours, peak, vol > 0 ? slVol / vol : 1, unmet),
  };
  if (staffed) {
    const sl = rows.map((r, i) =>
      r.volume === 0
        ? 1
        : evaluateStaffing(
            {
              volume: r.volume,
              aht: r.aht,
              intervalSeconds: settings.intervalSeconds ?? 1800,
              patience: settings.patience,
              concurrency: settings.concurrency,
            },
            Math.max(0, Math.floor(staffed[i]!)),
            settings.threshold,
          ).serviceLevel,
    );
    out.slWithStaffed = sl;
    let s = 0;
    rows.forEach((r, i) => (s += r.volume * sl[i]!));
    out.serviceLevelWithStaffed = vol > 0 ? s / vol : 1;
  }
  return out;
}
