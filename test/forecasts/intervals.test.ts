// Intervals from the combination's own backtest residuals, per lead-time band.
import { describe, expect, it } from 'vitest';
import { calibrate, chooseScale, intervalsFor, leadBands } from '../../forecasts/intervals.js';
import { rollingBacktest } from '../../forecasts/backtest/rolling.js';
import { doubleSeasonal } from './helpers.js';

describe('lead-time bands', () => {
  it('first day, rest of the first week, then each week', () => {
    expect(leadBands(48, 336, 2016)).toEqual([0, 48, 336, 672, 1008, 1344, 1680, 2016]);
    expect(leadBands(48, 336, 100)).toEqual([0, 48]);
    expect(leadBands(28, 140, 140)).toEqual([0, 28, 140]);
  });

  it('calibrates each band on its own residuals, symmetric around the forecast', () => {
    // day 1: residuals ±1 (scaled), later leads: ±3, with a bias that must not shift the bounds
    const samples = [];
    for (let i = 0; i < 200; i++) {
      samples.push({ lead: i % 48, actual: 100 + (i % 2 ? 10 : -10), forecast: 100 });
      samples.push({ lead: 48 + (i % 200), actual: 100 + (i % 2 ? 30 : -20), forecast: 100 });
    }
    const model = calibrate(samples, leadBands(48, 336, 336), 'sqrt');
    const f = new Float64Array(100).fill(100);
    const r = intervalsFor(f, model, () => false);
    expect(r.hi80[0]).toBeCloseTo(110, 9);
    expect(r.lo80[0]).toBeCloseTo(90, 9);
    expect(r.hi80[60]! - r.lo80[60]!).toBeGreaterThan(50); // |30| and |20| → ±30 at 80 %
    expect(r.hi80[60]! - 100).toBeCloseTo(100 - r.lo80[60]!, 9);
    expect(r.hi95[60]).toBeGreaterThanOrEqual(r.hi80[60]!);
  });
});

describe('interval scale', () => {
  it('√ for counts, proportional for loads whose errors grow with the level', () => {
    const counts = [];
    const loads = [];
    for (let i = 0; i < 400; i++) {
      const f = 5 + (i % 100) * 5; // 5 … 500
      const z = ((i * 7919) % 200) / 100 - 1; // deterministic, in [−1, 1)
      counts.push({ lead: i, forecast: f, actual: f + 1.5 * z * Math.sqrt(f) });
      loads.push({ lead: i, forecast: 100 * f, actual: 100 * f * (1 + 0.03 * z) });
    }
    expect(chooseScale(counts)).toBe('sqrt');
    expect(chooseScale(loads)).toBe('level');
  });
});

describe('coverage in the backtest', () => {
  it('is near nominal on a stationary noisy series, counted where the forecast is not 0 by rule', () => {
    const y = doubleSeasonal(16, 8, 7, 40, 5).map((v, t) => (t % 8 === 0 ? 0 : v));
    const report = rollingBacktest(y, { season: 8, week: 7, horizon: 56, origins: 6 });
    expect(report.ensemble.coverage80).toBeGreaterThan(0.7);
    expect(report.ensemble.coverage80).toBeLessThan(0.92);
    expect(report.ensemble.coverage95).toBeGreaterThan(0.88);
  });
});
