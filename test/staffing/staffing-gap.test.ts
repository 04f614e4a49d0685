// The live staffing gap of a queue's current half-hour, worked by hand (Erlang C, T = 20 s, 80 %):
// four completed half-hours forecast 10 each saw 12 each: R = 1.2, weight 4 ÷ (4 + 4) = 0.5,
// factor 1 + 0.5 × 0.2 = 1.1; the current half-hour's forecast 10 → 11 contacts of 240 s,
// A = 1.4667 erlangs. N = 2: C = 0.6205, SL = 1 − C·e^(−0.5333·20/240) = 0.4065; N = 3: SL = 0.8019
// → 3 required. Two agents logged in (1 available, 1 on a contact): gap −1, projected SL 0.4065.
import { describe, expect, it } from 'vitest';
import { staffingGap, type RequirementNow } from '../../src/metrics/staffing-gap.js';

const NOW = Date.parse('2026-10-05T11:10:00Z');
const row: RequirementNow = {
  queue: 'q',
  channel: 'voice',
  volume: 10,
  aht: 240,
  threshold_s: 20,
  sl_target: 0.8,
  max_occupancy: 0.85,
  patience_s: null,
  concurrency: 1,
};
const halfHours = ['09:00', '09:30', '10:00', '10:30', '11:00', '11:30'].map((t, i) => ({
  start: `2026-10-05T${t}:00.000Z`,
  offered: i < 4 ? 12 : i === 4 ? 3 : 0,
  forecast_offered: 10,
}));

describe('staffing gap', () => {
  it('reforecasts the current half-hour, sizes it, and projects SL with the agents logged in', () => {
    const g = staffingGap([row], halfHours, { available: 1, on_contact: 1, wrap_up: 0 }, NOW)!;
    expect(g.interval_start).toBe('2026-10-05T11:00:00.000Z');
    expect(g.volume_factor).toBeCloseTo(1.1, 12);
    expect(g.forecast_volume).toBe(10);
    expect(g.reforecast_volume).toBeCloseTo(11, 12);
    expect([g.agents_required, g.agents_logged_in, g.agents_available, g.gap]).toEqual([3, 2, 1, -1]);
    expect(g.projected_service_level).toBeCloseTo(0.4064616542, 8);
  });

  it('concurrency divides the agents of a chat channel; none logged in projects 0; no run gives no gap', () => {
    const chat = { ...row, channel: 'chat', concurrency: 2 };
    const g = staffingGap([chat], halfHours, { available: 0, on_contact: 0, wrap_up: 0 }, NOW)!;
    // 3 servers needed (as above) → ⌈3 ÷ 2⌉ agents = 2
    expect([g.agents_required, g.gap, g.projected_service_level]).toEqual([2, -2, 0]);
    expect(staffingGap([], halfHours, { available: 3, on_contact: 0, wrap_up: 0 }, NOW)).toBeNull();
  });
});
