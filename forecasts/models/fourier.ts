// Regression on calendar terms, ridge-penalised:
//   intercept + trend + daily Fourier + weekly Fourier
//   + per-weekday level and intraday Fourier shape (the daily × weekly interaction)
//   + per special-day code: level and low-order intraday shape (learned when the code occurs in the window).
import type { FittedModel, ForecastModel, ModelInput, SeriesShape } from './types.js';
import { weekLength } from './types.js';
import { windowStart } from './window.js';
import { NormalEquations } from './ridge.js';

export interface FourierOptions {
  /** daily harmonics */
  daily?: number;
  /** weekly harmonics (those that coincide with daily ones are skipped) */
  weekly?: number;
  /** intraday harmonics that differ by weekday */
  interaction?: number;
  /** ridge penalty per observation (λ = ridge · rows) */
  ridge?: number;
  trend?: boolean;
  weeks?: number;
}

interface Design {
  k: number;
  /** fills index/value with the non-zero entries of row t (t relative to the window start), returns count */
  row(t: number, code: number, index: Int32Array, value: Float64Array, withTrend?: boolean): number;
  unpenalised: Set<number>;
}

function design(shape: SeriesShape, n: number, o: Required<FourierOptions>, codes: number[]): Design {
  const m = shape.season;
  const p = weekLength(shape);
  const kd = Math.min(o.daily, Math.floor((m - 1) / 2));
  const ki = Math.min(o.interaction, kd);
  const weeklyK: number[] = [];
  for (let k = 1; weeklyK.length < o.weekly && k < p / 2; k++) if (k % shape.week !== 0) weeklyK.push(k);
  const days = shape.week;
  const base = 2 + 2 * kd + 2 * weeklyK.length;
  const perDay = 1 + 2 * ki;
  const specialBase = base + (days - 1) * perDay;
  const perCode = 5;
  const codeIndex = new Map(codes.map((c, i) => [c, i]));
  const k = specialBase + codes.length * perCode;
  // precomputed harmonics of the slot in the day and the position in the week
  const dayTable = new Float64Array(m * 2 * kd);
  for (let s = 0; s < m; s++)
    for (let h = 0; h < kd; h++) {
      const a = (2 * Math.PI * (h + 1) * s) / m;
      dayTable[(s * kd + h) * 2] = Math.sin(a);
      dayTable[(s * kd + h) * 2 + 1] = Math.cos(a);
    }
  const wk = weeklyK.length;
  const weekTable = new Float64Array(p * 2 * wk);
  for (let q = 0; q < p; q++)
    weeklyK.forEach((h, j) => {
      const a = (2 * Math.PI * h * q) / p;
      weekTable[(q * wk + j) * 2] = Math.sin(a);
      weekTable[(q * wk + j) * 2 + 1] = Math.cos(a);
    });
  return {
    k,
    unpenalised: new Set([0]),
    row(t, code, index, value, withTrend = true) {
      const s = ((t % m) + m) % m;
      const q = ((t % p) + p) % p;
      const weekday = Math.floor(q / m);
      let c = 0;
      index[c] = 0;
      value[c++] = 1;
      if (withTrend) {
        index[c] = 1;
        value[c++] = o.trend ? (t - n) / p : 0;
      }
      for (let j = 0; j < 2 * kd; j++) {
        index[c] = 2 + j;
        value[c++] = dayTable[s * kd * 2 + j]!;
      }
      for (let j = 0; j < 2 * wk; j++) {
        index[c] = 2 + 2 * kd + j;
        value[c++] = weekTable[q * wk * 2 + j]!;
      }
      if (weekday > 0) {
        const b = base + (weekday - 1) * perDay;
        index[c] = b;
        value[c++] = 1;
        for (let j = 0; j < 2 * ki; j++) {
          index[c] = b + 1 + j;
          value[c++] = dayTable[s * kd * 2 + (j >> 1) * 2 + (j & 1)]!;
        }
      }
      const ci = codeIndex.get(code);
      if (ci !== undefined) {
        const b = specialBase + ci * perCode;
        index[c] = b;
        value[c++] = 1;
        for (let j = 0; j < 4 && j < 2 * kd; j++) {
          index[c] = b + 1 + j;
          value[c++] = dayTable[s * kd * 2 + j]!;
        }
      }
      return c;
    },
  };
}

export function fourierRidge(options: FourierOptions = {}): ForecastModel {
  const o: Required<FourierOptions> = {
    daily: options.daily ?? 10,
    weekly: options.weekly ?? 3,
    interaction: options.interaction ?? 4,
    ridge: options.ridge ?? 1e-3,
    trend: options.trend ?? true,
    weeks: options.weeks ?? 10,
  };
  return {
    alias: 'fourier_ridge',
    nativeSpecialDays: true,
    minLength: (s: SeriesShape) => weekLength(s),
    fit({ y: full, shape, special, missing: fullMissing }: ModelInput): FittedModel {
      const m = shape.season;
      const start = windowStart(full.length, shape, o.weeks);
      const y = full.subarray(start);
      const missing = fullMissing?.subarray(start);
      const n = y.length;
      if (n < weekLength(shape)) throw new Error('fourier_ridge needs one full week of history');
      const dayOffset = start / m;
      const codeAt = (t: number): number => special?.codes[dayOffset + Math.floor(t / m)] ?? 0;
      const seen = new Set<number>();
      for (let t = 0; t < n; t += m) {
        const c = codeAt(t);
        if (c !== 0) seen.add(c);
      }
      const codes = [...seen].sort((a, b) => a - b);
      const d = design(shape, n, o, codes);
      const eq = new NormalEquations(d.k);
      const index = new Int32Array(d.k);
      const value = new Float64Array(d.k);
      // ordinary days: one group per weekly slot (rows differ only in the trend value);
      // special days: row by row
      const p = weekLength(shape);
      const groups = Array.from({ length: p }, () => ({ c: 0, st: 0, stt: 0, sy: 0, syt: 0 }));
      for (let t = 0; t < n; t++) {
        if (missing?.[t] === 1) continue; // imputed: not an observation
        const code = codeAt(t);
        if (code !== 0) {
          eq.add(index, value, d.row(t, code, index, value), y[t]!);
          continue;
        }
        const g = groups[t % p]!;
        const tau = o.trend ? (t - n) / p : 0;
        g.c++;
        g.st += tau;
        g.stt += tau * tau;
        g.sy += y[t]!;
        g.syt += y[t]! * tau;
      }
      for (let q = 0; q < p; q++) {
        if (groups[q]!.c > 0) eq.addGroup(index, value, d.row(q, 0, index, value, false), 1, groups[q]!);
      }
      const beta = eq.solve(o.ridge * n, d.unpenalised);
      return {
        handledCodes: seen,
        predict(h: number): Float64Array {
          const out = new Float64Array(h);
          for (let i = 0; i < h; i++) {
            const nnz = d.row(n + i, codeAt(n + i), index, value);
            let f = 0;
            for (let j = 0; j < nnz; j++) f += beta[index[j]!]! * value[j]!;
            out[i] = f;
          }
          return out;
        },
      };
    },
  };
}
