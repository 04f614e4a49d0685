// MSTL (daily + weekly seasonals) then damped-trend ETS on the seasonally adjusted series;
// seasonals are carried forward from their last cycle (as R's stlf / statsforecast's MSTL do).
import type { FittedModel, ForecastModel, ModelInput, SeriesShape } from './types.js';
import { weekLength } from './types.js';
import { mstl } from './stl.js';
import { fitDamped } from './ets.js';
import { windowStart } from './window.js';
import { HUBER_K, ORIGIN_DAYS, clip, madScale, median } from './robust.js';

/**
 * ψ-cleaning before the decomposition (STL here has no robustness passes): each point is
 * compared with the median of its weekly slot over the window, on the √ scale for counts; a
 * difference beyond HUBER_K robust SDs is pulled back to that bound. A disturbed stretch (an
 * outage hour, a burst) then does not bend the trend and the last seasonal cycle.
 */
export function huberClean(y: Float64Array, p: number, missing?: Uint8Array): Float64Array {
  const n = y.length;
  const weeks = Math.floor(n / p);
  if (weeks < 3) return y;
  const counts = y.every((v) => v >= 0);
  const f = counts ? Math.sqrt : (v: number) => v;
  const g = counts ? (v: number) => Math.max(0, v) ** 2 : (v: number) => v;
  const ref = new Float64Array(p);
  const v = new Float64Array(weeks);
  for (let q = 0; q < p; q++) {
    for (let j = 0; j < weeks; j++) v[j] = f(y[n - (j + 1) * p + q]!);
    ref[q] = median(v);
  }
  const residuals: number[] = [];
  for (let t = 0; t < n; t++) {
    const r = ref[(t - n + weeks * p) % p]!;
    if (missing?.[t] !== 1 && (y[t] !== 0 || r !== 0)) residuals.push(f(y[t]!) - r);
  }
  const cap = HUBER_K * madScale(residuals);
  if (!(cap > 0)) return y;
  const out = Float64Array.from(y);
  for (let t = 0; t < n; t++) {
    const r = ref[(((t - n) % p) + p) % p]!;
    const d = f(y[t]!) - r;
    if (Math.abs(d) > cap) out[t] = g(r + clip(d, cap));
  }
  return out;
}

export function mstlEts(options: { weeks?: number } = {}): ForecastModel {
  const weeks = options.weeks ?? 8;
  return {
    alias: 'mstl_ets',
    minLength: (s: SeriesShape) => 2 * weekLength(s),
    fit({ y: full, shape, missing }: ModelInput): FittedModel {
      const m = shape.season;
      const p = weekLength(shape);
      if (full.length < 2 * p) throw new Error('mstl_ets needs two full weeks of history');
      const start = windowStart(full.length, shape, weeks);
      const y = full.subarray(start);
      const n = y.length;
      const periods = shape.week > 1 ? [m, p] : [m];
      const { seasonals } = mstl(huberClean(y, p, missing?.subarray(start)), periods);
      const adjusted = Float64Array.from(y);
      for (const s of seasonals) for (let t = 0; t < n; t++) adjusted[t] = adjusted[t]! - s[t]!;
      const ets = fitDamped(adjusted, m, {
        ...(missing ? { missing: missing.subarray(start) } : {}),
        scaleWindow: Math.min(n, 4 * p),
        originWindow: ORIGIN_DAYS * m,
      });
      return {
        predict(h: number): Float64Array {
          const out = ets.forecast(h);
          periods.forEach((period, i) => {
            const s = seasonals[i]!;
            // last full cycle, aligned on the calendar position of each future point
            const base = n - period;
            for (let k = 0; k < h; k++) out[k] = out[k]! + s[base + (k % period)]!;
          });
          return out;
        },
      };
    },
  };
}
