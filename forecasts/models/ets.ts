// Additive damped-trend exponential smoothing (Gardner & McKenzie), parameters by Nelder–Mead
// on the in-sample one-step squared error.
import { nelderMead, squash, unsquash } from './nelder-mead.js';

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

function run(y: Float64Array, p: DampedParams, burnIn: number, missing?: Uint8Array): DampedState {
  const start = Math.min(y.length, Math.max(1, burnIn));
  let level = 0;
  for (let t = 0; t < start; t++) level += y[t]!;
  level /= start;
  let slope = 0;
  let sse = 0;
  for (let t = 0; t < y.length; t++) {
    const f = level + p.phi * slope;
    const e = missing?.[t] === 1 ? 0 : y[t]! - f;
    if (t >= start) sse += e * e;
    level = f + p.alpha * e;
    slope = p.phi * slope + p.beta * e;
  }
  return { level, slope, sse };
}

const toParams = (x: Float64Array): DampedParams => {
  const alpha = squash(x[0]!, 0.0001, 0.9999);
  return { alpha, beta: squash(x[1]!, 0, 1) * alpha * 0.5, phi: squash(x[2]!, 0.8, 0.98) };
};

export interface DampedFit {
  params: DampedParams;
  forecast(h: number): Float64Array;
}

/** Fits a damped-trend model; `burnIn` points seed the level and are left out of the error. */
export function fitDamped(y: Float64Array, burnIn: number, maxIterations = 150, missing?: Uint8Array): DampedFit {
  const x0 = [unsquash(0.1, 0.0001, 0.9999), unsquash(0.1, 0, 1), unsquash(0.9, 0.8, 0.98)];
  const best = nelderMead((x) => run(y, toParams(x), burnIn, missing).sse, x0, {
    maxIterations,
    step: 1,
    tolerance: 1e-7,
  });
  const params = toParams(best.x);
  const state = run(y, params, burnIn, missing);
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
