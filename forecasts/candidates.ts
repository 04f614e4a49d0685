// Fits every candidate model on one history and returns their post-processed forecasts:
// special days applied, closed slots exactly 0, never negative. A model that throws or
// returns non-finite values is reported as failed, never passed on.
import type { ForecastModel, SeriesShape } from './models/types.js';
import { weekLength } from './models/types.js';
import { applySpecialDays, cleanSpecialDays, closedSlots } from './special-days.js';

export interface SpecialDayOptions {
  /** one code per day from day 0 of the history through the end of the horizon; 0 = ordinary */
  codes: Int32Array;
  /** given multipliers per code (e.g. 0 for a day the centre is closed); learned ones fill the rest */
  multipliers?: ReadonlyMap<number, number>;
}

export interface CandidateForecast {
  alias: string;
  forecast?: Float64Array;
  error?: string;
  fitMs: number;
}

export interface CandidateRun {
  candidates: CandidateForecast[];
  /** weekly-slot closed mask (length season × week) */
  closed: Uint8Array;
  /** true where the horizon point is forced to exactly 0 (closed slot or a zero multiplier) */
  zero: Uint8Array;
}

export function runCandidates(
  y: Float64Array,
  shape: SeriesShape,
  horizon: number,
  models: readonly ForecastModel[],
  special?: SpecialDayOptions,
  closedWeeks = 4,
  missing?: Uint8Array,
): CandidateRun {
  const n = y.length;
  const p = weekLength(shape);
  const closed = closedSlots(y, shape, closedWeeks);
  const { y: cleaned, learned } = cleanSpecialDays(y, shape, special?.codes, missing);
  const extra = missing ? { missing } : {};
  const multiplier = (code: number): number | undefined => special?.multipliers?.get(code) ?? learned.get(code);
  const zero = new Uint8Array(horizon);
  for (let i = 0; i < horizon; i++) {
    const code = special?.codes[Math.floor((n + i) / shape.season)] ?? 0;
    if (closed[(n + i) % p] === 1 || (code !== 0 && special?.multipliers?.get(code) === 0)) zero[i] = 1;
  }
  const candidates = models.map((model): CandidateForecast => {
    const started = performance.now();
    try {
      if (n < model.minLength(shape)) throw new Error(`needs ${model.minLength(shape)} points, has ${n}`);
      const fitted = model.nativeSpecialDays
        ? model.fit({ y, shape, ...extra, ...(special ? { special: { codes: special.codes } } : {}) })
        : model.fit({ y: cleaned, shape, ...extra });
      const f = fitted.predict(horizon);
      applySpecialDays(f, n, shape.season, special?.codes, multiplier, fitted.handledCodes);
      for (let i = 0; i < horizon; i++) {
        const v = f[i]!;
        if (!Number.isFinite(v)) throw new Error(`non-finite forecast at step ${i + 1}`);
        f[i] = zero[i] === 1 || v < 0 ? 0 : v;
      }
      return { alias: model.alias, forecast: f, fitMs: performance.now() - started };
    } catch (error) {
      return {
        alias: model.alias,
        error: error instanceof Error ? error.message : String(error),
        fitMs: performance.now() - started,
      };
    }
  });
  return { candidates, closed, zero };
}
