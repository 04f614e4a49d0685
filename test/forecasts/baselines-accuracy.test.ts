import { describe, expect, it } from 'vitest';
import { seasonalNaive, weeklyMean, weeklyMedian } from '../../forecasts/models/naive.js';
import { coverage, dailyWape, mase, naiveScale, wape } from '../../forecasts/backtest/accuracy.js';

const shape = { season: 2, week: 2 }; // a "week" of 4 intervals
const y = Float64Array.from([1, 2, 3, 4, 5, 6, 7, 8]);

describe('baselines', () => {
  it('seasonal naive repeats the last week', () => {
    expect(Array.from(seasonalNaive().fit({ y, shape }).predict(6))).toEqual([5, 6, 7, 8, 5, 6]);
  });
  it('mean of the last k weeks averages the same slot', () => {
    // weeks [1,2,3,4] and [5,6,7,8] → [3,4,5,6]
    expect(Array.from(weeklyMean(2).fit({ y, shape }).predict(5))).toEqual([3, 4, 5, 6, 3]);
    expect(weeklyMean(2).alias).toBe('mean_2w');
  });
  it('median of the last k weeks ignores one disturbed week', () => {
    // weeks [1,2,3,4] [5,6,7,8] [100,100,100,100] → medians [5,6,7,8]
    const z = Float64Array.from([1, 2, 3, 4, 5, 6, 7, 8, 100, 100, 100, 100]);
    expect(Array.from(weeklyMedian(3).fit({ y: z, shape }).predict(5))).toEqual([5, 6, 7, 8, 5]);
    // an even count averages the middle two: weeks [5..8] and [100..] → [52.5, 53, 53.5, 54]
    expect(Array.from(weeklyMedian(2).fit({ y: z, shape }).predict(2))).toEqual([52.5, 53]);
    expect(weeklyMedian().alias).toBe('median_5w');
  });
  it('refuses less than a week of history', () => {
    expect(() => seasonalNaive().fit({ y: y.subarray(0, 3), shape })).toThrow(/one full week/);
  });
});

describe('metrics', () => {
  it('WAPE = Σ|e| / Σ|y|', () => {
    // errors 2, 2, 0, 4 over 100
    expect(wape([10, 20, 30, 40], [12, 18, 30, 36])).toBeCloseTo(0.08, 12);
  });
  it('MASE scales by the in-sample weekly seasonal naive', () => {
    const history = [1, 2, 3, 4, 2, 4, 6, 8];
    expect(naiveScale(history, 4)).toBe(2.5); // |2−1|,|4−2|,|6−3|,|8−4| → 10/4
    expect(mase([10, 20], [11, 17], history, 4)).toBeCloseTo(0.8, 12); // MAE 2 / 2.5
  });
  it('daily-total WAPE groups by calendar day', () => {
    expect(dailyWape([1, 3, 5, 7], [2, 2, 5, 9], 2, 0)).toBeCloseTo(2 / 16, 12); // days 4|4, 12|14
    expect(dailyWape([1, 3, 5, 7], [2, 2, 5, 9], 2, 1)).toBeCloseTo(4 / 16, 12); // 1|2, 8|7, 7|9
  });
  it('coverage counts actuals inside the band', () => {
    expect(coverage([1, 5, 9, 3], [0, 0, 0, 4], [2, 4, 10, 6])).toBe(0.5);
  });
});
