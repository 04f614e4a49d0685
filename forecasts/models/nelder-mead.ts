// Nelder–Mead simplex minimiser (small, deterministic, capped). Standard coefficients
// (reflect 1, expand 2, contract 0.5, shrink 0.5).

export interface NelderMeadOptions {
  maxIterations?: number;
  /** stop when the spread of function values over the simplex falls below this */
  tolerance?: number;
  /** initial step along each axis */
  step?: number;
}

export interface NelderMeadResult {
  x: Float64Array;
  fx: number;
  iterations: number;
}

export function nelderMead(
  f: (x: Float64Array) => number,
  x0: ArrayLike<number>,
  options: NelderMeadOptions = {},
): NelderMeadResult {
  const d = x0.length;
  const maxIterations = options.maxIterations ?? 200 * d;
  const tolerance = options.tolerance ?? 1e-8;
  const step = options.step ?? 0.5;
  const safe = (x: Float64Array): number => {
    const v = f(x);
    return Number.isFinite(v) ? v : Number.POSITIVE_INFINITY;
  };

  const points: Float64Array[] = [];
  const values: number[] = [];
  for (let i = 0; i <= d; i++) {
    const p = Float64Array.from(x0);
    if (i > 0) p[i - 1] = p[i - 1]! + step;
    points.push(p);
    values.push(safe(p));
  }
  const order = Array.from({ length: d + 1 }, (_, i) => i);
  const centroid = new Float64Array(d);
  const trial = (from: Float64Array, towards: Float64Array, t: number): Float64Array => {
    const out = new Float64Array(d);
    for (let j = 0; j < d; j++) out[j] = from[j]! + t * (towards[j]! - from[j]!);
    return out;
  };

  let iterations = 0;
  for (; iterations < maxIterations; iterations++) {
    order.sort((a, b) => values[a]! - values[b]!);
    const best = order[0]!;
    const worst = order[d]!;
    const second = order[d - 1]!;
    if (Math.abs(values[worst]! - values[best]!) <= tolerance * (Math.abs(values[best]!) + tolerance)) break;

    centroid.fill(0);
    for (let k = 0; k < d; k++) {
      const p = points[order[k]!]!;
      for (let j = 0; j < d; j++) centroid[j] = centroid[j]! + p[j]! / d;
    }
    const xw = points[worst]!;
    const xr = trial(centroid, xw, -1);
    const fr = safe(xr);
    if (fr < values[best]!) {
      const xe = trial(centroid, xw, -2);
      const fe = safe(xe);
      if (fe < fr) {
        points[worst] = xe;
        values[worst] = fe;
      } else {
        points[worst] = xr;
        values[worst] = fr;
      }
      continue;
    }
    if (fr < values[second]!) {
      points[worst] = xr;
      values[worst] = fr;
      continue;
    }
    const outside = fr < values[worst]!;
    const xc = outside ? trial(centroid, xr, 0.5) : trial(centroid, xw, 0.5);
    const fc = safe(xc);
    if (fc < (outside ? fr : values[worst]!)) {
      points[worst] = xc;
      values[worst] = fc;
      continue;
    }
    const xb = points[best]!;
    for (const k of order.slice(1)) {
      points[k] = trial(xb, points[k]!, 0.5);
      values[k] = safe(points[k]!);
    }
  }
  let bestIndex = 0;
  for (let i = 1; i <= d; i++) if (values[i]! < values[bestIndex]!) bestIndex = i;
  return { x: points[bestIndex]!, fx: values[bestIndex]!, iterations };
}

/** Maps an unconstrained value to (lo, hi): keeps Nelder–Mead free of bound handling. */
export const squash = (x: number, lo: number, hi: number): number => lo + (hi - lo) / (1 + Math.exp(-x));
/** Inverse of `squash`. */
export const unsquash = (v: number, lo: number, hi: number): number => {
  const u = (v - lo) / (hi - lo);
  return Math.log(u / (1 - u));
};
