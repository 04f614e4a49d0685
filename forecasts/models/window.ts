// Training windows: recent whole weeks only, so fits stay fast and the weekly phase stays put.
import type { SeriesShape } from './types.js';
import { weekLength } from './types.js';

/**
 * Index where a training window of about `weeks` weeks starts. Always a multiple of the week
 * length, so position t in the window has the same weekday/slot as in the full history.
 */
export function windowStart(n: number, shape: SeriesShape, weeks: number): number {
  const p = weekLength(shape);
  const start = n - weeks * p;
  return start <= 0 ? 0 : Math.floor(start / p) * p;
}
