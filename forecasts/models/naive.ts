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

/**
 * Median of the same weekly slot over the last k weeks: what a planner reads off recent weeks,
 * and unlike the mean it ignores one disturbed week (an outage, a campaign, a half-holiday).
 */
export function weeklyMedian(k = 5): ForecastModel {
  return {
    alias: `median_${k}w`,
    minLength: (s: SeriesShape) => weekLength(s),
    fit({ y, shape }: ModelInput): FittedModel {
      const p = weekLength(shape);
      const n = y.length;
      if (n < p) throw new Error(`median_${k}w needs one full week of history`);
      const weeks = Math.max(1, Math.min(k, Math.floor(n / p)));
      const profile = new Float64Array(p);
      const v = new Float64Array(weeks);
      for (let i = 0; i < p; i++) {
        for (let j = 1; j <= weeks; j++) v[j - 1] = y[n + i - j * p]!;
        v.sort();
        profile[i] = weeks % 2 === 1 ? v[weeks >> 1]! : (v[(weeks >> 1) - 1]! + v[weeks >> 1]!) / 2;
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
