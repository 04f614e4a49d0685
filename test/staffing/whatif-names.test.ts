// What-if summaries name their figures as the API does (snake_case), with the first-shipped
// camelCase names beside them (deprecated) holding the same values.
import { describe, expect, it } from 'vitest';
import { whatIf } from '../../src/staffing/whatif.js';
import type { QueueSettings } from '../../src/staffing/requirements.js';

const settings: QueueSettings = { serviceLevel: 0.8, threshold: 20 };

describe('what-if names', () => {
  it('snake_case summary and delta, deprecated camelCase equal to them', () => {
    // 100 calls of 180 s in 30 min: Erlang C needs 14 agents (SL 0.888); 0 calls need none.
    const forecast = [
      { interval_start: 1, volume: 100, aht: 180 },
      { interval_start: 2, volume: 0, aht: 180 },
    ];
    const r = whatIf(forecast, settings, { volumePct: 10 });
    const b = r.baseline.summary;
    expect(Object.keys(b)).toEqual([
      'required_hours',
      'scheduled_hours',
      'peak_required',
      'service_level',
      'unmet_intervals',
      'requiredHours',
      'scheduledHours',
      'peakRequired',
      'serviceLevel',
      'unmetIntervals',
    ]);
    expect([b.required_hours, b.peak_required, b.unmet_intervals]).toEqual([7, 14, 0]);
    expect([b.requiredHours, b.scheduledHours, b.peakRequired, b.serviceLevel, b.unmetIntervals]).toEqual([
      b.required_hours,
      b.scheduled_hours,
      b.peak_required,
      b.service_level,
      b.unmet_intervals,
    ]);
    const s = r.scenario.summary;
    expect(r.delta.required_hours).toBe(s.required_hours - b.required_hours);
    expect(r.delta.service_level).toBe(s.service_level - b.service_level);
    expect([r.delta.requiredHours, r.delta.scheduledHours, r.delta.serviceLevel]).toEqual([
      r.delta.required_hours,
      r.delta.scheduled_hours,
      r.delta.service_level,
    ]);
  });
});
