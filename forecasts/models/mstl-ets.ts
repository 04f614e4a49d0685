// MSTL (daily + weekly seasonals) then damped-trend ETS on the seasonally adjusted series;
// seasonals are carried forward from their last cycle (as R's stlf / statsforecast's MSTL do).
import type { FittedModel, ForecastModel, ModelInput, SeriesShape } from './types.js';
import { weekLength } from './types.js';
import { mstl } from './stl.js';
import { fitDamped } from './ets.js';
import { windowStart } from './window.js';

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
      const { seasonals } = mstl(y, periods);
      const adjusted = Float64Array.from(y);
      for (const s of seasonals) for (let t = 0; t < n; t++) adjusted[t] = adjusted[t]! - s[t]!;
      const ets = fitDamped(adjusted, m, undefined, missing?.subarray(start));
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
