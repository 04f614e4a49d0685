import { describe, expect, it } from 'vitest';
import { fourierRidge } from '../../forecasts/models/fourier.js';
import { dshw } from '../../forecasts/models/dshw.js';
import { mstlEts } from '../../forecasts/models/mstl-ets.js';
import { topDown } from '../../forecasts/models/topdown.js';
import { nelderMead } from '../../forecasts/models/nelder-mead.js';
import { defaultModels } from '../../forecasts/models/registry.js';
import { doubleSeasonal } from './helpers.js';

const maxAbsDiff = (a: ArrayLike<number>, b: ArrayLike<number>): number => {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
};

describe('model contract', () => {
  it('every model has a unique alias', () => {
    const aliases = defaultModels().map((m) => m.alias);
    expect(new Set(aliases).size).toBe(aliases.length);
    expect(aliases).toEqual(['snaive_week', 'mean_4w', 'median_5w', 'dshw', 'mstl_ets', 'fourier_ridge', 'topdown']);
  });
});

describe('Nelder–Mead', () => {
  it('finds the minimum of a shifted quadratic', () => {
    const r = nelderMead((x) => (x[0]! - 3) ** 2 + 2 * (x[1]! + 1) ** 2, [0, 0], {
      maxIterations: 500,
      tolerance: 1e-14,
    });
    expect(r.x[0]).toBeCloseTo(3, 5);
    expect(r.x[1]).toBeCloseTo(-1, 5);
  });
});

describe('Fourier ridge regression', () => {
  it('recovers a pure daily sinusoid to 1e-6', () => {
    const season = 48;
    const shape = { season, week: 7 };
    const f = (t: number): number =>
      5 + 3 * Math.sin((2 * Math.PI * t) / season) + 2 * Math.cos((4 * Math.PI * t) / season);
    const n = 4 * 7 * season;
    const y = Float64Array.from({ length: n }, (_, t) => f(t));
    const out = fourierRidge({ ridge: 1e-12 })
      .fit({ y, shape })
      .predict(2 * season);
    expect(
      maxAbsDiff(
        out,
        Float64Array.from({ length: 2 * season }, (_, i) => f(n + i)),
      ),
    ).toBeLessThan(1e-6);
  });
  it('learns a special-day effect from history and applies it on a future special day', () => {
    const shape = { season: 4, week: 7 };
    const days = 8 * 7;
    const codes = new Int32Array(days + 7);
    for (const d of [10, 24, 38, 52]) codes[d] = 1; // every other week's day 3, then again at day 59
    codes[59] = 1;
    const y = new Float64Array(days * 4);
    for (let t = 0; t < y.length; t++) y[t] = codes[Math.floor(t / 4)] === 1 ? 20 : 100;
    const model = fourierRidge({ ridge: 1e-9 }).fit({ y, shape, special: { codes } });
    const out = model.predict(7 * 4);
    expect(model.handledCodes?.has(1)).toBe(true);
    expect(out[(59 - days) * 4]).toBeCloseTo(20, 3);
    expect(out[0]).toBeCloseTo(100, 3);
  });
});

describe('double-seasonal Holt–Winters', () => {
  it('forecasts a noiseless double-seasonal series almost exactly', () => {
    const shape = { season: 48, week: 7 };
    const all = doubleSeasonal(6, 48, 7);
    const y = all.subarray(0, 5 * 336);
    const out = dshw().fit({ y, shape }).predict(336);
    expect(maxAbsDiff(out, all.subarray(5 * 336))).toBeLessThan(1e-6);
  });
});

describe('MSTL + ETS and top-down', () => {
  it('track a noiseless double-seasonal series closely', () => {
    const shape = { season: 48, week: 7 };
    const all = doubleSeasonal(7, 48, 7);
    const y = all.subarray(0, 6 * 336);
    const truth = all.subarray(6 * 336);
    const mean = truth.reduce((a, b) => a + b, 0) / truth.length;
    expect(maxAbsDiff(mstlEts().fit({ y, shape }).predict(336), truth) / mean).toBeLessThan(0.02);
    expect(maxAbsDiff(topDown().fit({ y, shape }).predict(336), truth) / mean).toBeLessThan(1e-9);
  });
});
