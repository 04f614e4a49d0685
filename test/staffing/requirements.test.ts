import { describe, expect, it } from 'vitest';
import { erlangC } from '../../src/staffing/erlang-c.js';
import { requiredAgents } from '../../src/staffing/required.js';
import { computeRequirementColumns, computeRequirements, StaffingCache } from '../../src/staffing/requirements.js';
import {
  estimatePatience,
  estimatePatienceFromContacts,
  estimatePatienceFromIntervals,
} from '../../src/staffing/patience.js';
import { whatIf } from '../../src/staffing/whatif.js';
import { reforecastIntraday } from '../../src/staffing/intraday.js';

const settings = { serviceLevel: 0.8, threshold: 20, shrinkage: 0.3 };

describe('requirements per half-hour', () => {
  it('sizes each row and grosses up by shrinkage', () => {
    const rows = computeRequirements(
      [
        { interval_start: '2024-06-03T08:00', volume: 0, aht: 180 },
        { interval_start: '2024-06-03T08:30', volume: 100, aht: 180 },
        { interval_start: '2024-06-03T09:00', volume: 100, aht: 180 },
      ],
      settings,
    );
    expect(rows[0]).toEqual({
      interval_start: '2024-06-03T08:00',
      volume: 0,
      aht: 180,
      required: 0,
      scheduled_needed: 0,
      expected_sl: 1,
      asa: 0,
      occupancy: 0,
      abandon: 0,
      target_met: true,
    });
    const c14 = erlangC(14, 10, 180, 20);
    expect(rows[1]).toMatchObject({ required: 14, scheduled_needed: 20, abandon: 0, target_met: true });
    expect(rows[1]!.expected_sl).toBeCloseTo(c14.serviceLevel, 12);
    expect(rows[1]!.asa).toBeCloseTo(c14.asa, 12);
    expect(rows[1]!.occupancy).toBeCloseTo(10 / 14, 12);
    expect(rows[2]).toEqual({ ...rows[1], interval_start: '2024-06-03T09:00' });
  });

  it('uses Erlang A when patience is set and flags unreachable intervals', () => {
    const cols = computeRequirementColumns(
      { intervalStart: [0, 1800e3], volume: [100, 100], aht: [180, 180] },
      { serviceLevel: 0.8, threshold: 20, patience: 120, maxAgents: 11 },
    );
    expect(cols.model).toBe('erlang-a');
    expect(Array.from(cols.required)).toEqual([11, 11]);
    expect(Array.from(cols.met)).toEqual([0, 0]); // Erlang A needs 12 here
    expect(cols.abandon[0]).toBeGreaterThan(0);
  });

  it('a shared cache gives the same answers as fresh computation', () => {
    const volume = Float64Array.from({ length: 96 }, (_, i) => (i % 7) * 13.5);
    const aht = Float64Array.from({ length: 96 }, (_, i) => 150 + (i % 3) * 30);
    const intervalStart = Float64Array.from({ length: 96 }, (_, i) => i * 1800e3);
    const cache = new StaffingCache();
    const a = computeRequirementColumns({ intervalStart, volume, aht }, settings, { cache });
    const b = computeRequirementColumns({ intervalStart, volume, aht }, settings, { cache });
    for (let i = 0; i < 96; i++) {
      const r =
        volume[i] === 0
          ? 0
          : requiredAgents({ volume: volume[i]!, aht: aht[i]!, intervalSeconds: 1800 }, settings).agents;
      expect(a.required[i]).toBe(r);
      expect(b.required[i]).toBe(r);
    }
  });

  it('rejects a bad forecast value naming the index', () => {
    expect(() =>
      computeRequirementColumns({ intervalStart: [0, 1], volume: [1, Number.NaN], aht: [180, 180] }, settings),
    ).toThrow(/index 1/);
    expect(() =>
      computeRequirementColumns({ intervalStart: [0], volume: [1], aht: [180] }, { ...settings, shrinkage: 1 }),
    ).toThrow(/shrinkage/);
  });
});

