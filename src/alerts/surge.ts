// The surge test for one (queue, reason), a pure function of counts.
//
// Expected count of the reason in a window ending now = its odds against the queue's other
// reasons over the baseline weeks × the other reasons' count in the same window (same weekday
// and time) of those weeks × the queue's level today (other reasons over the level window, today
// ÷ the same window of the baseline weeks). Every factor is a count, so the expected value is
// uncertain; the observed count is tested against a negative binomial whose extra variance is
// the relative variance of those counts plus 1/dispersion. A window flags when its tail
// probability is below the Bonferroni-corrected level, it is up by at least min_increase_pct,
// and it holds at least min_count contacts.
import { negativeBinomialTail } from './tail.js';

export interface SurgeCounts {
  /** Contacts of this reason in each window ending now (today). */
  observed: number[];
  /** Contacts of the other reasons in each window, summed over the baseline weeks. */
  otherBase: number[];
  /** Other reasons over the level window: today, and summed over the baseline weeks. */
  levelToday: number;
  levelBase: number;
  /** The reason's and the other reasons' contacts over the whole baseline period (its mix). */
  mixReason: number;
  mixOther: number;
}

export interface SurgeParams {
  windows_min: number[];
  min_increase_pct: number;
  min_count: number;
  dispersion: number;
  clear_increase_pct: number;
}

export interface WindowVerdict {
  window_min: number;
  observed: number;
  expected: number;
  ratio: number | null;
  p_value: number;
  flagged: boolean;
}

export interface SurgeVerdict {
  /** null: not enough data to judge (queue closed or too quiet in the level window). */
  firing: boolean | null;
  /** The clear condition: the shortest window is back under expected × (1 + clear_increase_pct/100). */
  clear: boolean;
  /** The flagged window with the smallest p, or else the window with the smallest p. */
  worst: WindowVerdict | null;
  windows: WindowVerdict[];
}

/** Fewer other-reason contacts than this in the level window (today or baseline): no verdict. */
export const MIN_LEVEL_CONTACTS = 30;

/** How many tests a day one (queue, reason) pair costs: its non-overlapping windows. */
export function testsPerDay(windowsMin: number[]): number {
  return windowsMin.reduce((sum, w) => sum + 1440 / w, 0);
}

export function judgeSurge(c: SurgeCounts, p: SurgeParams, pThreshold: number): SurgeVerdict {
  if (c.levelToday < MIN_LEVEL_CONTACTS || c.levelBase < MIN_LEVEL_CONTACTS || c.mixOther === 0) {
    return { firing: null, clear: true, worst: null, windows: [] };
  }
  const odds = (c.mixReason + 0.5) / c.mixOther;
  const level = c.levelToday / c.levelBase;
  const windows = p.windows_min.map((w, i): WindowVerdict => {
    const observed = c.observed[i] ?? 0;
    const base = (c.otherBase[i] ?? 0) + 0.5;
    const expected = odds * base * level;
    const relVar = 1 / base + 1 / (c.mixReason + 0.5) + 1 / c.levelToday + 1 / c.levelBase + 1 / p.dispersion;
    const pValue = negativeBinomialTail(observed, expected, 1 / relVar);
    const ratio = expected > 0 ? observed / expected : null;
    const flagged =
      pValue < pThreshold && observed >= expected * (1 + p.min_increase_pct / 100) && observed >= p.min_count;
    return { window_min: w, observed, expected, ratio, p_value: pValue, flagged };
  });
  const flagged = windows.filter((w) => w.flagged);
  const byP = (a: WindowVerdict, b: WindowVerdict) => a.p_value - b.p_value;
  const worst = (flagged.length > 0 ? flagged : windows).slice().sort(byP)[0] ?? null;
  const shortest = windows.reduce((a, b) => (b.window_min < a.window_min ? b : a));
  return {
    firing: flagged.length > 0,
    clear: shortest.observed < shortest.expected * (1 + p.clear_increase_pct / 100) || shortest.observed < p.min_count,
    worst,
    windows,
  };
}
