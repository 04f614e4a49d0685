// Prediction intervals from backtest residuals: residuals are scaled by √max(forecast, 1)
// (count data: spread grows like √level) and their empirical quantiles taken per lead-time
// bucket (one bucket per week of lead; short buckets borrow the previous one).
import { quantileSorted } from 'simple-statistics';

export interface ResidualSample {
  lead: number;
  actual: number;
  forecast: number;
}

export type IntervalScale = 'sqrt' | 'none';

export interface IntervalModel {
  /** [q2.5, q10, q90, q97.5] of scaled residuals per bucket */
  buckets: Float64Array[];
  bucketLength: number;
  scale: IntervalScale;
}

const scaleOf = (f: number, scale: IntervalScale): number => (scale === 'sqrt' ? Math.sqrt(Math.max(f, 1)) : 1);

export function calibrate(
  samples: ResidualSample[],
  bucketLength: number,
  scale: IntervalScale,
  minPerBucket = 30,
): IntervalModel {
  const groups: number[][] = [];
  for (const s of samples) {
    const b = Math.floor(s.lead / bucketLength);
    (groups[b] ??= []).push((s.actual - s.forecast) / scaleOf(s.forecast, scale));
  }
  const all = samples.map((s) => (s.actual - s.forecast) / scaleOf(s.forecast, scale)).sort((a, b) => a - b);
  const q = (sorted: number[]): Float64Array =>
    Float64Array.from([0.025, 0.1, 0.9, 0.975].map((p) => (sorted.length ? quantileSorted(sorted, p) : 0)));
  const buckets: Float64Array[] = [];
  let previous = q(all);
  for (let b = 0; b < groups.length; b++) {
    const g = groups[b];
    if (g && g.length >= minPerBucket) previous = q(g.sort((x, y) => x - y));
    buckets.push(previous);
  }
  if (buckets.length === 0) buckets.push(previous);
  return { buckets, bucketLength, scale };
}

export interface Intervals {
  lo80: Float64Array;
  hi80: Float64Array;
  lo95: Float64Array;
  hi95: Float64Array;
}

/** Bounds around a forecast; never negative, and zero wherever the forecast is exactly zero by rule. */
export function intervalsFor(forecast: Float64Array, model: IntervalModel, zero: (i: number) => boolean): Intervals {
  const h = forecast.length;
  const r: Intervals = {
    lo80: new Float64Array(h),
    hi80: new Float64Array(h),
    lo95: new Float64Array(h),
    hi95: new Float64Array(h),
  };
  for (let i = 0; i < h; i++) {
    if (zero(i)) continue;
    const f = forecast[i]!;
    const q = model.buckets[Math.min(model.buckets.length - 1, Math.floor(i / model.bucketLength))]!;
    const s = scaleOf(f, model.scale);
    // the interval always contains the point forecast, whatever the residual bias
    r.lo95[i] = Math.max(0, Math.min(f, f + q[0]! * s));
    r.lo80[i] = Math.max(0, Math.min(f, f + q[1]! * s));
    r.hi80[i] = Math.max(f, f + q[2]! * s);
    r.hi95[i] = Math.max(f, f + q[3]! * s);
  }
  return r;
}
