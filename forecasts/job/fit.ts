// One queue × channel: volume and AHT forecasts plus each model's backtest WAPE and MASE.
// Pure (no I/O) so it runs the same inline or in a worker thread.
import { fitAndForecastAht } from '../aht.js';
import { naiveScale } from '../backtest/accuracy.js';

export const SEASON = 48;
export const WEEK = 7;
const P = SEASON * WEEK;

export interface FitInput {
  volume: Float64Array;
  aht: Float64Array;
  horizon: number;
  /** Per history day, 0 or the code of a day to replace by its neighbouring weekdays (unusual-days.ts). */
  dayCodes?: Int32Array;
}

export interface ModelScore {
  model: string;
  wape: number | null;
  mase: number | null;
  weight: number;
}

export interface FitOutput {
  volume: Float64Array;
  aht: Float64Array;
  lo80: Float64Array;
  hi80: Float64Array;
  lo95: Float64Array;
  hi95: Float64Array;
  model: string;
  scores: ModelScore[];
  backtestOrigins: number;
  backtestHorizon: number;
}

/**
 * Backtest windows must fit after two weeks of training: with less history than 2 weeks + 2 ×
 * horizon, the windows shrink to whole days (6 weeks ahead from 8 weeks of history backtests
 * on 2 × 14 days rather than not at all).
 */
export function selectionHorizon(n: number, horizon: number): number {
  const room = Math.floor((n - 2 * P) / 2 / SEASON) * SEASON;
  return Math.max(SEASON, Math.min(horizon, room));
}

// The codes run through the horizon as 0: the days ahead take the calendar's factor in the job.
function specialDays(codes: Int32Array | undefined, horizon: number) {
  if (!codes || !codes.some((c) => c !== 0)) return undefined;
  const all = new Int32Array(codes.length + Math.ceil(horizon / SEASON));
  all.set(codes);
  return { codes: all };
}

export function fitSeries(input: FitInput): FitOutput {
  const { volume: y, horizon } = input;
  const hs = selectionHorizon(y.length, horizon);
  const r = fitAndForecastAht(y, input.aht, {
    season: SEASON,
    week: WEEK,
    horizon,
    selectionOrigins: 2,
    selectionHorizon: hs,
    special: specialDays(input.dayCodes, horizon),
  });
  const v = r.volume;
  const origins = v.selectionOrigins;

  // MASE pooled over the backtest windows: MAE = WAPE · Σ|y| / points; scale = in-sample weekly naive.
  let scale = Number.NaN;
  let meanAbs = 0;
  if (origins > 0) {
    const first = y.length - origins * hs;
    scale = naiveScale(y.subarray(0, first), P);
    for (let t = first; t < y.length; t++) meanAbs += Math.abs(y[t]!);
    meanAbs /= origins * hs;
  }
  const weights = new Map(v.members.map((m) => [m.alias, m.weight]));
  const scores: ModelScore[] = Object.entries(v.selectionWape)
    .sort((a, b) => a[0].localeCompare(b[0]))
    .map(([model, wape]) => {
      const ok = Number.isFinite(wape);
      const mase = ok && scale > 0 ? (wape * meanAbs) / scale : Number.NaN;
      return {
        model,
        wape: ok ? wape : null,
        mase: Number.isFinite(mase) ? mase : null,
        weight: weights.get(model) ?? 0,
      };
    });

  // Erlang needs AHT > 0 wherever volume is forecast: fall back to the history's overall AHT.
  let work = 0;
  let handled = 0;
  for (let t = 0; t < y.length; t++)
    if (input.aht[t]! > 0) {
      work += y[t]! * input.aht[t]!;
      handled += y[t]!;
    }
  const overall = handled > 0 ? work / handled : 0;
  const aht = Float64Array.from(r.aht, (a, i) =>
    v.forecast[i]! > 0 && !(a > 0 && Number.isFinite(a)) ? overall : v.forecast[i]! > 0 ? a : 0,
  );

  return {
    volume: v.forecast,
    aht,
    lo80: v.lo80,
    hi80: v.hi80,
    lo95: v.lo95,
    hi95: v.hi95,
    model: v.model,
    scores,
    backtestOrigins: origins,
    backtestHorizon: hs,
  };
}
