import { describe, expect, it } from 'vitest';
import { fitAndForecastAht } from '../../forecasts/aht.js';

describe('AHT forecast (volume-weighted)', () => {
  it('recovers a weekly-repeating AHT exactly and gives 0 where closed', () => {
    const season = 6;
    const week = 7;
    const p = season * week;
    const n = 8 * p;
    const volume = Float64Array.from({ length: n }, (_, t) => (t % season === 0 ? 0 : 10 + (t % p) / 7));
    const aht = Float64Array.from({ length: n }, (_, t) => (t % season === 0 ? 0 : 200 + 5 * (t % season)));
    const r = fitAndForecastAht(volume, aht, { season, week, horizon: p, models: ['snaive_week', 'mean_4w'] });
    for (let i = 0; i < p; i++) {
      const expected = (n + i) % season === 0 ? 0 : 200 + 5 * ((n + i) % season);
      expect(r.aht[i]).toBeCloseTo(expected, 9);
    }
  });
});
