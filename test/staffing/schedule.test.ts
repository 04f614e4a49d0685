import { describe, expect, it } from 'vitest';
import {
  parsePatterns,
  parseRequirementsCsv,
  recommendShifts,
  expandShifts,
} from '../../src/staffing/schedule/index.js';

function csv(rows: Array<[string, number]>): string {
  return 'interval_start,required\n' + rows.map(([t, r]) => `${t},${r}`).join('\n') + '\n';
}
// 08:00–12:00 on Monday 2024-06-03, half-hour requirement [1,1,2,2,2,2,1,1].
const morning = csv(
  [1, 1, 2, 2, 2, 2, 1, 1].map((r, i) => [
    `2024-06-03T${String(8 + Math.floor(i / 2)).padStart(2, '0')}:${i % 2 ? '30' : '00'}`,
    r,
  ]),
);

describe('shift recommendation (integer program)', () => {
  // By hand: slots 0–1 and 6–7 need 1, slots 2–5 need 2.
  //  - shorts only: one must start 08:00 (slot 0), one 10:00 (slot 7), and slots 2–5 still
  //    lack one agent each → a third short at 09:00: 3 × 20 = 60;
  //  - one long (36) covers 1 everywhere, plus one short at 09:00 (20) for slots 2–5: 56;
  //  - two longs: 72.  Optimum 56: long 08:00 × 1, short 09:00 × 1, exact coverage.
  const patterns = parsePatterns({
    openingHours: { start: '08:00', end: '12:00' },
    patterns: [
      { name: 'long', lengthHours: 4, costPerHour: 9 },
      { name: 'short', lengthHours: 2, costPerHour: 10 },
    ],
  });

  it('finds the hand-solved optimum with exact coverage', async () => {
    const plan = await recommendShifts(parseRequirementsCsv(morning), patterns);
    expect(plan.status).toBe('optimal');
    expect(plan.optimal).toBe(true);
    expect(plan.objective).toBe(56);
    expect(plan.shiftCost).toBe(56);
    expect(plan.shifts.map((s) => [s.pattern, s.start, s.end, s.agents])).toEqual([
      ['long', '08:00', '12:00', 1],
      ['short', '09:00', '11:00', 1],
    ]);
    const open = plan.coverage.filter(
      (c) => c.interval_start >= '2024-06-03T08:00' && c.interval_start < '2024-06-03T12:00',
    );
    expect(open.map((c) => c.scheduled)).toEqual([1, 1, 2, 2, 2, 2, 1, 1]);
    expect(plan.overstaffedHalfHours).toBe(0);
    expect(plan.understaffedHalfHours).toBe(0);
  });

  it('with headcount capped at 1 pays the penalty per missing agent-half-hour', async () => {
    // Long alone: 36 + 4 missing × 5 = 56.  Short alone at best covers 4 of 12 → 20 + 8 × 5 = 60.
    const plan = await recommendShifts(parseRequirementsCsv(morning), {
      ...patterns,
      headcount: { maxPerDay: 1 },
      understaffingPenalty: 5,
    });
    expect(plan.shifts.map((s) => [s.pattern, s.start, s.agents])).toEqual([['long', '08:00', 1]]);
    expect(plan.shiftCost).toBe(36);
    expect(plan.understaffedHalfHours).toBe(4);
    expect(plan.understaffingCost).toBe(20);
    expect(plan.objective).toBe(56);
  });

  it('is infeasible under a hard cap without a penalty', async () => {
    const plan = await recommendShifts(parseRequirementsCsv(morning), { ...patterns, headcount: { maxPerDay: 1 } });
    expect(plan.optimal).toBe(false);
    expect(plan.status).toBe('infeasible');
    expect(plan.shifts).toEqual([]);
  });

  it('places an unpaid break and covers the hole', async () => {
    // Need 1 agent 08:00–12:00. long: 4 h with a 30-min unpaid break starting 2 h–2.5 h in,
    // costing 3.5 h × 10 = 35; cover: 1 h at 30/h. Covers only: 4 × 30 = 120; two longs 70;
    // one long + one cover over the break 35 + 30 = 65 (the cover's other half-hour is over).
    const plan = await recommendShifts(
      parseRequirementsCsv(
        csv(
          Array.from({ length: 8 }, (_, i) => [
            `2024-06-03T${String(8 + Math.floor(i / 2)).padStart(2, '0')}:${i % 2 ? '30' : '00'}`,
            1,
          ]),
        ),
      ),
      parsePatterns({
        openingHours: { start: '08:00', end: '12:00' },
        patterns: [
          {
            name: 'long',
            lengthHours: 4,
            costPerHour: 10,
            breaks: [{ durationMinutes: 30, earliestAfterMinutes: 120, latestAfterMinutes: 150 }],
          },
          { name: 'cover', lengthHours: 1, costPerHour: 30 },
        ],
      }),
    );
    expect(plan.objective).toBe(65);
    const long = plan.shifts.find((s) => s.pattern === 'long')!;
    expect(long.costPerAgent).toBe(35);
    expect(['10:00-10:30', '10:30-11:00']).toContain(long.breaks[0]);
    expect(plan.agentsStarted).toBe(2);
    expect(plan.understaffedHalfHours).toBe(0);
    expect(plan.overstaffedHalfHours).toBe(1);
  });

  it('wraps the week: a Sunday-night shift covers Monday morning', async () => {
    // Week Mon 2024-06-03 … Sun 2024-06-09; demand Sun 23:00–24:00 and Mon 00:00–01:00.
    const grid = parseRequirementsCsv(
      csv([
        ['2024-06-03T00:00', 1],
        ['2024-06-03T00:30', 1],
        ['2024-06-09T23:00', 1],
        ['2024-06-09T23:30', 1],
      ]),
    );
    expect(grid.days).toBe(7);
    const plan = await recommendShifts(
      grid,
      parsePatterns({
        patterns: [
          {
            name: 'night',
            lengthHours: 2,
            costPerHour: 10,
            earliestStart: '23:00',
            latestStart: '23:00',
            days: ['sun'],
          },
        ],
      }),
    );
    expect(plan.shifts).toEqual([
      {
        pattern: 'night',
        date: '2024-06-09',
        day: 'sun',
        start: '23:00',
        end: '01:00',
        breaks: [],
        agents: 1,
        costPerAgent: 20,
      },
    ]);
    expect(plan.coverage[0]).toEqual({
      interval_start: '2024-06-03T00:00',
      required: 1,
      scheduled: 1,
      over: 0,
      under: 0,
    });
    expect(plan.understaffedHalfHours).toBe(0);
  });

  it('honours min per pattern and day filters', async () => {
    const plan = await recommendShifts(
      parseRequirementsCsv(morning),
      parsePatterns({
        openingHours: { start: '08:00', end: '12:00' },
        patterns: [
          { name: 'long', lengthHours: 4, costPerHour: 9, days: ['tue'] }, // not on Monday
          { name: 'short', lengthHours: 2, costPerHour: 10, min: 4 },
        ],
      }),
    );
    // Without long: 3 shorts suffice, but min 4 forces a fourth → 80.
    expect(plan.objective).toBe(80);
    expect(plan.shifts.every((s) => s.pattern === 'short')).toBe(true);
    expect(plan.agentsStarted).toBe(4);
  });

  it('expands starts on the half-hour grid inside opening hours', () => {
    const v = expandShifts(parseRequirementsCsv(morning), patterns);
    // long: only 08:00; short: 08:00 … 10:00 → 5 starts.
    expect(v.filter((x) => x.pattern === 0).map((x) => x.start)).toEqual([16]);
    expect(v.filter((x) => x.pattern === 1).map((x) => x.start)).toEqual([16, 17, 18, 19, 20]);
  });

  it('rejects malformed inputs naming the field', () => {
    expect(() => parsePatterns({ patterns: [{ name: 'x', lengthHours: 4.25, costPerHour: 1 }] })).toThrow(
      /patterns\[0\]\.lengthHours/,
    );
    expect(() =>
      parsePatterns({ patterns: [{ name: 'x', lengthHours: 4, costPerHour: 1, days: ['funday'] }] }),
    ).toThrow(/patterns\[0\]\.days\[0\]/);
    expect(() => parseRequirementsCsv('start,required\n')).toThrow(/interval_start/);
    expect(() => parseRequirementsCsv('interval_start,required\n2024-06-03T08:15,1\n')).toThrow(/half-hour/);
    expect(() => parseRequirementsCsv('interval_start,required\n2024-06-03T08:00,1\n2024-06-12T08:00,1\n')).toThrow(
      /7 days/,
    );
  });
});
