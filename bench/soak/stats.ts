// Small summaries for the soak report.
import { linearRegression, quantileSorted } from 'simple-statistics';

export const round = (x: number, digits = 1) =>
  Number.isFinite(x) ? Math.round(x * 10 ** digits) / 10 ** digits : null;

export function latencySummary(values: number[]) {
  if (values.length === 0) return { count: 0, p50Ms: null, p95Ms: null, p99Ms: null, maxMs: null };
  const sorted = [...values].sort((a, b) => a - b);
  return {
    count: sorted.length,
    p50Ms: round(quantileSorted(sorted, 0.5)),
    p95Ms: round(quantileSorted(sorted, 0.95)),
    p99Ms: round(quantileSorted(sorted, 0.99)),
    maxMs: round(sorted[sorted.length - 1]!),
  };
}

/** Least-squares slope of y per unit of x over the points whose x is in the second half of the range. */
export function secondHalfSlope(points: [number, number][]): number | null {
  if (points.length < 4) return null;
  const first = points[0]![0];
  const last = points[points.length - 1]![0];
  const half = points.filter(([x]) => x >= first + (last - first) / 2);
  if (half.length < 2) return null;
  return linearRegression(half).m;
}

/** At most `max` evenly spaced samples, the last one included. */
export function downsample<T>(items: T[], max: number): T[] {
  if (items.length <= max) return items;
  const step = items.length / max;
  const out: T[] = [];
  for (let i = 0; i < max - 1; i++) out.push(items[Math.floor(i * step)]!);
  out.push(items[items.length - 1]!);
  return out;
}
