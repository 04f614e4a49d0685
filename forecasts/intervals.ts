// Prediction intervals from the combination's own backtest residuals: residuals are scaled by
// √max(forecast, 1) (count data: spread grows like √level), by max(forecast, 1) (loads whose
// errors grow in proportion) or not at all — by default ('auto') whichever makes |residual|
// depend least on the forecast's size (chooseScale) — and the 80 % and 95 % quantiles of
// their absolute values taken per lead-time band: the first day, the rest of the first week,
// then each further week (a band with fewer than `minPerBand` residuals borrows the previous
// band's). The bounds are forecast ± that quantile × the scale.
import { quantileSorted } from 'simple-statistics';

export interface ResidualSample {
  lead: number;
  actual: number;
  forecast: number;
}

export type IntervalScale = 'sqrt' | 'level' | 'none' | 'auto';

export interface IntervalModel {
  /** [−a95, −a80, a80, a95] per band: a80, a95 = quantiles of |scaled residual| */
  buckets: Float64Array[];
  /** first lead of each band (ascending, starts at 0) */
  bandStarts: number[];
  scale: IntervalScale;
}

const scaleOf = (f: number, scale: IntervalScale): number =>
  scale === 'sqrt' ? Math.sqrt(Math.max(f, 1)) : scale === 'level' ? Math.max(f, 1) : 1;

/**
 * The scale under which |residual| depends least on the forecast's size: the one whose median
 * |scaled residual| over the larger half of the forecasts is closest (in ratio) to that over the
 * smaller half. Counts come out 'sqrt'; loads whose errors grow in proportion, 'level'.
 */
export function chooseScale(samples: readonly ResidualSample[]): Exclude<IntervalScale, 'auto'> {
  const open = samples.filter((s) => s.forecast > 0).sort((a, b) => a.forecast - b.forecast);
  if (open.length < 60) return 'sqrt';
  const half = open.length >> 1;
  const med = (xs: number[]): number => {
    const v = xs.sort((a, b) => a - b);
    return v[v.length >> 1]!;
  };
  let best: Exclude<IntervalScale, 'auto'> = 'sqrt';
  let bestGap = Infinity;
  for (const scale of ['sqrt', 'level', 'none'] as const) {
    const r = open.map((s) => Math.abs(s.actual - s.forecast) / scaleOf(s.forecast, scale));
    const lo = med(r.slice(0, half));
    const hi = med(r.slice(half));
    const gap = lo > 0 && hi > 0 ? Math.abs(Math.log(hi / lo)) : Infinity;
    if (gap < bestGap - 1e-12) {
      best = scale;
      bestGap = gap;
    }
  }
  return best;
}

/** Band starts for a season (points per day) and week length: 0, one day, one week, two weeks, … */
export function leadBands(season: number, weekPoints: number, maxLead: number): number[] {
  const starts = [0];
  if (season < weekPoints && season <= maxLead) starts.push(season);
  for (let b = weekPoints; b <= maxLead; b += weekPoints) starts.push(b);
  return starts;
}

const bandOf = (starts: readonly number[], lead: number): number => {
  let b = 0;
  while (b + 1 < starts.length && lead >= starts[b + 1]!) b++;
  return b;
};

export function calibrate(
  samples: ResidualSample[],
  bandStarts: number[],
  scale: IntervalScale,
  minPerBand = 30,
): IntervalModel {
  if (scale === 'auto') scale = chooseScale(samples);
  const groups: number[][] = bandStarts.map(() => []);
  for (const s of samples)
    groups[bandOf(bandStarts, s.lead)]!.push((s.actual - s.forecast) / scaleOf(s.forecast, scale));
  const all = samples.map((s) => (s.actual - s.forecast) / scaleOf(s.forecast, scale)).sort((a, b) => a - b);
  // symmetric: quantiles of |residual|, so a bias of the calibration windows (a level that has
  // since moved) is not carried into the bounds; signed quantiles covered 0.63 / 0.84 on taylor
  const q = (sorted: number[]): Float64Array => {
    const abs = sorted.map(Math.abs).sort((x, y) => x - y);
    const a80 = abs.length ? quantileSorted(abs, 0.8) : 0;
    const a95 = abs.length ? quantileSorted(abs, 0.95) : 0;
    return Float64Array.from([-a95, -a80, a80, a95]);
  };
  const buckets: Float64Array[] = [];
  let previous = q(all);
  for (const g of groups) {
    if (g.length >= minPerBand) previous = q(g.sort((x, y) => x - y));
    buckets.push(previous);
  }
  return { buckets, bandStarts, scale };
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
    const q = model.buckets[bandOf(model.bandStarts, i)]!;
    const s = scaleOf(f, model.scale);
    // the interval always contains the point forecast, whatever the residual bias
    r.lo95[i] = Math.max(0, Math.min(f, f + q[0]! * s));
    r.lo80[i] = Math.max(0, Math.min(f, f + q[1]! * s));
    r.hi80[i] = Math.max(f, f + q[2]! * s);
    r.hi95[i] = Math.max(f, f + q[3]! * s);
  }
  return r;
}
