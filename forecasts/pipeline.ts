// fitAndForecast: the one entry point a job calls per series (queue × metric).
//  1. rolling-origin backtest of every candidate on the series' own recent history;
//  2. ensemble = inverse-WAPE weighted mean of the best few (fallback: seasonal naive);
//  3. fit all candidates on the full history and combine with those weights;
//  4. 80/95 % intervals from the ensemble's backtest residuals by lead time.
import type { ForecastModel, SeriesShape } from './models/types.js';
import { weekLength } from './models/types.js';
import { FALLBACK_ALIAS, modelsByAlias } from './models/registry.js';
import { runCandidates, type CandidateForecast, type SpecialDayOptions } from './candidates.js';
import { calibrate, intervalsFor, type IntervalScale, type ResidualSample } from './intervals.js';

export interface ForecastOptions {
  season: number;
  week?: number;
  horizon: number;
  models?: readonly string[];
  special?: SpecialDayOptions;
  /** origins of the internal backtest that picks the ensemble and calibrates intervals */
  selectionOrigins?: number;
  /** horizon of each internal backtest window (default: the forecast horizon) */
  selectionHorizon?: number;
  /** how many of the best models to average */
  ensembleSize?: number;
  closedWeeks?: number;
  /**
   * 1 for each point of y that was imputed, not observed (a missing day of the calendar, see
   * forecasts/io/series-csv.ts): never scored in the internal backtest, never learnt from.
   */
  missing?: Uint8Array;
  intervalScale?: IntervalScale;
  onProgress?: (stage: string, done: number, total: number) => void;
}

export interface EnsembleMember {
  alias: string;
  weight: number;
}

export interface ForecastResult {
  forecast: Float64Array;
  lo80: Float64Array;
  hi80: Float64Array;
  lo95: Float64Array;
  hi95: Float64Array;
  /** e.g. "ensemble:dshw+fourier_ridge+topdown" or "snaive_week" */
  model: string;
  members: EnsembleMember[];
  /** per-model WAPE of the internal backtest (NaN where the model failed) */
  selectionWape: Record<string, number>;
  /** every candidate's forecast on the full history */
  candidates: CandidateForecast[];
  /** horizon points forced to exactly 0 (closed) */
  zero: Uint8Array;
  selectionOrigins: number;
}

export const combine = (members: EnsembleMember[], forecasts: Map<string, Float64Array>, h: number): Float64Array => {
  const out = new Float64Array(h);
  for (const { alias, weight } of members) {
    const f = forecasts.get(alias)!;
    for (let i = 0; i < h; i++) out[i] = out[i]! + weight * f[i]!;
  }
  return out;
};

const forecastMap = (c: CandidateForecast[]): Map<string, Float64Array> =>
  new Map(c.filter((x) => x.forecast).map((x) => [x.alias, x.forecast!]));

export function fitAndForecast(y: Float64Array, options: ForecastOptions): ForecastResult {
  const shape: SeriesShape = { season: options.season, week: options.week ?? 7 };
  const p = weekLength(shape);
  const h = options.horizon;
  const models: ForecastModel[] = modelsByAlias(options.models);
  if (!models.some((m) => m.alias === FALLBACK_ALIAS)) models.push(...modelsByAlias([FALLBACK_ALIAS]));
  const hs = options.selectionHorizon ?? h;
  const wanted = options.selectionOrigins ?? 2;
  const minTrain = 2 * p;
  const origins: number[] = [];
  for (let k = wanted; k >= 1; k--) if (y.length - k * hs >= minTrain) origins.push(y.length - k * hs);
  const total = origins.length + 1;
  const progress = options.onProgress ?? (() => undefined);
  const missing = options.missing;
  if (missing && missing.length !== y.length) throw new Error('missing must have one flag per point of y');

  // 1. internal backtest
  const errors = new Map<string, { err: number; tot: number; ok: boolean }>(
    models.map((m) => [m.alias, { err: 0, tot: 0, ok: true }]),
  );
  const inner: { cut: number; forecasts: Map<string, Float64Array>; zero: Uint8Array }[] = [];
  origins.forEach((cut, i) => {
    progress('backtest', i, total);
    const run = runCandidates(
      y.subarray(0, cut),
      shape,
      hs,
      models,
      options.special,
      options.closedWeeks,
      missing?.subarray(0, cut),
    );
    const actual = y.subarray(cut, cut + hs);
    for (const c of run.candidates) {
      const acc = errors.get(c.alias)!;
      if (!c.forecast) {
        acc.ok = false;
        continue;
      }
      for (let t = 0; t < hs; t++) {
        if (missing?.[cut + t] === 1) continue;
        acc.err += Math.abs(actual[t]! - c.forecast[t]!);
        acc.tot += Math.abs(actual[t]!);
      }
    }
    inner.push({ cut, forecasts: forecastMap(run.candidates), zero: run.zero });
  });
  const selectionWape: Record<string, number> = {};
  for (const [alias, e] of errors)
    selectionWape[alias] =
      e.ok && origins.length > 0 ? (e.tot > 0 ? e.err / e.tot : e.err === 0 ? 0 : Infinity) : Number.NaN;

  // 3. final fit
  progress('fit', origins.length, total);
  const final = runCandidates(y, shape, h, models, options.special, options.closedWeeks, missing);
  const finalMap = forecastMap(final.candidates);

  // 2. choose members among models that worked both in the backtest and now
  const ranked = Object.entries(selectionWape)
    .filter(([alias, w]) => Number.isFinite(w) && finalMap.has(alias))
    .sort((a, b) => a[1] - b[1] || a[0].localeCompare(b[0]))
    .slice(0, options.ensembleSize ?? 3);
  let members: EnsembleMember[];
  if (ranked.length === 0) {
    const fallback = finalMap.has(FALLBACK_ALIAS) ? FALLBACK_ALIAS : [...finalMap.keys()][0];
    if (!fallback) throw new Error(`no model could forecast this series (${y.length} points; need at least one week)`);
    members = [{ alias: fallback, weight: 1 }];
  } else {
    const inv = ranked.map(([, w]) => 1 / Math.max(w, 1e-9));
    const sum = inv.reduce((a, b) => a + b, 0);
    members = ranked.map(([alias], i) => ({ alias, weight: inv[i]! / sum }));
  }
  const forecast = combine(members, finalMap, h);

  // 4. intervals from the ensemble's own backtest residuals (or week-over-week changes if no backtest ran)
  const samples: ResidualSample[] = [];
  for (const o of inner) {
    if (!members.every((m) => o.forecasts.has(m.alias))) continue;
    const f = combine(members, o.forecasts, hs);
    for (let t = 0; t < hs; t++)
      if (o.zero[t] === 0 && missing?.[o.cut + t] !== 1)
        samples.push({ lead: t, actual: y[o.cut + t]!, forecast: f[t]! });
  }
  if (samples.length === 0)
    for (let t = p; t < y.length; t++) samples.push({ lead: 0, actual: y[t]!, forecast: y[t - p]! });
  const intervalModel = calibrate(samples, p, options.intervalScale ?? 'sqrt');
  const bands = intervalsFor(forecast, intervalModel, (i) => final.zero[i] === 1);
  progress('fit', total, total);

  const model = members.length === 1 ? members[0]!.alias : `ensemble:${members.map((m) => m.alias).join('+')}`;
  return {
    forecast,
    ...bands,
    model,
    members,
    selectionWape,
    candidates: final.candidates,
    zero: final.zero,
    selectionOrigins: origins.length,
  };
}
