import { describe, expect, it } from 'vitest';
import { combine, fitAndForecast } from '../../forecasts/pipeline.js';
import { closedSlots } from '../../forecasts/special-days.js';
import { doubleSeasonal } from './helpers.js';

const shape = { season: 8, week: 7 }; // 3-hour intervals keep the tests fast
const P = 56;

/** Noisy double-seasonal series with slot 0 of every day closed (always exactly 0). */
function withClosedSlot(weeks: number): Float64Array {
  const y = doubleSeasonal(weeks, shape.season, shape.week, 20, 7);
  for (let t = 0; t < y.length; t += shape.season) y[t] = 0;
  return y;
}

describe('closed slots', () => {
  it('detects slots that were zero in each recent week', () => {
    const y = withClosedSlot(6);
    y[y.length - P + 3] = 0; // one zero in one week is not "closed"
    const closed = closedSlots(y, shape, 4);
    expect(Array.from(closed).filter((c) => c === 1).length).toBe(7);
    expect(closed[3]).toBe(0);
    expect(closed[8]).toBe(1);
  });

  it('forecast exactly 0 in closed slots, never negative, with ordered intervals', () => {
    const y = withClosedSlot(12);
    const r = fitAndForecast(y, { ...shape, horizon: 2 * P });
    for (let i = 0; i < 2 * P; i++) {
      if ((y.length + i) % shape.season === 0) {
        expect(r.forecast[i]).toBe(0);
        expect(r.hi95[i]).toBe(0);
        expect(r.zero[i]).toBe(1);
      } else {
        expect(r.forecast[i]).toBeGreaterThan(0);
      }
      expect(r.lo95[i]).toBeGreaterThanOrEqual(0);
      expect(r.lo95[i]).toBeLessThanOrEqual(r.lo80[i]!);
      expect(r.lo80[i]).toBeLessThanOrEqual(r.forecast[i]!);
      expect(r.forecast[i]).toBeLessThanOrEqual(r.hi80[i]!);
      expect(r.hi80[i]).toBeLessThanOrEqual(r.hi95[i]!);
    }
  });

  it('clips negative model output to 0', () => {
    // a steep downward trend: the fitted trend would cross zero
    const y = Float64Array.from({ length: 6 * P }, (_, t) => Math.max(0, 6 * P - t) / 10);
    const r = fitAndForecast(y, { ...shape, horizon: 2 * P, models: ['fourier_ridge', 'mstl_ets'] });
    expect(Math.min(...r.forecast)).toBeGreaterThanOrEqual(0);
    for (const c of r.candidates) if (c.forecast) expect(Math.min(...c.forecast)).toBeGreaterThanOrEqual(0);
  });
});

describe('orchestration', () => {
  it('is deterministic: two runs give identical output', () => {
    const y = withClosedSlot(10);
    const a = fitAndForecast(y, { ...shape, horizon: P });
    const b = fitAndForecast(y, { ...shape, horizon: P });
    expect(Array.from(a.forecast)).toEqual(Array.from(b.forecast));
    expect(Array.from(a.hi95)).toEqual(Array.from(b.hi95));
    expect(a.model).toBe(b.model);
  });

  it('falls back to the seasonal naive when the others cannot fit', () => {
    const y = withClosedSlot(1).map((v) => v + 1); // one week only: two-week models fail
    const r = fitAndForecast(y, { ...shape, horizon: 10, models: ['dshw', 'mstl_ets'] });
    expect(r.model).toBe('snaive_week');
    expect(r.candidates.find((c) => c.alias === 'dshw')?.error).toMatch(/needs/);
    expect(Array.from(r.forecast)).toEqual(Array.from(y.subarray(0, 10)));
  });

  it('applies a given holiday multiplier (0 = closed day) and learns one from history', () => {
    const y = doubleSeasonal(10, shape.season, shape.week, 0, 1);
    const days = y.length / shape.season;
    const codes = new Int32Array(days + 14);
    codes[days + 2] = 1; // closed by decree
    codes[days - 12] = 2; // a past half-day...
    codes[days + 5] = 2; // ...that recurs in the horizon
    for (let s = 0; s < shape.season; s++) y[(days - 12) * shape.season + s]! *= 0.5;
    const r = fitAndForecast(y, {
      ...shape,
      horizon: P,
      models: ['snaive_week', 'mean_4w'],
      special: { codes, multipliers: new Map([[1, 0]]) },
    });
    for (let s = 0; s < shape.season; s++) expect(r.forecast[2 * shape.season + s]).toBe(0);
    const plain = fitAndForecast(y, {
      ...shape,
      horizon: P,
      models: ['mean_4w'],
      special: { codes: new Int32Array(days + 14) },
    });
    const i = 5 * shape.season + 3;
    expect(r.candidates.find((c) => c.alias === 'mean_4w')!.forecast![i]).toBeCloseTo(
      0.5 * plain.candidates[0]!.forecast![i]!,
      6,
    );
  });
});

