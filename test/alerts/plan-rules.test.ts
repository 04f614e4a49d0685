// The planner's-loop alert rules as pure functions, worked by hand: the forecast-deviation test
// (negative-binomial tails checked against exact sums of the probability mass function), the
// day-so-far counts, and each rule through the episode tracker: opens, holds, resolves, one episode.
import { describe, expect, it } from 'vitest';
import { judgeDeviation, soFar } from '../../src/alerts/deviation.js';
import { EpisodeTracker, type Condition } from '../../src/alerts/episodes.js';
import { planConditions, type PlanFigures } from '../../src/alerts/plan-conditions.js';
import { DEFAULT_RULES } from '../../src/alerts/rules.js';
import { negativeBinomialLowerTail, negativeBinomialTail } from '../../src/alerts/tail.js';
import type { StaffingGap } from '../../src/metrics/staffing-gap.js';

const T0 = Date.parse('2026-11-02T11:00:00Z');
const MIN = 60_000;
const params = DEFAULT_RULES.forecast_deviation;

describe('forecast deviation test', () => {
  it('tails equal exact sums of the pmf (Σ by hand in double precision)', () => {
    // Poisson(20): P(X ≥ 40) = 1 − Σ_{i<40} e^−20 20^i / i! = 5.3202e-5.
    expect(negativeBinomialTail(40, 20, Infinity)).toBeCloseTo(5.3202025e-5, 10);
    // NB(mean 48, size 200): P(X ≥ 90) = 1.21872e-6, P(X ≥ 65) = 0.0206238, P(X ≤ 20) = 2.23457e-5,
    // P(X ≤ 33) = 0.0240693.
    expect(negativeBinomialTail(90, 48, 200)).toBeCloseTo(1.2187223e-6, 11);
    expect(negativeBinomialTail(65, 48, 200)).toBeCloseTo(0.0206238, 6);
    expect(negativeBinomialLowerTail(20, 48, 200)).toBeCloseTo(2.2345674e-5, 10);
    expect(negativeBinomialLowerTail(33, 48, 200)).toBeCloseTo(0.0240693, 6);
  });

  it('fires on the side the count fell, holds between the two levels, clears above clear_p_value', () => {
    const above = judgeDeviation(90, 48, params);
    expect([above.direction, above.firing, above.clear]).toEqual(['above', true, false]);
    expect(above.ratio).toBe(1.875);
    const below = judgeDeviation(20, 48, params);
    expect([below.direction, below.firing, below.clear]).toEqual(['below', true, false]);
    // 65 against 48: p = 0.0206, between 0.001 and 0.05: neither fires nor clears.
    const between = judgeDeviation(65, 48, params);
    expect([between.firing, between.clear]).toEqual([false, false]);
    // 60 against 48: p = 0.0726 ≥ 0.05: clear.
    expect(judgeDeviation(60, 48, params).clear).toBe(true);
    // Less than 30 contacts forecast so far: no verdict, however far off.
    expect(judgeDeviation(80, 29.9, params)).toMatchObject({ firing: null, clear: true });
  });

  it('counts the day so far: whole completed half-hours, the one in progress pro rata, none without a forecast', () => {
    const h = (t: string, offered: number, forecast: number | null) => ({
      start: `2026-11-02T${t}:00.000Z`,
      offered,
      forecast_offered: forecast,
    });
    const day = [h('08:30', 7, null), h('10:00', 20, 12), h('10:30', 25, 12), h('11:00', 4, 12), h('11:30', 0, 12)];
    // At 11:10: 20 + 25 + 4 = 49 observed; 12 + 12 + 12 × 10/30 = 28 forecast.
    expect(soFar(day, T0 + 10 * MIN)).toEqual({ observed: 49, expected: 28 });
  });
});

/** Steps a tracker through conditions from a figure per minute; the episodes opened and resolved. */
function run(figures: Array<Partial<PlanFigures>>, queue = 'q') {
  const tracker = new EpisodeTracker();
  const log: string[] = [];
  const ids = new Set<string>();
  figures.forEach((f, i) => {
    const conditions: Condition[] = planConditions({
      queue,
      rules: DEFAULT_RULES,
      deviation: null,
      gap: null,
      adherence: null,
      ...f,
    });
    const step = tracker.step(T0 + i * MIN, conditions, DEFAULT_RULES.clear_after);
    for (const e of step.opened) log.push(`${i} opened ${e.rule}${e.subject ? `:${e.subject}` : ''}`);
    for (const e of step.resolved) log.push(`${i} resolved ${e.rule}${e.subject ? `:${e.subject}` : ''}`);
    for (const e of [...step.opened, ...step.resolved]) ids.add(e.id);
  });
  return { log, episodes: ids.size };
}

const gap = (required: number, loggedIn: number): StaffingGap => ({
  interval_start: '2026-11-02T11:00:00.000Z',
  forecast_volume: 12,
  reforecast_volume: 17.25,
  volume_factor: 1.4375,
  agents_required: required,
  agents_logged_in: loggedIn,
  agents_available: loggedIn,
  gap: loggedIn - required,
  projected_service_level: null,
  sl_target: 0.8,
});

describe('the three rules through the episode tracker', () => {
  it('forecast deviation: opens at p < 0.001, holds at p = 0.021, resolves after 3 evaluations at p ≥ 0.05', () => {
    const d = (observed: number) => ({ deviation: judgeDeviation(observed, 48, params) });
    expect(run([d(90), d(65), d(60), d(60), d(60)])).toEqual({
      log: ['0 opened forecast_deviation:above', '4 resolved forecast_deviation:above'],
      episodes: 1,
    });
  });

  it('staffing gap: short by ≥ 2 for 3 evaluations opens; short by 1 holds; ≤ 0 three times resolves', () => {
    // Short by 4, 3, 3 → opens at the third; 1 → hold (resets nothing, clears nothing); 0, −2, 0 → resolves.
    const g = (loggedIn: number) => ({ gap: gap(5, loggedIn) });
    expect(run([g(1), g(2), g(2), g(4), g(5), g(7), g(5)])).toEqual({
      log: ['2 opened staffing_gap', '6 resolved staffing_gap'],
      episodes: 1,
    });
    // Two evaluations short, one not, two short again: never 3 in a row, no episode.
    expect(run([g(2), g(2), g(4), g(2), g(2)])).toEqual({ log: [], episodes: 0 });
  });

  it('team adherence: below 85 % opens; 88.3 % holds; ≥ 90 % three times resolves; too few minutes judge nothing', () => {
    const a = (inAdh: number, scheduled = 60) => ({
      adherence: { window_min: 30, scheduled_min: scheduled, in_adherence_min: inAdh, agents: 2 },
    });
    // 40/60 = 0.667, 53/60 = 0.883 (hold), 54/60 = 0.9, 55/60, 56/60 (clear ×3).
    expect(run([a(40), a(39), a(53), a(54), a(55), a(56)])).toEqual({
      log: ['0 opened team_adherence', '5 resolved team_adherence'],
      episodes: 1,
    });
    // 10 of 29 scheduled minutes: under min_scheduled_min (30), no verdict.
    expect(run([a(10, 29)])).toEqual({ log: [], episodes: 0 });
  });
});
