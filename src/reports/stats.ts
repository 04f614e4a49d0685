// The statistics of the report: confidence intervals for proportions and NPS, week-over-week
// difference tests, count tail probabilities and a multiple-testing correction.
import { erf, gammaln } from 'simple-statistics';

export const Z95 = 1.959963984540054;

/** Two-sided p-value of a standard normal statistic. */
export function twoSidedP(z: number): number {
  // erf, not simple-statistics' 4-digit normal table
  return Math.min(1, Math.max(0, 1 - erf(Math.abs(z) / Math.SQRT2)));
}

/** Wilson score interval (95 %) for k successes in n trials; null when n = 0. */
export function wilson(k: number, n: number, z = Z95): [number, number] | null {
  if (n <= 0) return null;
  const p = k / n;
  const z2 = z * z;
  const centre = (p + z2 / (2 * n)) / (1 + z2 / n);
  const half = (z / (1 + z2 / n)) * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n));
  return [Math.max(0, centre - half), Math.min(1, centre + half)];
}

/** Two-proportion z test (pooled variance): p-value of k1/n1 vs k2/n2; null when it cannot be tested. */
export function twoProportionP(k1: number, n1: number, k2: number, n2: number): number | null {
  if (n1 <= 0 || n2 <= 0) return null;
  const pooled = (k1 + k2) / (n1 + n2);
  const se = Math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2));
  if (se === 0) return 1;
  return twoSidedP((k1 / n1 - k2 / n2) / se);
}

/** NPS (−100…100) and its standard error from the promoter/detractor multinomial variance. */
export function npsWithError(promoters: number, detractors: number, n: number): { value: number; se: number } | null {
  if (n <= 0) return null;
  const p = promoters / n;
  const d = detractors / n;
  const variance = (p + d - (p - d) ** 2) / n;
  return { value: 100 * (p - d), se: 100 * Math.sqrt(variance) };
}

/** Normal-approximation 95 % interval of NPS, clipped to −100…100. */
export function npsInterval(promoters: number, detractors: number, n: number): [number, number] | null {
  const e = npsWithError(promoters, detractors, n);
  if (!e) return null;
  return [Math.max(-100, e.value - Z95 * e.se), Math.min(100, e.value + Z95 * e.se)];
}

/** p-value of the difference of two independent NPS figures (normal approximation). */
export function npsDifferenceP(
  a: { promoters: number; detractors: number; n: number },
  b: { promoters: number; detractors: number; n: number },
): number | null {
  const x = npsWithError(a.promoters, a.detractors, a.n);
  const y = npsWithError(b.promoters, b.detractors, b.n);
  if (!x || !y) return null;
  const se = Math.hypot(x.se, y.se);
  if (se === 0) return x.value === y.value ? 1 : 0;
  return twoSidedP((x.value - y.value) / se);
}

/** log P(X = x) of a negative binomial with mean `mean`, variance mean + alpha·mean² (alpha = 0: Poisson). */
function logPmf(x: number, mean: number, alpha: number): number {
  if (alpha <= 1e-9) return x * Math.log(mean) - mean - gammaln(x + 1);
  const r = 1 / alpha;
  return gammaln(x + r) - gammaln(r) - gammaln(x + 1) + r * Math.log(r / (r + mean)) + x * Math.log(mean / (r + mean));
}

/**
 * P(X ≥ k) under that negative binomial (or Poisson). Above the mean the tail is summed
 * directly (so tiny p-values keep their precision); below it, 1 − P(X < k).
 */
export function upperTail(k: number, mean: number, alpha: number): number {
  if (k <= 0) return 1;
  if (mean <= 0) return 0;
  if (k > mean) {
    let sum = 0;
    for (let x = k; x < k + 100_000; x++) {
      const term = Math.exp(logPmf(x, mean, alpha));
      sum += term;
      if (term < sum * 1e-15) break;
    }
    return Math.min(1, sum);
  }
  let below = 0;
  for (let x = 0; x < k; x++) below += Math.exp(logPmf(x, mean, alpha));
  return Math.min(1, Math.max(0, 1 - below));
}

/** Holm–Bonferroni adjusted p-values, in the input order (null stays null). */
export function holm(pValues: Array<number | null>): Array<number | null> {
  const tested = pValues.map((p, i) => ({ p, i })).filter((x): x is { p: number; i: number } => x.p !== null);
  tested.sort((a, b) => a.p - b.p);
  const out: Array<number | null> = pValues.map(() => null);
  let running = 0;
  tested.forEach(({ p, i }, rank) => {
    running = Math.max(running, Math.min(1, (tested.length - rank) * p));
    out[i] = running;
  });
  return out;
}
