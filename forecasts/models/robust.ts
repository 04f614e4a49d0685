// Outlier protection for the level-following models (dshw, the ETS inside mstl_ets):
//  - Huber: each one-step error that drives a state update is capped at k robust standard
//    deviations (scale = 1.4826 × the MAD of the last four weeks' one-step errors), and the
//    parameters minimise Huber's loss, so one disturbed half-hour moves a state by at most
//    k·σ × its smoothing weight;
//  - the level carried into the forecast is the median of the filtered level over the last
//    ORIGIN_DAYS days: several disturbed points in a row just before the origin (an outage hour,
//    a lost feed) add up even when each is capped, and with the one-step-optimal smoothing
//    weights (α ≈ 0.4 on the bank series) they would still set the level of the weeks ahead.

/** cap in robust standard deviations */
export const HUBER_K = 2.5;

/** days of filtered levels whose median is the level at the origin */
export const ORIGIN_DAYS = 2;

/** 1.4826 × median absolute deviation from the median (a consistent σ for normal errors); 0 if empty. */
export function madScale(values: ArrayLike<number>): number {
  const n = values.length;
  if (n === 0) return 0;
  const v = Float64Array.from(values).sort();
  const med = n % 2 === 1 ? v[n >> 1]! : (v[(n >> 1) - 1]! + v[n >> 1]!) / 2;
  for (let i = 0; i < n; i++) v[i] = Math.abs(v[i]! - med);
  v.sort();
  return 1.4826 * (n % 2 === 1 ? v[n >> 1]! : (v[(n >> 1) - 1]! + v[n >> 1]!) / 2);
}

/** Median of the values (a copy is sorted). */
export function median(values: ArrayLike<number>): number {
  const v = Float64Array.from(values).sort();
  const n = v.length;
  return n === 0 ? Number.NaN : n % 2 === 1 ? v[n >> 1]! : (v[(n >> 1) - 1]! + v[n >> 1]!) / 2;
}

export const clip = (e: number, c: number): number => (e > c ? c : e < -c ? -c : e);

/** Huber loss: quadratic inside ±c, linear outside (so outliers do not steer the parameters either). */
export const huber = (r: number, c: number): number => {
  const a = Math.abs(r);
  return a <= c ? r * r : 2 * c * a - c * c;
};
