// fitAndForecast: the one entry point a job calls per series (queue × metric).
//  1. rolling-origin backtest of every candidate on the series' own recent history (≥ 4 windows);
//  2. combination = per-point median of the candidates whose pooled backtest WAPE is within 20 %
//     of the best (at least the best three); seasonal naive is the floor: if the combination does not beat it on the same
//     windows, seasonal naive is the forecast;
//  3. fit all candidates on the full history and combine the chosen ones the same way;
//  4. 80/95 % intervals from the combination's own backtest residuals, per lead-time band.
import type { ForecastModel, SeriesShape } from './models/types.js';
import { weekLength } from './models/types.js';
import { FALLBACK_ALIAS, modelsByAlias } from './models/registry.js';
import { runCandidates, type CandidateForecast, type SpecialDayOptions } from './candidates.js';
import { calibrate, intervalsFor, leadBands, type IntervalScale, type ResidualSample } from './intervals.js';

export interface ForecastOptions {
  season: number;
  week?: number;
  horizon: number;
  models?: readonly string[];
  special?: SpecialDayOptions;
  /** windows of the internal backtest that picks the combination and calibrates intervals (default 4) */
  selectionOrigins?: number;
  /**
   * length of each internal backtest window. Default: the forecast horizon, shortened to whole
   * days when the history cannot hold `selectionOrigins` such windows after two weeks of training.
   */
  selectionHorizon?: number;
  /** a model joins the combination when its backtest WAPE ≤ (1 + tolerance) × the best (default 0.2) */
  selectionTolerance?: number;
  /** fewest members: when fewer are within the tolerance, the best this many (default 3: a median needs three) */
  minMembers?: number;
  /** how the members are combined per point (default 'median') */
  combination?: Combination;
  /** at most this many members (the best ones); default: no limit */
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

/** 'median': per-point median of the members; 'trimmed': mean without each point's highest and lowest. */
export type Combination = 'median' | 'trimmed' | 'mean';

export interface EnsembleMember {
  alias: string;
  /** equal shares (the combination is a median, not a weighted mean; kept for reports) */
  weight: number;
}

export interface ForecastResult {
  forecast: Float64Array;
  lo80: Float64Array;
  hi80: Float64Array;
  lo95: Float64Array;
  hi95: Float64Array;
  /** e.g. "ensemble:dshw+fourier_ridge+topdown" (per-point median of those) or "snaive_week" */
  model: string;
  members: EnsembleMember[];
  /** per-model WAPE of the internal backtest (NaN where the model failed) */
  selectionWape: Record<string, number>;
  /** the combination's own WAPE on the same windows (NaN without a backtest) */
  combinationWape: number;
  /** every candidate's forecast on the full history */
  candidates: CandidateForecast[];
  /** horizon points forced to exactly 0 (closed) */
  zero: Uint8Array;
  selectionOrigins: number;
  selectionHorizon: number;
}

/** Combines the members' forecasts point by point (median by default). */
export function combine(
  members: readonly EnsembleMember[],
  forecasts: Map<string, Float64Array>,
  h: number,
  how: Combination = 'median',
): Float64Array {
  const out = new Float64Array(h);
  const k = members.length;
  const fs = members.map((m) => forecasts.get(m.alias)!);
  const v = new Float64Array(k);
  for (let i = 0; i < h; i++) {
    for (let j = 0; j < k; j++) v[j] = fs[j]![i]!;
    if (how === 'mean' || k <= 2) {
      let s = 0;
      for (let j = 0; j < k; j++) s += v[j]!;
      out[i] = s / k;
      continue;
    }
    v.sort();
    if (how === 'median') out[i] = k % 2 === 1 ? v[k >> 1]! : (v[(k >> 1) - 1]! + v[k >> 1]!) / 2;
    else {
      let s = 0;
      for (let j = 1; j < k - 1; j++) s += v[j]!;
      out[i] = s / (k - 2);
    }
  }
  return out;
}

const forecastMap = (c: CandidateForecast[]): Map<string, Float64Array> =>
  new Map(c.filter((x) => x.forecast).map((x) => [x.alias, x.forecast!]));

/** Backtest windows: `wanted` back-to-back windows at the end, shortened to whole days if the history is short. */
export function selectionWindows(
  n: number,
  shape: SeriesShape,
  horizon: number,
  wanted: number,
  fixedLength?: number,
): { origins: number[]; length: number } {
  const minTrain = 2 * weekLength(shape);
  let length = fixedLength ?? horizon;
  if (fixedLength === undefined && n - wanted * length < minTrain) {
    const room = Math.floor((n - minTrain) / wanted / shape.season) * shape.season;
    length = Math.max(shape.season, Math.min(length, room));
  }
  const origins: number[] = [];
  for (let k = wanted; k >= 1; k--) if (n - k * length >= minTrain) origins.push(n - k * length);
  return { origins, length };
}

export function fitAndForecast(y: Float64Array, options: ForecastOptions): ForecastResult {
  const shape: SeriesShape = { season: options.season, week: options.week ?? 7 };
  const p = weekLength(shape);
  const h = options.horizon;
  const how = options.combination ?? 'median';
  const models: ForecastModel[] = modelsByAlias(options.models);
  if (!models.some((m) => m.alias === FALLBACK_ALIAS)) models.push(...modelsByAlias([FALLBACK_ALIAS]));
  const { origins, length: hs } = selectionWindows(
    y.length,
    shape,
    h,
    options.selectionOrigins ?? 4,
    options.selectionHorizon,
  );
  const total = origins.length + 1;
  const progress = options.onProgress ?? (() => undefined);
  const missing = options.missing;
  if (missing && missing.length !== y.length) throw new Error('missing must have one flag per point of y');
  const scored = (t: number): boolean => missing?.[t] !== 1;

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
        if (!scored(cut + t)) continue;
        acc.err += Math.abs(actual[t]! - c.forecast[t]!);
        acc.tot += Math.abs(actual[t]!);
      }
    }
    inner.push({ cut, forecasts: forecastMap(run.candidates), zero: run.zero });
  });
  const wapeOf = (err: number, tot: number): number => (tot > 0 ? err / tot : err === 0 ? 0 : Infinity);
  const selectionWape: Record<string, number> = {};
  for (const [alias, e] of errors)
    selectionWape[alias] = e.ok && origins.length > 0 ? wapeOf(e.err, e.tot) : Number.NaN;

  // 3. final fit
  progress('fit', origins.length, total);
  const final = runCandidates(y, shape, h, models, options.special, options.closedWeeks, missing);
  const finalMap = forecastMap(final.candidates);

  // 2. members: models that worked in every window and now, within the tolerance of the best
  const ranked = Object.entries(selectionWape)
    .filter(([alias, w]) => Number.isFinite(w) && finalMap.has(alias))
    .sort((a, b) => a[1] - b[1] || a[0].localeCompare(b[0]));
  const backtestWape = (members: EnsembleMember[]): number => {
    let err = 0;
    let tot = 0;
    for (const o of inner) {
      const f = combine(members, o.forecasts, hs, how);
      for (let t = 0; t < hs; t++) {
        if (!scored(o.cut + t)) continue;
        err += Math.abs(y[o.cut + t]! - f[t]!);
        tot += Math.abs(y[o.cut + t]!);
      }
    }
    return wapeOf(err, tot);
  };
  const equal = (aliases: string[]): EnsembleMember[] =>
    aliases.map((alias) => ({ alias, weight: 1 / aliases.length }));
  let members: EnsembleMember[];
  let combinationWape = Number.NaN;
  if (ranked.length === 0) {
    const fallback = finalMap.has(FALLBACK_ALIAS) ? FALLBACK_ALIAS : [...finalMap.keys()][0];
    if (!fallback) throw new Error(`no model could forecast this series (${y.length} points; need at least one week)`);
    members = equal([fallback]);
  } else {
    const limit = ranked[0]![1] * (1 + (options.selectionTolerance ?? 0.2));
    const within = ranked.filter(([, w]) => w <= limit).length;
    const count = Math.min(ranked.length, Math.max(within, options.minMembers ?? 3), options.ensembleSize ?? Infinity);
    members = equal(ranked.slice(0, count).map(([alias]) => alias));
    combinationWape = backtestWape(members);
    // the floor: a combination that does not beat seasonal naive on the same windows is not used
    const naive = selectionWape[FALLBACK_ALIAS];
    if (naive !== undefined && Number.isFinite(naive) && finalMap.has(FALLBACK_ALIAS) && !(combinationWape < naive)) {
      members = equal([FALLBACK_ALIAS]);
      combinationWape = naive;
    }
  }
  const forecast = combine(members, finalMap, h, how);

  // 4. intervals from the combination's own backtest residuals (or week-over-week changes if no backtest ran)
  const samples: ResidualSample[] = [];
  for (const o of inner) {
    const f = combine(members, o.forecasts, hs, how);
    for (let t = 0; t < hs; t++)
      if (o.zero[t] === 0 && scored(o.cut + t)) samples.push({ lead: t, actual: y[o.cut + t]!, forecast: f[t]! });
  }
  if (samples.length === 0)
    for (let t = p; t < y.length; t++) samples.push({ lead: 0, actual: y[t]!, forecast: y[t - p]! });
  const bands = leadBands(shape.season, p, Math.max(h, hs));
  const intervalModel = calibrate(samples, bands, options.intervalScale ?? 'auto');
  const intervals = intervalsFor(forecast, intervalModel, (i) => final.zero[i] === 1);
  progress('fit', total, total);

  const model = members.length === 1 ? members[0]!.alias : `ensemble:${members.map((m) => m.alias).join('+')}`;
  return {
    forecast,
    ...intervals,
    model,
    members,
    selectionWape,
    combinationWape,
    candidates: final.candidates,
    zero: final.zero,
    selectionOrigins: origins.length,
    selectionHorizon: hs,
  };
}
