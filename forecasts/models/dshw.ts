// Taylor's double-seasonal Holt–Winters (Taylor 2003, J. Oper. Res. Soc.), additive form in
// error-correction shape: level + intraday seasonal (period = day) + weekly seasonal
// (period = week), with an AR(1) adjustment on the one-step errors. Additive rather than
// multiplicative seasonals because call series have closed/zero intervals. No trend term:
// over a 6-week horizon a trend extrapolates noise more often than it helps.
import type { FittedModel, ForecastModel, ModelInput, SeriesShape } from './types.js';
import { weekLength } from './types.js';
import { nelderMead, squash, unsquash } from './nelder-mead.js';
import { windowStart } from './window.js';
import { HUBER_K, ORIGIN_DAYS, clip, huber, madScale, median } from './robust.js';

export interface DshwParams {
  alpha: number; // level
  delta: number; // intraday seasonal
  omega: number; // weekly seasonal
  phi: number; // AR(1) on one-step errors
}

export interface DshwOptions {
  /** weeks of recent history used for fitting (older history is ignored) */
  weeks?: number;
  maxIterations?: number;
  /** fixed parameters (skips the optimiser) */
  params?: DshwParams;
  /**
   * 'sqrt' (default for non-negative series) fits on √y and squares back: counts' noise grows
   * with the level, and on the raw scale a few busy-hour errors drag the level around.
   */
  transform?: 'sqrt' | 'none';
  /** cap on each one-step error in the updates, in robust SDs (default HUBER_K; Infinity = none) */
  huberK?: number;
  /** days of filtered levels whose median is the origin level (default ORIGIN_DAYS; 0 = the last level) */
  originDays?: number;
}

interface State {
  level: number;
  /** the level carried into the forecast: the median of the filtered level over the last ORIGIN_DAYS days */
  originLevel: number;
  day: Float64Array;
  week: Float64Array;
  lastError: number;
  sse: number;
}

/**
 * Initial states from all whole weeks of the window: level, mean daily profile, weekly remainder.
 * Averaging the whole window (not just the first two weeks) keeps one holiday in those first
 * weeks from skewing the seasonals for the rest of the fit.
 */
function initialise(y: Float64Array, m: number, p: number): { level: number; day: Float64Array; week: Float64Array } {
  const weeks = Math.max(1, Math.floor(y.length / p));
  const len = weeks * p;
  let level = 0;
  for (let t = 0; t < len; t++) level += y[t]!;
  level /= len;
  const day = new Float64Array(m);
  const days = len / m;
  for (let t = 0; t < len; t++) day[t % m] = day[t % m]! + y[t]! / days;
  for (let s = 0; s < m; s++) day[s] = day[s]! - level;
  const week = new Float64Array(p);
  for (let t = 0; t < len; t++) week[t % p] = week[t % p]! + y[t]! / weeks;
  for (let i = 0; i < p; i++) week[i] = week[i]! - level - day[i % m]!;
  return { level, day, week };
}

/**
 * Runs the filter over y; returns final states and the Huber loss of the one-step errors after
 * week one. Each error is capped at ±cap before it updates a state (Infinity: plain Holt–Winters).
 * `errors`, if given, collects the errors of the last `p × 4` points (open slots only) for the scale.
 */
function run(
  y: Float64Array,
  m: number,
  p: number,
  params: DshwParams,
  missing: Uint8Array | undefined,
  cap: number,
  errors?: number[],
  originDays = ORIGIN_DAYS,
): State {
  const init = initialise(y, m, p);
  let level = init.level;
  const day = init.day;
  const week = init.week;
  const { alpha, delta, omega, phi } = params;
  let lastError = 0;
  let sse = 0;
  let s = 0;
  let w = 0;
  const collectFrom = y.length - 4 * p;
  const window = Math.max(1, originDays * m);
  const recent = new Float64Array(window); // the level after each of the last `window` points
  let ri = 0;
  for (let t = 0; t < y.length; t++) {
    const base = level + day[s]! + week[w]!;
    // an imputed point is not an observation: no update, no error
    const raw = missing?.[t] === 1 ? 0 : y[t]! - base;
    const oneStep = raw - phi * lastError;
    if (t >= p) sse += huber(oneStep, cap);
    if (errors && t >= collectFrom && missing?.[t] !== 1 && (y[t] !== 0 || Math.abs(base) > 1e-9)) errors.push(oneStep);
    const e = clip(raw, cap);
    level += alpha * e;
    day[s] = day[s]! + delta * e;
    week[w] = week[w]! + omega * e;
    lastError = e;
    recent[ri] = level;
    if (++ri === window) ri = 0;
    if (++s === m) s = 0;
    if (++w === p) w = 0;
  }
  return { level, originLevel: y.length >= window ? median(recent) : level, day, week, lastError, sse };
}

