// Rolling-origin backtest: the last `origins` windows of `horizon` points, back to back; each
// origin refits everything (including the ensemble's own internal selection) on data before it.
// Imputed points (`options.missing`, the calendar's missing days) are never scored.
import { weekLength } from '../models/types.js';
import { fitAndForecast, type ForecastOptions } from '../pipeline.js';
import { mase } from './accuracy.js';

export interface Score {
  wape: number;
  mase: number;
  dailyWape: number;
  /** mean fit + predict time per origin */
  fitMs: number;
  failures: number;
}

export interface BacktestReport {
  points: number;
  season: number;
  week: number;
  horizon: number;
  /** index of each origin (first forecast point) in the series */
  origins: number[];
  models: Record<string, Score>;
  ensemble: Score & { coverage80: number; coverage95: number; chosen: string[] };
}

class Accumulator {
  err = 0;
  tot = 0;
  dayErr = 0;
  dayTot = 0;
  mase = 0;
  ms = 0;
  count = 0;
  failures = 0;
  add(
    actual: Float64Array,
    f: Float64Array,
    history: Float64Array,
    season: number,
    lag: number,
    firstSlot: number,
    ms: number,
    missing?: Uint8Array,
  ): void {
    const scored = (i: number): boolean => missing?.[i] !== 1;
    for (let i = 0; i < actual.length; i++) {
      if (!scored(i)) continue;
      this.err += Math.abs(actual[i]! - f[i]!);
      this.tot += Math.abs(actual[i]!);
    }
    const days = new Map<number, [number, number]>();
    for (let i = 0; i < actual.length; i++) {
      if (!scored(i)) continue;
      const d = Math.floor((firstSlot + i) / season);
      const c = days.get(d) ?? [0, 0];
      c[0] += actual[i]!;
      c[1] += f[i]!;
      days.set(d, c);
    }
    for (const [a, b] of days.values()) {
      this.dayErr += Math.abs(a - b);
      this.dayTot += Math.abs(a);
    }
    const kept = missing ? Float64Array.from({ length: actual.length }, (_, i) => i).filter(scored) : undefined;
    this.mase += kept
      ? mase(
          kept.map((i) => actual[i]!),
          kept.map((i) => f[i]!),
          history,
          lag,
        )
      : mase(actual, f, history, lag);
    this.ms += ms;
    this.count++;
  }
  score(): Score {
    const r = (x: number): number => Math.round(x * 10000) / 10000;
    return {
      wape: r(this.err / this.tot),
      mase: r(this.mase / this.count),
      dailyWape: r(this.dayErr / this.dayTot),
      fitMs: Math.round((this.ms / Math.max(1, this.count + this.failures)) * 10) / 10,
      failures: this.failures,
    };
  }
}

export function rollingBacktest(
  y: Float64Array,
  options: ForecastOptions & { origins: number },
  onOrigin?: (done: number, total: number) => void,
): BacktestReport {
  const h = options.horizon;
  const week = options.week ?? 7;
  const lag = weekLength({ season: options.season, week });
  const origins: number[] = [];
  for (let k = options.origins; k >= 1; k--) {
    const cut = y.length - k * h;
    if (cut >= 2 * lag) origins.push(cut);
  }
  if (origins.length === 0)
    throw new Error(
      `series too short: ${y.length} points for ${options.origins} origins of ${h} plus two weeks of training`,
    );
  const perModel = new Map<string, Accumulator>();
  const ensemble = new Accumulator();
  let in80 = 0;
  let in95 = 0;
  let covered = 0;
  const chosen: string[] = [];
  origins.forEach((cut, i) => {
    onOrigin?.(i, origins.length);
    const history = y.subarray(0, cut);
    const actual = y.subarray(cut, cut + h);
    const missing = options.missing?.subarray(cut, cut + h);
    const started = performance.now();
    const result = fitAndForecast(history, {
      ...options,
      ...(options.missing ? { missing: options.missing.subarray(0, cut) } : {}),
    });
    const ms = performance.now() - started;
    const firstSlot = cut % options.season;
    for (const c of result.candidates) {
      const acc = perModel.get(c.alias) ?? perModel.set(c.alias, new Accumulator()).get(c.alias)!;
      if (c.forecast) acc.add(actual, c.forecast, history, options.season, lag, firstSlot, c.fitMs, missing);
      else acc.failures++;
    }
    ensemble.add(actual, result.forecast, history, options.season, lag, firstSlot, ms, missing);
    // coverage where the forecast is a forecast: not on imputed points, not where closed by rule (exactly 0)
    for (let i = 0; i < h; i++) {
      if (missing?.[i] === 1 || result.zero[i] === 1) continue;
      const a = actual[i]!;
      if (a >= result.lo80[i]! - 1e-9 && a <= result.hi80[i]! + 1e-9) in80++;
      if (a >= result.lo95[i]! - 1e-9 && a <= result.hi95[i]! + 1e-9) in95++;
      covered++;
    }
    chosen.push(result.model);
  });
  onOrigin?.(origins.length, origins.length);
  const models: Record<string, Score> = {};
  for (const [alias, acc] of perModel) models[alias] = acc.score();
  const r = (x: number): number => Math.round(x * 10000) / 10000;
  return {
    points: y.length,
    season: options.season,
    week,
    horizon: h,
    origins,
    models,
    ensemble: { ...ensemble.score(), coverage80: r(in80 / covered), coverage95: r(in95 / covered), chosen },
  };
}
