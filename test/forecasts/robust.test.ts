// Outlier-resistant level models: a disturbed stretch just before the origin (two hours at a
// tenth of the usual volume) must not set next week's level.
import { describe, expect, it } from 'vitest';
import { dshw } from '../../forecasts/models/dshw.js';
import { mstlEts } from '../../forecasts/models/mstl-ets.js';
import { fitAndForecast } from '../../forecasts/pipeline.js';
import { clip, huber, madScale } from '../../forecasts/models/robust.js';

const season = 48;
const week = 7;
const P = season * week;
const shape = { season, week };

function rand(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const gauss = (r: () => number): number => Math.sqrt(-2 * Math.log(r() + 1e-12)) * Math.cos(2 * Math.PI * r());

/**
 * 10 weeks of half-hours ending at 15:00 of the last day: weekday levels, a random level per
 * day and a deviation that persists within the day (so one-step fits chase the level: α is
 * large), counts with Poisson-like noise.
 */
function busySeries(): Float64Array {
  const r = rand(21);
  const n = 10 * P - 18;
  const y = new Float64Array(n);
  let dayLevel = 1;
  let drift = 0;
  for (let t = 0; t < n; t++) {
    const s = t % season;
    const wd = Math.floor(t / season) % week;
    if (s === 0) {
      dayLevel = 1 + 0.12 * gauss(r);
      drift = 0;
    }
    drift = 0.9 * drift + 0.04 * gauss(r);
    const m = s < 14 || s >= 44 ? 0 : 80 * (wd >= 5 ? 0.4 : 1) * (0.5 + Math.sin((Math.PI * (s - 14)) / 30));
    const mean = m * Math.max(0, dayLevel + drift);
    y[t] = Math.max(0, Math.round(mean + Math.sqrt(mean) * gauss(r)));
  }
  return y;
}

/** next week: the 7 days from the midnight after the origin */
function nextWeekTotal(f: Float64Array, n: number): number {
  const first = season - (n % season);
  let total = 0;
  for (let i = first; i < first + P; i++) total += f[i]!;
  return total;
}

describe('outlier-resistant level models', () => {
  const y = busySeries();
  const n = y.length;
  const dipped = Float64Array.from(y);
  for (let t = n - 4; t < n; t++) dipped[t] = Math.round(dipped[t]! * 0.1);
  const h = 2 * P;
  const move = (a: Float64Array, b: Float64Array): number => nextWeekTotal(b, n) / nextWeekTotal(a, n) - 1;

  it.each([
    ['dshw', dshw()],
    ['mstl_ets', mstlEts()],
  ])('%s: a dip in the last two hours moves next week by under 3 %%', (_, model) => {
    const a = model.fit({ y, shape }).predict(h);
    const b = model.fit({ y: dipped, shape }).predict(h);
    expect(Math.abs(move(a, b))).toBeLessThan(0.03);
  });

  it('the combination too', () => {
    const a = fitAndForecast(y, { season, week, horizon: h });
    const b = fitAndForecast(dipped, { season, week, horizon: h });
    expect(Math.abs(move(a.forecast, b.forecast))).toBeLessThan(0.03);
  });

  it('without the protection the same dip drags dshw down (what the protection is for)', () => {
    const plain = dshw({ huberK: Infinity, originDays: 0 });
    const a = plain.fit({ y, shape }).predict(h);
    const b = plain.fit({ y: dipped, shape }).predict(h);
    expect(move(a, b)).toBeLessThan(-0.03);
  });

  it('robust scale, cap and loss', () => {
    expect(madScale([1, 2, 3, 4, 100])).toBeCloseTo(1.4826, 9); // median 3, |dev| median 1
    expect(clip(5, 2)).toBe(2);
    expect(clip(-5, 2)).toBe(-2);
    expect(clip(1, 2)).toBe(1);
    expect(huber(1, 2)).toBe(1);
    expect(huber(-5, 2)).toBe(16); // 2·2·5 − 4
  });
});
