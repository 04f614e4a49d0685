// Reporting intervals cut in the queue's time zone. Every figure is counted per local
// half-hour (by the instant the contact was queued); longer intervals are sums of half-hours.
import { nextLocalDay, startOfLocalDay, startOfLocalSlot, startOfLocalWeek } from './tz.js';

export const INTERVALS = ['30m', '1h', '1d', '1w'] as const;
export type Interval = (typeof INTERVALS)[number];

export const HALF_HOUR_MS = 1_800_000;

/** Start of the interval holding instant `ms`. */
export function intervalStart(ms: number, interval: Interval, tz: string): number {
  switch (interval) {
    case '30m':
      return startOfLocalSlot(ms, tz, HALF_HOUR_MS);
    case '1h':
      return startOfLocalSlot(ms, tz, 2 * HALF_HOUR_MS);
    case '1d':
      return startOfLocalDay(ms, tz);
    case '1w':
      return startOfLocalWeek(ms, tz);
  }
}

/** Start of the interval after the one starting at `start`. */
export function intervalEnd(start: number, interval: Interval, tz: string): number {
  switch (interval) {
    case '30m':
      return start + HALF_HOUR_MS; // local half-hours are 30 real minutes, DST or not
    case '1h':
      return start + 2 * HALF_HOUR_MS;
    case '1d':
      return nextLocalDay(start, tz);
    case '1w': {
      let t = start;
      for (let i = 0; i < 7; i++) t = nextLocalDay(t, tz);
      return t;
    }
  }
}

/** Every interval overlapping [from, to), the first aligned down to its start. */
export function enumerate(
  from: number,
  to: number,
  interval: Interval,
  tz: string,
): Array<{ start: number; end: number }> {
  const out: Array<{ start: number; end: number }> = [];
  for (let start = intervalStart(from, interval, tz); start < to;) {
    const end = intervalEnd(start, interval, tz);
    out.push({ start, end });
    start = end;
  }
  return out;
}
