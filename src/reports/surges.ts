// Surging contact reasons. A reason's expected count this week is its share of the other
// reasons' volume over the baseline weeks × the other reasons' volume this week: the week's
// own level (season, holidays, a busy day) carries over through the other reasons, and a surge
// of the reason itself does not inflate its own expectation. The tail probability is negative
// binomial with the overdispersion seen in the baseline (Poisson when there is none), and the
// p-values are Holm-corrected over every reason tested.
import { holm, upperTail } from './stats.js';

export const SURGE_ALPHA = 0.01;
export const BASELINE_WEEKS = 8;
/** Fewer baseline weeks with volume than this: the reason is not tested. */
export const MIN_BASELINE_WEEKS = 3;

export interface ReasonHistory {
  reason: string;
  /** Offered per baseline week, oldest first. */
  baseline: number[];
  /** Offered this week. */
  observed: number;
}

export interface SurgeTest {
  reason: string;
  observed: number;
  expected: number | null;
  /** observed ÷ expected */
  ratio: number | null;
  /** Overdispersion alpha of the negative binomial (variance = μ + alpha·μ²); 0 = Poisson. */
  dispersion: number | null;
  p_value: number | null;
  p_adjusted: number | null;
  surge: boolean;
}

/** Method-of-moments alpha from baseline observed vs expected counts (0 when no excess variance). */
export function estimateDispersion(observed: number[], expected: number[]): number {
  let excess = 0;
  let squares = 0;
  observed.forEach((o, i) => {
    const e = expected[i]!;
    excess += (o - e) ** 2 - e;
    squares += e * e;
  });
  return squares > 0 ? Math.max(0, excess / squares) : 0;
}

/**
 * Tests every reason; reasons found surging are then left out of the other reasons' volume
 * (so one surge does not make every other reason look expected-high), until nothing changes.
 */
export function testSurges(reasons: ReasonHistory[], alpha = SURGE_ALPHA): SurgeTest[] {
  let flagged = new Set<string>();
  for (let pass = 0; pass < 5; pass++) {
    const tests = testOnce(reasons, alpha, flagged);
    const now = new Set(tests.filter((t) => t.surge).map((t) => t.reason));
    if ([...now].every((r) => flagged.has(r)) && now.size === flagged.size) return tests;
    flagged = now;
  }
  return testOnce(reasons, alpha, flagged);
}

function testOnce(reasons: ReasonHistory[], alpha: number, excluded: Set<string>): SurgeTest[] {
  const weeks = reasons[0]?.baseline.length ?? 0;
  const sumOf = (rs: ReasonHistory[]) => ({
    weeks: Array.from({ length: weeks }, (_, w) => rs.reduce((s, r) => s + (r.baseline[w] ?? 0), 0)),
    now: rs.reduce((s, r) => s + r.observed, 0),
  });
  const liveWeeks = sumOf(reasons).weeks.map((t) => t > 0);
  const partial = reasons.map((r) => {
    const rest = sumOf(reasons.filter((o) => o !== r && !excluded.has(o.reason)));
    const others = rest.weeks;
    const own = r.baseline.reduce((s, x, w) => s + (liveWeeks[w] ? x : 0), 0);
    const otherSum = others.reduce((s, x, w) => s + (liveWeeks[w] ? x : 0), 0);
    const othersNow = rest.now;
    const base = {
      reason: r.reason,
      observed: r.observed,
      expected: null,
      ratio: null,
      dispersion: null,
      p_value: null,
      p_adjusted: null,
      surge: false,
    };
    if (liveWeeks.filter(Boolean).length < MIN_BASELINE_WEEKS || otherSum <= 0 || othersNow <= 0) return base;
    // Half a contact of prior keeps a reason new this week testable without an infinite ratio.
    const rate = Math.max(own, 0.5) / otherSum;
    const expectedPast = others.map((o, w) => (liveWeeks[w] ? o * rate : 0));
    const pastObserved = r.baseline.filter((_, w) => liveWeeks[w]);
    const dispersion = estimateDispersion(
      pastObserved,
      expectedPast.filter((_, w) => liveWeeks[w]),
    );
    const expected = othersNow * rate;
    return {
      ...base,
      expected,
      ratio: r.observed / expected,
      dispersion,
      p_value: upperTail(r.observed, expected, dispersion),
    };
  });
  const adjusted = holm(partial.map((t) => t.p_value));
  return partial.map((t, i) => {
    const p = adjusted[i] ?? null;
    return { ...t, p_adjusted: p, surge: p !== null && p < alpha && t.expected !== null && t.observed > t.expected };
  });
}
