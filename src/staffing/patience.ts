// Patience per queue from its own history. With exponential patience, every waiting contact
// is exposed to abandonment for as long as it waits: abandoned contacts give a full patience
// observation, answered ones a censored one (patience > wait). The maximum-likelihood rate is
//   θ̂ = abandons ÷ total time spent waiting (answered and abandoned alike),
// and the mean patience is 1/θ̂ (Mandelbaum & Zeltyn's estimator for Erlang A).
import type { StaffingModel } from './types.js';

export interface AbandonHistory {
  /** Contacts that abandoned while queued. */
  abandons: number;
  /** Sum of waiting time over all queued contacts (answered and abandoned), seconds. */
  totalWaitSeconds: number;
}

export interface PatienceEstimate {
  /** Abandonment rate θ per second, or null when none was observed. */
  theta: number | null;
  /** Mean patience 1/θ in seconds, or null when none was observed. */
  patienceSeconds: number | null;
  /** Erlang A where abandonment is observed, Erlang C otherwise. */
  model: StaffingModel;
  abandons: number;
  totalWaitSeconds: number;
}

export interface PatienceOptions {
  /** Fewer abandons than this is treated as "not observed" (too noisy); default 1. */
  minAbandons?: number;
}

/** Estimate θ and patience from summed history (e.g. from the half-hour aggregates). */
export function estimatePatience(history: AbandonHistory, options: PatienceOptions = {}): PatienceEstimate {
  const { abandons, totalWaitSeconds } = history;
  if (!(abandons >= 0) || !(totalWaitSeconds >= 0)) {
    throw new RangeError('abandons and totalWaitSeconds must be ≥ 0');
  }
  const minAbandons = options.minAbandons ?? 1;
  if (abandons < minAbandons || abandons === 0 || totalWaitSeconds === 0) {
    return { theta: null, patienceSeconds: null, model: 'erlang-c', abandons, totalWaitSeconds };
  }
  const theta = abandons / totalWaitSeconds;
  return { theta, patienceSeconds: 1 / theta, model: 'erlang-a', abandons, totalWaitSeconds };
}

/** Same estimate from per-interval columns (abandons and summed wait seconds per interval). */
export function estimatePatienceFromIntervals(
  abandons: ArrayLike<number>,
  waitSeconds: ArrayLike<number>,
  options: PatienceOptions = {},
): PatienceEstimate {
  if (abandons.length !== waitSeconds.length) throw new RangeError('abandons and waitSeconds differ in length');
  let a = 0;
  let w = 0;
  for (let i = 0; i < abandons.length; i++) {
    a += abandons[i]!;
    w += waitSeconds[i]!;
  }
  return estimatePatience({ abandons: a, totalWaitSeconds: w }, options);
}

/** Same estimate from individual contacts: each one's wait and whether it abandoned. */
export function estimatePatienceFromContacts(
  contacts: ReadonlyArray<{ waitSeconds: number; abandoned: boolean }>,
  options: PatienceOptions = {},
): PatienceEstimate {
  let a = 0;
  let w = 0;
  for (const c of contacts) {
    if (c.abandoned) a++;
    w += c.waitSeconds;
  }
  return estimatePatience({ abandons: a, totalWaitSeconds: w }, options);
}
