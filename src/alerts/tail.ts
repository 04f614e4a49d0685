// Tails of the count distributions the surge and forecast-deviation tests use.
import jstat from 'jstat';

const { jStat } = jstat;

/** P(X ≥ x) for X ~ Poisson(mean). */
export function poissonTail(x: number, mean: number): number {
  if (x <= 0) return 1;
  if (mean <= 0) return 0;
  return jStat.lowRegGamma(x, mean);
}

/**
 * P(X ≥ x) for X negative binomial with this mean and size k (variance mean + mean²/k): a
 * Poisson whose mean is itself uncertain (gamma). Large k tends to the Poisson.
 */
export function negativeBinomialTail(x: number, mean: number, size: number): number {
  if (x <= 0) return 1;
  if (mean <= 0) return 0;
  if (!Number.isFinite(size) || size > 1e8) return poissonTail(x, mean);
  // Failures before the size-th success, success probability size / (size + mean):
  // P(X ≥ x) = I_{mean / (mean + size)}(x, size).
  return jStat.ibeta(mean / (mean + size), x, size);
}

/** P(X ≤ x) for X negative binomial with this mean and size (the lower tail). */
export function negativeBinomialLowerTail(x: number, mean: number, size: number): number {
  if (x < 0) return 0;
  return 1 - negativeBinomialTail(Math.floor(x) + 1, mean, size);
}
