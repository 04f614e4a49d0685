// Baselines: the same interval last week, and the mean of the same interval over the last k weeks.
import type { FittedModel, ForecastModel, ModelInput, SeriesShape } from './types.js';
import { weekLength } from './types.js';

export function seasonalNaive(): ForecastModel {
  return {
    alias: 'snaive_week',
    minLength: (s: SeriesShape) => weekLength(s),
    fit({ y, shape }: ModelInput): FittedModel {
      const p = weekLength(shape);
      const n = y.length;
      if (n < p) throw new Error('snaive_week needs one full week of history');
      return {
        predict(h: number): Float64Array {
          const out = new Float64Array(h);
          for (let i = 0; i < h; i++) out[i] = y[n - p + (i % p)]!;
          return out;
        },
      };
    },
  };
}

export function weeklyMean(k = 4): ForecastModel {
  return {
    alias: `mean_${k}w`,
    minLength: (s: SeriesShape) => weekLength(s),
    fit({ y, shape }: ModelInput): FittedModel {
      const p = weekLength(shape);
      const n = y.length;
      if (n < p) throw new Error(`mean_${k}w needs one full week of history`);
      const weeks = Math.max(1, Math.min(k, Math.floor(n / p)));
      const profile = new Float64Array(p);
      for (let i = 0; i < p; i++) {
        let sum = 0;
        for (let j = 1; j <= weeks; j++) sum += y[n + i - j * p]!;
        profile[i] = sum / weeks;
      }
      return {
        predict(h: number): Float64Array {
          const out = new Float64Array(h);
          for (let i = 0; i < h; i++) out[i] = profile[i % p]!;
          return out;
        },
      };
    },
  };
}
