// Closed hours and special days, applied the same way around every model.
//  - closed: a weekly slot that was exactly zero in each of the last few weeks forecasts exactly 0.
//  - special days (holidays): history days with a code are replaced by the same weekday's nearby
//    ordinary days before fitting (so one holiday does not bend the seasonals); each code's effect
//    is learned as a day multiplier (median of actual ÷ replaced total), or given by the caller.
import { median } from 'simple-statistics';
import type { SeriesShape } from './models/types.js';
import { weekLength } from './models/types.js';

/** 1 for each weekly slot (0..P−1) that was exactly 0 in each of the last `weeks` weeks. */
export function closedSlots(y: Float64Array, shape: SeriesShape, weeks = 4): Uint8Array {
  const p = weekLength(shape);
  const closed = new Uint8Array(p);
  const available = Math.floor(y.length / p);
  const k = Math.min(weeks, available);
  if (k < 2) return closed; // one zero week proves nothing
  const n = y.length;
  for (let q = 0; q < p; q++) {
    let last = n - 1 - ((((n - 1 - q) % p) + p) % p); // latest t < n with t ≡ q (mod P)
    let allZero = true;
    for (let j = 0; j < k && allZero; j++, last -= p) if (last < 0 || y[last] !== 0) allZero = false;
    closed[q] = allZero ? 1 : 0;
  }
  return closed;
}

export interface CleanedHistory {
  y: Float64Array;
  /** learned day multiplier per code */
  learned: Map<number, number>;
}

/**
 * Replaces special days in history by nearby ordinary same-weekday days; learns a multiplier per
 * code. Days holding imputed points (`missing`) are neither donors nor evidence for a multiplier.
 */
export function cleanSpecialDays(
  y: Float64Array,
  shape: SeriesShape,
  codes: Int32Array | undefined,
  missing?: Uint8Array,
): CleanedHistory {
  const out = Float64Array.from(y);
  const learned = new Map<number, number>();
  if (!codes) return { y: out, learned };
  const m = shape.season;
  const w = shape.week;
  const days = Math.ceil(y.length / m);
  const imputed = (d: number): boolean => {
    if (!missing) return false;
    for (let s = 0; s < m; s++) if (missing[d * m + s] === 1) return true;
    return false;
  };
  const ordinary = (d: number): boolean =>
    d >= 0 && d < days && (codes[d] ?? 0) === 0 && (d + 1) * m <= y.length && !imputed(d);
  const ratios = new Map<number, number[]>();
  for (let d = 0; d < days; d++) {
    const code = codes[d] ?? 0;
    if (code === 0) continue;
    const donors = [d - w, d + w, d - 2 * w, d + 2 * w].filter(ordinary);
    if (donors.length === 0) continue;
    let actual = 0;
    let base = 0;
    for (let s = 0; s < m && d * m + s < y.length; s++) {
      let v = 0;
      for (const dd of donors) v += y[dd * m + s]!;
      v /= donors.length;
      actual += y[d * m + s]!;
      base += v;
      out[d * m + s] = v;
    }
    if (base > 0 && !imputed(d)) {
      const list = ratios.get(code) ?? [];
      list.push(actual / base);
      ratios.set(code, list);
    }
  }
  for (const [code, list] of ratios) learned.set(code, median(list));
  return { y: out, learned };
}

/** Scales future special days by their multiplier (given beats learned), skipping codes the model handled. */
export function applySpecialDays(
  forecast: Float64Array,
  n: number,
  season: number,
  codes: Int32Array | undefined,
  multiplier: (code: number) => number | undefined,
  handled?: ReadonlySet<number>,
): void {
  if (!codes) return;
  for (let i = 0; i < forecast.length; i++) {
    const code = codes[Math.floor((n + i) / season)] ?? 0;
    if (code === 0 || handled?.has(code)) continue;
    const k = multiplier(code);
    if (k !== undefined) forecast[i] = forecast[i]! * k;
  }
}