const toParams = (x: Float64Array): DshwParams => ({
  alpha: squash(x[0]!, 0, 1),
  delta: squash(x[1]!, 0, 1),
  omega: squash(x[2]!, 0, 1),
  phi: squash(x[3]!, -0.99, 0.99),
});

const START: DshwParams = { alpha: 0.05, delta: 0.1, omega: 0.1, phi: 0.3 };

/** k robust SDs of the one-step errors of the last 4 weeks under `params` (Infinity when k is). */
function errorCap(
  y: Float64Array,
  m: number,
  p: number,
  params: DshwParams,
  missing: Uint8Array | undefined,
  k: number,
): number {
  if (!Number.isFinite(k)) return Infinity;
  const errors: number[] = [];
  run(y, m, p, params, missing, Infinity, errors);
  const sigma = madScale(errors);
  return sigma > 0 ? k * sigma : Infinity;
}

/** Parameters by Nelder–Mead on the Huber loss of one-step errors, capped at ±cap in the updates. */
export function fitDshwParams(
  y: Float64Array,
  shape: SeriesShape,
  maxIterations = 100,
  missing?: Uint8Array,
  cap = Infinity,
): DshwParams {
  const m = shape.season;
  const p = weekLength(shape);
  const x0 = [
    unsquash(START.alpha, 0, 1),
    unsquash(START.delta, 0, 1),
    unsquash(START.omega, 0, 1),
    unsquash(START.phi, -0.99, 0.99),
  ];
  const result = nelderMead((x) => run(y, m, p, toParams(x), missing, cap).sse, x0, {
    maxIterations,
    step: 1,
    tolerance: 1e-6,
  });
  return toParams(result.x);
}

export function dshw(options: DshwOptions = {}): ForecastModel {
  const weeks = options.weeks ?? 10;
  return {
    alias: 'dshw',
    minLength: (s: SeriesShape) => 2 * weekLength(s),
    fit({ y: full, shape, missing: fullMissing }: ModelInput): FittedModel {
      const m = shape.season;
      const p = weekLength(shape);
      if (full.length < 2 * p) throw new Error('dshw needs two full weeks of history');
      const start = windowStart(full.length, shape, weeks);
      const raw = full.subarray(start);
      const missing = fullMissing?.subarray(start);
      const sqrt = options.transform !== 'none' && raw.every((v) => v >= 0);
      const y = sqrt ? raw.map(Math.sqrt) : raw;
      const k = options.huberK ?? HUBER_K;
      // the cap: from the errors under starting parameters, then again under the fitted ones
      const cap0 = errorCap(y, m, p, options.params ?? START, missing, k);
      const params = options.params ?? fitDshwParams(y, shape, options.maxIterations, missing, cap0);
      const cap = options.params ? cap0 : errorCap(y, m, p, params, missing, k);
      const state = run(y, m, p, params, missing, cap, undefined, options.originDays ?? ORIGIN_DAYS);
      const n = y.length;
      return {
        predict(h: number): Float64Array {
          const out = new Float64Array(h);
          let ar = state.lastError;
          for (let i = 0; i < h; i++) {
            ar *= params.phi;
            const t = n + i;
            const f = state.originLevel + state.day[t % m]! + state.week[t % p]! + ar;
            out[i] = sqrt ? Math.max(0, f) ** 2 : f;
          }
          return out;
        },
      };
    },
  };
}
