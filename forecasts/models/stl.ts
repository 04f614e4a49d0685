// STL (Cleveland et al. 1990) without robustness iterations, and MSTL (Bandara et al. 2021)
// for several seasonal periods (here: day and week).
import { loessAt, loessSmooth } from './loess.js';

const nextOdd = (x: number): number => {
  const v = Math.ceil(x);
  return v % 2 === 1 ? v : v + 1;
};

function movingAverage(x: Float64Array, k: number): Float64Array {
  const out = new Float64Array(x.length - k + 1);
  let sum = 0;
  for (let i = 0; i < k; i++) sum += x[i]!;
  out[0] = sum / k;
  for (let i = k; i < x.length; i++) {
    sum += x[i]! - x[i - k]!;
    out[i - k + 1] = sum / k;
  }
  return out;
}

export interface StlResult {
  seasonal: Float64Array;
  trend: Float64Array;
}

export function stl(y: Float64Array, period: number, sWindow = 11, inner = 2): StlResult {
  const n = y.length;
  const np = period;
  const ns = nextOdd(Math.max(7, sWindow));
  const nl = nextOdd(np);
  const nt = nextOdd((1.5 * np) / (1 - 1.5 / ns));
  const jumpS = Math.ceil(ns / 10);
  const jumpL = Math.ceil(nl / 10);
  const jumpT = Math.ceil(nt / 10);
  const trend = new Float64Array(n);
  const seasonal = new Float64Array(n);
  const cycle = new Float64Array(n + 2 * np);
  const sub = new Float64Array(Math.ceil(n / np));
  const deseasonal = new Float64Array(n);

  for (let it = 0; it < inner; it++) {
    // 1–2: cycle-subseries smoothing of the detrended series, extended one period each side
    for (let k = 0; k < np; k++) {
      let len = 0;
      for (let t = k; t < n; t += np) sub[len++] = y[t]! - trend[t]!;
      if (len === 0) continue;
      const smooth = loessSmooth(sub.subarray(0, len), ns, 0, jumpS);
      cycle[k] = loessAt(sub, len, ns, 0, -1);
      for (let j = 0; j < len; j++) cycle[(j + 1) * np + k] = smooth[j]!;
      const endIndex = (len + 1) * np + k;
      if (endIndex < cycle.length) cycle[endIndex] = loessAt(sub, len, ns, 0, len);
    }
    // 3: low-pass filter of the cycle series
    const low = loessSmooth(movingAverage(movingAverage(movingAverage(cycle, np), np), 3), nl, 1, jumpL);
    // 4–6: seasonal, then trend of the deseasonalised series
    for (let t = 0; t < n; t++) {
      seasonal[t] = cycle[t + np]! - low[t]!;
      deseasonal[t] = y[t]! - seasonal[t]!;
    }
    trend.set(loessSmooth(deseasonal, nt, 1, jumpT));
  }
  return { seasonal, trend };
}

export interface MstlResult {
  seasonals: Float64Array[];
  trend: Float64Array;
}

/** Periods must be ascending (day before week). */
export function mstl(y: Float64Array, periods: number[], iterations = 2): MstlResult {
  const n = y.length;
  const seasonals: Float64Array[] = periods.map(() => new Float64Array(n));
  const deseason = Float64Array.from(y);
  let trend: Float64Array = new Float64Array(n);
  for (let it = 0; it < iterations; it++) {
    periods.forEach((period, i) => {
      const s = seasonals[i]!;
      for (let t = 0; t < n; t++) deseason[t] = deseason[t]! + s[t]!;
      const fit = stl(deseason, period, 7 + 4 * (i + 1));
      seasonals[i] = fit.seasonal;
      trend = fit.trend;
      for (let t = 0; t < n; t++) deseason[t] = deseason[t]! - fit.seasonal[t]!;
    });
  }
  return { seasonals, trend };
}
