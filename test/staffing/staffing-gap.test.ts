// The live staffing gap of a queue's current half-hour, worked by hand (Erlang C, T = 20 s, 80 %):
// four completed half-hours forecast 10 each saw 12 each: R = 1.2, weight 4 ÷ (4 + 4) = 0.5,
// factor 1 + 0.5 × 0.2 = 1.1; the current half-hour's forecast 10 → 11 contacts of 240 s,
// A = 1.4667 erlangs. N = 2: C = 0.6205, SL = 1 − C·e^(−0.5333·20/240) = 0.4065; N = 3: SL = 0.8019
// → 3 required. Two agents logged in (1 available, 1 on a contact): gap −1, projected SL 0.4065.
//
// A planner's +20 % edit over the current half-hour only: its forecast 10 → 12, the completed
// half-hours keep 10 (factor 1.1), reforecast 13.2 contacts, A = 13.2 × 240 ÷ 1800 = 1.76.
// Erlang B: B1 = 0.63768, B2 = 0.35945, B3 = 0.17415, B4 = 0.07117. N = 3: C = 0.33783,
// SL = 1 − C·e^(−1.24·20/240) = 0.6953; N = 4: C = 0.12036, SL = 1 − C·e^(−2.24·20/240) = 0.9001
// → 4 required. N = 2: C = 0.82383, SL = 1 − C·e^(−0.24·20/240) = 0.1925 projected.
// A +20 % edit over 09:00–11:00 instead (the completed half-hours): forecast 12 each against 12
// seen, R = 1, factor 1; the current half-hour stays 10 → A = 1.3333, 3 required as unedited.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  applyEdits,
  requirementsNow,
  staffingGap,
  type EditLayer,
  type RequirementNow,
} from '../../src/metrics/staffing-gap.js';
import { addAdjustment, editedVolume, type Adjustment } from '../../forecasts/job/adjustments.js';
import { openTempStore, type TempStore } from '../support/temp-store.js';
import { seedFlatForecastRun } from '../support/flat-forecast-run.js';

const NOW = Date.parse('2026-10-05T11:10:00Z');
const SLOT = Date.parse('2026-10-05T11:00:00Z');
const row: RequirementNow = {
  queue: 'q',
  channel: 'voice',
  interval_ms: SLOT,
  volume: 10,
  volume_raw: 10,
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

describe('staffing gap on the edited forecast', () => {
  const agents = { available: 1, on_contact: 1, wrap_up: 0 };
  // The completed half-hours' requirement rows (raw 10 each), as requirementsNow returns them.
  const past = [0, 1, 2, 3].map((i) => ({ ...row, interval_ms: SLOT - (4 - i) * 1_800_000 }));

  it('+20 % over the current half-hour: forecast 12, reforecast 13.2, 4 required, projected SL 0.1925', () => {
    const g = staffingGap([...past, { ...row, volume: 12 }], halfHours, agents, NOW)!;
    expect(g.forecast_volume).toBe(12);
    expect(g.volume_factor).toBeCloseTo(1.1, 12);
    expect(g.reforecast_volume).toBeCloseTo(13.2, 12);
    expect([g.agents_required, g.agents_logged_in, g.gap]).toEqual([4, 2, -2]);
    expect(g.projected_service_level).toBeCloseTo(0.19248, 4);
  });

  it('+20 % over the completed half-hours: today ran as edited, factor 1, 3 required', () => {
    const edited = past.map((r) => ({ ...r, volume: 12 }));
    const g = staffingGap([...edited, row], halfHours, agents, NOW)!;
    expect(g.volume_factor).toBe(1);
    expect(g.reforecast_volume).toBe(10);
    expect(g.agents_required).toBe(3);
  });

  it('applies edit layers exactly as the forecast job does', () => {
    const layers: EditLayer[] = [
      { id: 'a', channel: '', fromMs: SLOT, toMs: SLOT + 1_800_000, kind: 'percent', value: 20, createdAt: 1 },
      {
        id: 'b',
        channel: 'voice',
        fromMs: SLOT - 1_800_000,
        toMs: SLOT + 3_600_000,
        kind: 'absolute',
        value: -3,
        createdAt: 2,
      },
      { id: 'c', channel: 'chat', fromMs: SLOT, toMs: SLOT + 1_800_000, kind: 'percent', value: 50, createdAt: 3 },
    ];
    const asJob: Adjustment[] = layers.map((l) => ({
      ...l,
      queue: 'q',
      reason: '',
      createdBy: 'p',
      deletedAt: null,
      deletedBy: null,
    }));
    for (const at of [SLOT - 1_800_000, SLOT, SLOT + 1_800_000])
      for (const channel of ['voice', 'chat'])
        expect(applyEdits(10, at, channel, layers)).toBe(editedVolume(10, at, channel, asJob));
    expect(applyEdits(10, SLOT, 'voice', layers)).toBe(9); // 10 × 1.2 − 3
    expect(applyEdits(2, SLOT - 1_800_000, 'voice', layers)).toBe(0); // never below 0
  });
});

describe('requirementsNow reads the edits in force from the store', () => {
  let t: TempStore;
  beforeAll(async () => {
    t = await openTempStore();
    const c = t.store.client;
    await seedFlatForecastRun(c, {
      runId: 'r1',
      queue: 'q',
      day: '2026-10-05',
      slots: ['09:00', '09:30', '10:00', '10:30', '11:00', '11:30'],
      withForecasts: false,
    });
    const edit = { queue: 'q', channel: '', kind: 'percent' as const, reason: 'promotion', createdBy: 'planner' };
    await addAdjustment(c, { ...edit, fromMs: SLOT, toMs: SLOT + 1_800_000, value: 20, createdAt: NOW - 60_000 });
  }, 120_000);
  afterAll(() => t?.cleanup());

  it('+20 % over the current half-hour changes the gap as worked by hand', async () => {
    const rows = (await requirementsNow(t.store.client, ['q', 'other'], NOW)).get('q')!;
    // 09:00 … 11:00 (11:30 is not begun); only 11:00 edited.
    expect(rows.map((r) => [new Date(r.interval_ms).toISOString().slice(11, 16), r.volume_raw, r.volume])).toEqual([
      ['09:00', 10, 10],
      ['09:30', 10, 10],
      ['10:00', 10, 10],
      ['10:30', 10, 10],
      ['11:00', 10, 12],
    ]);
    const g = staffingGap(rows, halfHours, { available: 1, on_contact: 1, wrap_up: 0 }, NOW)!;
    expect([g.forecast_volume, g.agents_required, g.gap]).toEqual([12, 4, -2]);
    expect(g.reforecast_volume).toBeCloseTo(13.2, 12);
  });
});