describe('robust combination', () => {
  it('is the per-point median of the models within 20 % of the best on 4 backtest windows', () => {
    const y = withClosedSlot(12);
    const r = fitAndForecast(y, { ...shape, horizon: P });
    expect(r.selectionOrigins).toBe(4);
    expect(r.selectionHorizon).toBe(P);
    const wapes = Object.values(r.selectionWape).filter(Number.isFinite);
    const best = Math.min(...wapes);
    const aliases = r.members.map((m) => m.alias);
    for (const [alias, w] of Object.entries(r.selectionWape)) if (w <= 1.2 * best) expect(aliases).toContain(alias);
    expect(aliases.length).toBeGreaterThanOrEqual(3);
    const byAlias = new Map(r.candidates.map((c) => [c.alias, c.forecast!]));
    for (let i = 0; i < P; i++) {
      const v = aliases.map((a) => byAlias.get(a)![i]!).sort((a, b) => a - b);
      const k = v.length;
      const median = k % 2 === 1 ? v[k >> 1]! : (v[k / 2 - 1]! + v[k / 2]!) / 2;
      expect(r.forecast[i]).toBeCloseTo(median, 9);
    }
    expect(r.combinationWape).toBeLessThan(r.selectionWape.snaive_week!);
  });

  it('combine: median, trimmed mean and mean per point', () => {
    const f = new Map([
      ['a', Float64Array.from([1, 10])],
      ['b', Float64Array.from([2, 0])],
      ['c', Float64Array.from([9, 5])],
      ['d', Float64Array.from([4, 7])],
    ]);
    const m = ['a', 'b', 'c', 'd'].map((alias) => ({ alias, weight: 0.25 }));
    expect(Array.from(combine(m, f, 2))).toEqual([3, 6]);
    expect(Array.from(combine(m, f, 2, 'trimmed'))).toEqual([3, 6]);
    expect(Array.from(combine(m.slice(0, 3), f, 2))).toEqual([2, 5]);
    expect(Array.from(combine(m, f, 2, 'mean'))).toEqual([4, 5.5]);
  });

  it('keeps seasonal naive as the floor: a combination that does not beat it is not used', () => {
    // the same noisy week again and again: last week is exactly right, nothing can beat it
    const week = doubleSeasonal(1, shape.season, shape.week, 30, 3);
    const y = Float64Array.from({ length: 10 * P }, (_, t) => week[t % P]!);
    const r = fitAndForecast(y, { ...shape, horizon: P });
    expect(r.selectionWape.snaive_week).toBe(0);
    expect(r.model).toBe('snaive_week');
    expect(Array.from(r.forecast)).toEqual(Array.from(week));
  });

  it('shortens the windows to whole days when the history cannot hold 4 horizons', () => {
    const y = withClosedSlot(4); // 4 weeks: 2 weeks of training + 4 windows of 3 days
    const r = fitAndForecast(y, { ...shape, horizon: 2 * P });
    expect(r.selectionOrigins).toBe(4);
    expect(r.selectionHorizon).toBe(3 * shape.season);
  });
});