describe('patience estimate', () => {
  it('θ = abandons ÷ total waiting time, patience = 1/θ', () => {
    expect(estimatePatience({ abandons: 30, totalWaitSeconds: 3600 })).toEqual({
      theta: 1 / 120,
      patienceSeconds: 120,
      model: 'erlang-a',
      abandons: 30,
      totalWaitSeconds: 3600,
    });
    expect(estimatePatienceFromIntervals([10, 20, 0], [1000, 2000, 600]).patienceSeconds).toBe(120);
    // 2 abandons (waits 10 s, 30 s) + answered waits 20 s and 60 s: 2 / 120 s → 60 s.
    const contacts = [
      { waitSeconds: 10, abandoned: true },
      { waitSeconds: 30, abandoned: true },
      { waitSeconds: 20, abandoned: false },
      { waitSeconds: 60, abandoned: false },
    ];
    expect(estimatePatienceFromContacts(contacts).patienceSeconds).toBe(60);
  });
  it('no abandonment observed → Erlang C', () => {
    expect(estimatePatience({ abandons: 0, totalWaitSeconds: 500 })).toMatchObject({
      theta: null,
      patienceSeconds: null,
      model: 'erlang-c',
    });
    expect(estimatePatience({ abandons: 3, totalWaitSeconds: 500 }, { minAbandons: 5 }).model).toBe('erlang-c');
  });
});

describe('what-if', () => {
  const forecast = [
    { interval_start: 1, volume: 100, aht: 180 },
    { interval_start: 2, volume: 0, aht: 180 },
  ];
  it('volume +10% sizes for 110 calls and lowers SL at the planned staffing', () => {
    const r = whatIf(forecast, settings, { volumePct: 10 }, [14, 0]);
    expect(r.scenario.rows[0]!.volume).toBeCloseTo(110, 12);
    const expected = requiredAgents({ volume: 110, aht: 180, intervalSeconds: 1800 }, settings).agents;
    expect(r.scenario.rows[0]!.required).toBe(expected);
    expect(r.baseline.rows[0]!.required).toBe(14);
    expect(r.delta.requiredHours).toBeCloseTo((expected - 14) / 2, 12);
    expect(r.baseline.slWithStaffed![0]).toBeCloseTo(erlangC(14, 10, 180, 20).serviceLevel, 12);
    expect(r.scenario.slWithStaffed![0]).toBeCloseTo(erlangC(14, 11, 180, 20).serviceLevel, 12);
    expect(r.scenario.serviceLevelWithStaffed!).toBeLessThan(r.baseline.serviceLevelWithStaffed!);
  });
  it('changes AHT, SL target, shrinkage and occupancy cap', () => {
    const r = whatIf(forecast, settings, { ahtSeconds: 200, serviceLevel: 0.9, shrinkage: 0.2, maxOccupancy: 0.8 });
    const expected = requiredAgents(
      { volume: 100, aht: 200, intervalSeconds: 1800 },
      { serviceLevel: 0.9, threshold: 20, maxOccupancy: 0.8 },
    ).agents;
    expect(r.scenario.rows[0]!.required).toBe(expected);
    expect(r.scenario.rows[0]!.scheduled_needed).toBe(Math.ceil(expected / 0.8 - 1e-9));
  });
});

describe('intraday reforecast', () => {
  it('applies w = k/(k+K) of the observed deviation to the rest of the day', () => {
    const forecast = [0, 1, 2, 3].map((i) => ({ interval_start: i, volume: 100, aht: 180 }));
    const r = reforecastIntraday({
      forecast,
      actuals: [
        { interval_start: 0, volume: 120, aht: 180 },
        { interval_start: 1, volume: 120, aht: 180 },
      ],
      settings,
    });
    // R = 240/200 = 1.2, k = 2, K = 4 → w = 1/3, factor = 1 + 0.2/3.
    expect(r.volumeRatio).toBeCloseTo(1.2, 12);
    expect(r.weight).toBeCloseTo(1 / 3, 12);
    expect(r.volumeFactor).toBeCloseTo(1 + 0.2 / 3, 12);
    expect(r.ahtFactor).toBe(1);
    expect(r.remaining.map((x) => x.interval_start)).toEqual([2, 3]);
    expect(r.remaining[0]!.volume).toBeCloseTo(100 * (1 + 0.2 / 3), 9);
    const expected = requiredAgents({ volume: 100 * (1 + 0.2 / 3), aht: 180, intervalSeconds: 1800 }, settings).agents;
    expect(r.remaining[0]!.required).toBe(expected);
  });
  it('clamps wild ratios and leaves the forecast alone without evidence', () => {
    const forecast = [0, 1].map((i) => ({ interval_start: i, volume: 100, aht: 180 }));
    const wild = reforecastIntraday({
      forecast,
      actuals: [{ interval_start: 0, volume: 1000 }],
      settings,
      damping: { halfWeightIntervals: 0 },
    });
    expect(wild.volumeFactor).toBe(2); // ratio 10 clamped to 2, fully trusted with K = 0
    const none = reforecastIntraday({ forecast, actuals: [], settings });
    expect(none.volumeFactor).toBe(1);
    expect(none.remaining).toHaveLength(2);
  });
});
