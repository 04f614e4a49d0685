// History days the job replaces before fitting: calendar closed and event days, and an empty
// day among open neighbours (a holiday nobody entered). Worked by hand on three weeks, and a fit
// whose history lost one Thursday equals the fit of the whole history when the weeks repeat.
import { describe, expect, it } from 'vitest';
import { fitSeries } from '../../../forecasts/job/fit.js';
import { CLOSED_DAY, EVENT_DAY, historyDayCodes } from '../../../forecasts/job/unusual-days.js';

const SLOTS = 48;
// 2026-11-02 is a Monday.
const dates = (days: number) =>
  Array.from({ length: days }, (_, d) => new Date(Date.UTC(2026, 10, 2 + d)).toISOString().slice(0, 10));

/** Weeks of an identical shape: open 08:00–18:00 Monday to Saturday, closed Sunday. */
function repeatingWeeks(weeks: number): Float64Array {
  const y = new Float64Array(weeks * 7 * SLOTS);
  for (let d = 0; d < weeks * 7; d++) {
    if (d % 7 === 6) continue;
    for (let s = 16; s < 36; s++) y[d * SLOTS + s] = 10 + (d % 7) + 5 * Math.sin((Math.PI * (s - 16)) / 20);
  }
  return y;
}

describe('historyDayCodes', () => {
  it('codes calendar closed and event days, and an empty day whose weekday neighbours had contacts', () => {
    const y = repeatingWeeks(3);
    y.fill(0, 10 * SLOTS, 11 * SLOTS); // Thursday 12 November: nothing (days 3 and 17 have contacts)
    const calendar = new Map([
      ['2026-11-04', 0], // Wednesday closed by the planner
      ['2026-11-07', 1.5], // Saturday promotion
    ]);
    const codes = historyDayCodes(y, dates(21), calendar);
    const expected = new Int32Array(21);
    expected[2] = CLOSED_DAY;
    expected[5] = EVENT_DAY;
    expected[10] = CLOSED_DAY;
    // Sundays (6, 13, 20) are empty like their neighbours: the queue is closed then, nothing to replace.
    expect([...codes]).toEqual([...expected]);
  });

  it('leaves an empty day alone when the same weekday is empty a week and two weeks either side', () => {
    const y = repeatingWeeks(3);
    for (const d of [3, 10, 17]) y.fill(0, d * SLOTS, (d + 1) * SLOTS); // every Thursday empty
    expect([...historyDayCodes(y, dates(21), new Map())].every((c) => c === 0)).toBe(true);
  });
});

describe('fitSeries with the unusual days replaced', () => {
  it('forecasts from a history that lost one Thursday exactly as from the whole history', () => {
    const whole = repeatingWeeks(5);
    const aht = Float64Array.from(whole, (v) => (v > 0 ? 240 : 0));
    const holed = Float64Array.from(whole);
    const holedAht = Float64Array.from(aht);
    holed.fill(0, 24 * SLOTS, 25 * SLOTS); // Thursday of the fourth week
    holedAht.fill(0, 24 * SLOTS, 25 * SLOTS);
    const codes = historyDayCodes(holed, dates(35), new Map());
    expect([...codes.keys()].filter((d) => codes[d] !== 0)).toEqual([24]);

    const reference = fitSeries({ volume: whole, aht, horizon: 7 * SLOTS });
    const cleaned = fitSeries({ volume: holed, aht: holedAht, horizon: 7 * SLOTS, dayCodes: codes });
    const ignored = fitSeries({ volume: holed, aht: holedAht, horizon: 7 * SLOTS });
    const thursday = (f: Float64Array) => f.slice(3 * SLOTS, 4 * SLOTS).reduce((a, b) => a + b, 0);
    expect(thursday(cleaned.volume)).toBeCloseTo(thursday(reference.volume), 6);
    expect([...cleaned.volume].map((v) => v.toFixed(6))).toEqual([...reference.volume].map((v) => v.toFixed(6)));
    // Without the replacement the lost Thursday drags next Thursday down.
    expect(thursday(ignored.volume)).toBeLessThan(thursday(reference.volume) - 1);
  }, 120_000);
});
