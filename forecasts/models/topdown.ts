// Top-down, as most WFM suites do it: forecast daily totals (Holt–Winters with a weekly cycle on
// day totals), then split each day by that weekday's intraday profile (share of the day's volume
// in each slot, averaged over recent weeks).
import type { FittedModel, ForecastModel, ModelInput, SeriesShape } from './types.js';
import { weekLength } from './types.js';
import { nelderMead, squash, unsquash } from './nelder-mead.js';

interface DailyState {
  level: number;
  season: Float64Array;
  sse: number;
}

function runDaily(d: Float64Array, w: number, alpha: number, gamma: number, skip?: Uint8Array): DailyState {
  const init = Math.min(d.length, 2 * w);
  let level = 0;
  for (let t = 0; t < Math.min(w, d.length); t++) level += d[t]! / Math.min(w, d.length);
  const season = new Float64Array(w);
  const count = new Float64Array(w);
  for (let t = 0; t < init; t++) {
    season[t % w] = season[t % w]! + d[t]!;
    count[t % w] = count[t % w]! + 1;
  }
  for (let i = 0; i < w; i++) season[i] = count[i]! > 0 ? season[i]! / count[i]! - level : 0;
  let sse = 0;
  for (let t = 0; t < d.length; t++) {
    const i = t % w;
    const e = skip?.[t] === 1 ? 0 : d[t]! - (level + season[i]!);
    if (t >= w) sse += e * e;
    level += alpha * e;
    season[i] = season[i]! + gamma * (1 - alpha) * e;
  }
  return { level, season, sse };
}

export function topDown(options: { dailyWeeks?: number; profileWeeks?: number } = {}): ForecastModel {
  const dailyWeeks = options.dailyWeeks ?? 26;
  const profileWeeks = options.profileWeeks ?? 6;
  return {
    alias: 'topdown',
    minLength: (s: SeriesShape) => 2 * weekLength(s),
    fit({ y, shape, missing }: ModelInput): FittedModel {
      const m = shape.season;
      const w = shape.week;
      const imputedDay = (d: number): boolean => {
        if (!missing) return false;
        for (let s = 0; s < m; s++) if (missing[d * m + s] === 1) return true;
        return false;
      };
      const n = y.length;
      const complete = Math.floor(n / m);
      if (complete < 2 * w) throw new Error('topdown needs two full weeks of days');
      // daily totals of the most recent whole weeks (start on weekday 0 to keep the phase)
      const firstDay = Math.max(0, Math.floor((complete - dailyWeeks * w) / w) * w);
      const totals = new Float64Array(complete - firstDay);
      const skip = new Uint8Array(complete - firstDay);
      for (let d = firstDay; d < complete; d++) {
        skip[d - firstDay] = imputedDay(d) ? 1 : 0;
        let sum = 0;
        for (let s = 0; s < m; s++) sum += y[d * m + s]!;
        totals[d - firstDay] = sum;
      }
      const fitted = nelderMead(
        (x) => runDaily(totals, w, squash(x[0]!, 0, 1), squash(x[1]!, 0, 1), skip).sse,
        [unsquash(0.2, 0, 1), unsquash(0.1, 0, 1)],
        { maxIterations: 100, step: 1, tolerance: 1e-7 },
      );
      const state = runDaily(totals, w, squash(fitted.x[0]!, 0, 1), squash(fitted.x[1]!, 0, 1), skip);
      // intraday profile per weekday
      const share = new Float64Array(w * m);
      const dayTotal = new Float64Array(w);
      for (let d = Math.max(0, complete - profileWeeks * w); d < complete; d++) {
        if (imputedDay(d)) continue;
        const wd = d % w;
        for (let s = 0; s < m; s++) {
          share[wd * m + s] = share[wd * m + s]! + y[d * m + s]!;
          dayTotal[wd] = dayTotal[wd]! + y[d * m + s]!;
        }
      }
      for (let wd = 0; wd < w; wd++)
        for (let s = 0; s < m; s++) {
          share[wd * m + s] = dayTotal[wd]! > 0 ? share[wd * m + s]! / dayTotal[wd]! : 0;
        }
      return {
        predict(h: number): Float64Array {
          const out = new Float64Array(h);
          for (let i = 0; i < h; i++) {
            const t = n + i;
            const day = Math.floor(t / m);
            const wd = day % w;
            // totals start on weekday 0, so the seasonal index is the weekday
            const total = state.level + state.season[wd]!;
            out[i] = Math.max(0, total) * share[wd * m + (t % m)]!;
          }
          return out;
        },
      };
    },
  };
}
