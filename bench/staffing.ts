// bench:staffing — prints JSON figures (not a test):
//  1. requirements for 1,000 queues × 6 weeks × 48 half-hours (Erlang C, plus an Erlang A run);
//  2. one queue's week of shift recommendation with ~100 shift patterns × 7 days (HiGHS).
import { computeRequirementColumns, StaffingCache, type QueueSettings } from '../src/staffing/requirements.js';
import { recommendShifts } from '../src/staffing/schedule/solve.js';
import type { PatternsConfig, RequirementGrid, ShiftPattern } from '../src/staffing/schedule/types.js';

const QUEUES = 1000;
const INTERVALS = 6 * 7 * 48;

// Deterministic pseudo-random numbers so runs compare.
let seed = 42;
const rand = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;

function forecastFor(q: number) {
  const peak = 5 + rand() * 195; // calls per half-hour at the daily peak
  const baseAht = Math.round(150 + rand() * 450);
  const volume = new Float64Array(INTERVALS);
  const aht = new Float64Array(INTERVALS);
  const intervalStart = new Float64Array(INTERVALS);
  for (let i = 0; i < INTERVALS; i++) {
    const slot = i % 48;
    const day = Math.floor(i / 48) % 7;
    const hour = slot / 2;
    const open = hour >= 7 && hour < 22;
    const shape = Math.exp(-((hour - 11) ** 2) / 6) + 0.7 * Math.exp(-((hour - 16) ** 2) / 8);
    const week = day >= 5 ? 0.55 : 1;
    // Forecasts stored to one decimal, AHT in whole seconds.
    volume[i] = open ? Math.round(peak * shape * week * (0.9 + 0.2 * rand()) * 10) / 10 : 0;
    aht[i] = Math.round(baseAht * (0.95 + 0.1 * rand()));
    intervalStart[i] = 1_717_372_800_000 + i * 1_800_000 + q * 0;
  }
  return { intervalStart, volume, aht };
}

function runRequirements(settings: QueueSettings, queues: number, sharedCache: boolean) {
  seed = 42;
  const forecasts = Array.from({ length: queues }, (_, q) => forecastFor(q));
  const cache = sharedCache ? new StaffingCache() : undefined;
  const t0 = performance.now();
  let agentHalfHours = 0;
  let unmet = 0;
  for (const f of forecasts) {
    const r = computeRequirementColumns(f, settings, cache ? { cache } : {});
    for (let i = 0; i < r.required.length; i++) agentHalfHours += r.required[i]!;
    for (let i = 0; i < r.met.length; i++) unmet += 1 - r.met[i]!;
  }
  const seconds = (performance.now() - t0) / 1000;
  return {
    queues,
    intervals: queues * INTERVALS,
    seconds: round(seconds),
    intervalsPerSecond: Math.round((queues * INTERVALS) / seconds),
    agentHalfHours,
    unmet,
  };
}

function weekGrid(): RequirementGrid {
  const required = new Int32Array(7 * 48);
  for (let t = 0; t < required.length; t++) {
    const hour = (t % 48) / 2;
    const day = Math.floor(t / 48);
    if (hour < 7 || hour >= 22) continue;
    const shape = 0.3 + Math.exp(-((hour - 11) ** 2) / 6) + 0.7 * Math.exp(-((hour - 16) ** 2) / 8);
    required[t] = Math.max(1, Math.round(25 * shape * (day >= 5 ? 0.6 : 1)));
  }
  // 2024-06-03 is a Monday.
  return { originMinutes: Date.UTC(2024, 5, 3) / 60000, days: 7, required };
}

function weekPatterns(): PatternsConfig {
  // Every start on the grid inside 07:00–22:00 is its own pattern: 4/6/8/10-hour shifts
  // (23+19+15+11 = 68), 5-hour part-time (21, at most 6 each per day) and the first 11 starts of
  // a 7-hour shift → 100 patterns, each allowed on all 7 days.
  const patterns: ShiftPattern[] = [];
  const kinds: Array<[number, number, ShiftPattern['breaks'], number | undefined]> = [
    [4, 22, [], undefined],
    [6, 21, [{ durationMinutes: 30, earliestAfterMinutes: 150, latestAfterMinutes: 210 }], undefined],
    [8, 20, [{ durationMinutes: 30, earliestAfterMinutes: 180, latestAfterMinutes: 300 }], undefined],
    [10, 19, [{ durationMinutes: 60, earliestAfterMinutes: 240, latestAfterMinutes: 360 }], undefined],
    [5, 23, [], 6],
    [7, 20.5, [{ durationMinutes: 30, earliestAfterMinutes: 180, latestAfterMinutes: 240 }], undefined],
  ];
  for (const [len, cost, breaks, max] of kinds) {
    for (let s = 14; s + len * 2 <= 44 && patterns.length < 100; s++) {
      const start = `${String(Math.floor(s / 2)).padStart(2, '0')}:${s % 2 ? '30' : '00'}`;
      patterns.push({
        name: `${len}h-${start}`,
        lengthHours: len,
        costPerHour: cost,
        earliestStart: start,
        latestStart: start,
        breaks: breaks ?? [],
        ...(max ? { max } : {}),
      });
    }
  }
  return { openingHours: { start: '07:00', end: '22:00' }, patterns, timeLimitSeconds: 30, mipRelGap: 0.01 };
}

function round(v: number): number {
  return Math.round(v * 1000) / 1000;
}

const settingsC: QueueSettings = { serviceLevel: 0.8, threshold: 20, maxOccupancy: 0.88, shrinkage: 0.3 };
const settingsA: QueueSettings = { ...settingsC, patience: 120 };

const requirementsErlangC = runRequirements(settingsC, QUEUES, false);
const requirementsErlangCCached = runRequirements(settingsC, QUEUES, true);
const requirementsErlangA = runRequirements(settingsA, QUEUES, true);

const patterns = weekPatterns();
const t0 = performance.now();
const plan = await recommendShifts(weekGrid(), patterns);
const scheduleWall = (performance.now() - t0) / 1000;

process.stdout.write(
  JSON.stringify(
    {
      requirements: {
        target: '< 5 s for 1,000 queues × 6 weeks × 48 half-hours',
        erlangC: requirementsErlangC,
        erlangC_sharedCache: requirementsErlangCCached,
        erlangA_sharedCache: requirementsErlangA,
      },
      schedule: {
        target: '< 10 s, optimal or gap ≤ 1%',
        patterns: patterns.patterns.length,
        days: 7,
        variables: plan.variables,
        constraints: plan.constraints,
        status: plan.status,
        optimal: plan.optimal,
        gap: plan.gap,
        wallSeconds: round(scheduleWall),
        solveSeconds: round(plan.solveSeconds),
        cost: plan.shiftCost,
        agentsStarted: plan.agentsStarted,
        overstaffedHalfHours: plan.overstaffedHalfHours,
        understaffedHalfHours: plan.understaffedHalfHours,
      },
    },
    null,
    2,
  ) + '\n',
);
