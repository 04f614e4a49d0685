// Additive damped-trend exponential smoothing (Gardner & McKenzie), parameters by Nelder–Mead
// on the in-sample one-step errors. Outlier-resistant (see robust.ts): each one-step error is
// capped at k robust SDs before it updates level and slope, the loss is Huber's, and the state
// carried into the forecast is the median over the last `originWindow` points, so a disturbed
// stretch just before the origin does not set the level.
import { nelderMead, squash, unsquash } from './nelder-mead.js';
import { HUBER_K, clip, huber, madScale, median } from './robust.js';

export interface DampedParams {
  alpha: number;
  beta: number;
  phi: number;
}

interface DampedState {
  level: number;
  slope: number;
  sse: number;
}

export interface DampedOptions {
  maxIterations?: number;
  /** 1 where y was imputed: no update there */
  missing?: Uint8Array;
  /** cap in robust SDs (default HUBER_K; Infinity = plain ETS) */
  huberK?: number;
  /** points whose one-step errors give the robust scale (the last ones; default all after burn-in) */
  scaleWindow?: number;
  /** the level and slope carried forward are the medians over this many last points (default 1: the last) */
  originWindow?: number;
}

function run(
  y: Float64Array,
  p: DampedParams,
  burnIn: number,
  cap: number,
  o: DampedOptions,
  errors?: number[],
): DampedState {
  const start = Math.min(y.length, Math.max(1, burnIn));
  let level = 0;
  for (let t = 0; t < start; t++) level += y[t]!;
  level /= start;
  let slope = 0;
  let sse = 0;
  const missing = o.missing;
  const collectFrom = y.length - (o.scaleWindow ?? y.length);
  const w = Math.max(1, Math.min(o.originWindow ?? 1, y.length));
  const levels = new Float64Array(w);
  const slopes = new Float64Array(w);
  for (let t = 0; t < y.length; t++) {
    const f = level + p.phi * slope;
    const raw = missing?.[t] === 1 ? 0 : y[t]! - f;
    if (t >= start) {
      sse += huber(raw, cap);
      if (errors && t >= collectFrom && missing?.[t] !== 1) errors.push(raw);
    }
    const e = clip(raw, cap);
    level = f + p.alpha * e;
    slope = p.phi * slope + p.beta * e;
    levels[t % w] = level;
    slopes[t % w] = slope;
  }
  return w > 1 && y.length >= w ? { level: median(levels), slope: median(slopes), sse } : { level, slope, sse };
}

const toParams = (x: Float64Array): DampedParams => {
  const alpha = squash(x[0]!, 0.0001, 0.9999);
  return { alpha, beta: squash(x[1]!, 0, 1) * alpha * 0.5, phi: squash(x[2]!, 0.8, 0.98) };
};

export interface DampedFit {
  params: DampedParams;
  forecast(h: number): Float64Array;
}

const START: DampedParams = { alpha: 0.1, beta: 0.005, phi: 0.9 };

/** Fits a damped-trend model; `burnIn` points seed the level and are left out of the error. */
export function fitDamped(y: Float64Array, burnIn: number, options: DampedOptions = {}): DampedFit {
  const k = options.huberK ?? HUBER_K;
  const capUnder = (params: DampedParams): number => {
    if (!Number.isFinite(k)) return Infinity;
    const errors: number[] = [];
    run(y, params, burnIn, Infinity, { ...options, originWindow: 1 }, errors);
    const sigma = madScale(errors);
    return sigma > 0 ? k * sigma : Infinity;
  };
  const cap0 = capUnder(START);
  const x0 = [unsquash(START.alpha, 0.0001, 0.9999), unsquash(0.1, 0, 1), unsquash(START.phi, 0.8, 0.98)];
  const best = nelderMead((x) => run(y, toParams(x), burnIn, cap0, { ...options, originWindow: 1 }).sse, x0, {
    maxIterations: options.maxIterations ?? 150,
    step: 1,
    tolerance: 1e-7,
  });
  const params = toParams(best.x);
  const state = run(y, params, burnIn, capUnder(params), options);
  return {
    params,
    forecast(h: number): Float64Array {
      const out = new Float64Array(h);
      let damp = 0;
      let power = 1;
      for (let i = 0; i < h; i++) {
        power *= params.phi;
        damp += power;
        out[i] = state.level + damp * state.slope;
      }
      return out;
    },
  };
}
