// ISO weeks ("2026-W47"): Monday 00:00 to the next Monday 00:00, cut in a time zone (the
// report uses the queue's time zone with a queue filter, UTC across all queues).
import { localMidnight, localParts, startOfLocalWeek } from '../metrics/tz.js';
import { intervalEnd } from '../metrics/intervals.js';

export interface IsoWeek {
  year: number;
  week: number;
}

const WEEK_RE = /^(\d{4})-W(\d{2})$/;

/** The ISO week-year and week number of a calendar date (UTC arithmetic on y-m-d only). */
export function isoWeekOfDate(year: number, month: number, day: number): IsoWeek {
  const d = new Date(Date.UTC(year, month - 1, day));
  const weekday = (d.getUTCDay() + 6) % 7; // Monday = 0
  d.setUTCDate(d.getUTCDate() - weekday + 3); // the Thursday of this week decides the year
  const weekYear = d.getUTCFullYear();
  const firstThursday = new Date(Date.UTC(weekYear, 0, 4));
  firstThursday.setUTCDate(firstThursday.getUTCDate() - ((firstThursday.getUTCDay() + 6) % 7) + 3);
  return { year: weekYear, week: 1 + Math.round((d.getTime() - firstThursday.getTime()) / (7 * 86_400_000)) };
}

/** Number of ISO weeks in a week-year (52 or 53). */
export function weeksInYear(year: number): number {
  return isoWeekOfDate(year, 12, 28).week;
}

/** Parses "2026-W47"; null when it is not a real ISO week. */
export function parseIsoWeek(text: string): IsoWeek | null {
  const m = WEEK_RE.exec(text.trim());
  if (!m) return null;
  const year = Number(m[1]);
  const week = Number(m[2]);
  if (year < 1970 || year > 9999 || week < 1 || week > weeksInYear(year)) return null;
  return { year, week };
}

export function formatIsoWeek(w: IsoWeek): string {
  return `${w.year}-W${String(w.week).padStart(2, '0')}`;
}

/** Calendar date (y, m, d) of the Monday of an ISO week. */
function mondayOf(w: IsoWeek): { y: number; m: number; d: number } {
  const jan4 = new Date(Date.UTC(w.year, 0, 4));
  const monday = new Date(jan4.getTime() - ((jan4.getUTCDay() + 6) % 7) * 86_400_000 + (w.week - 1) * 7 * 86_400_000);
  return { y: monday.getUTCFullYear(), m: monday.getUTCMonth() + 1, d: monday.getUTCDate() };
}

export interface WeekSpan {
  label: string;
  start: number;
  end: number;
}

/** [Monday 00:00, next Monday 00:00) of the week, local to `tz`, as instants. */
export function weekSpan(w: IsoWeek, tz: string): WeekSpan {
  const { y, m, d } = mondayOf(w);
  const start = localMidnight(y, m, d, tz);
  return { label: formatIsoWeek(w), start, end: intervalEnd(start, '1w', tz) };
}

/** The ISO week holding instant `ms` in `tz`. */
export function weekOf(ms: number, tz: string): IsoWeek {
  const p = localParts(startOfLocalWeek(ms, tz), tz);
  return isoWeekOfDate(p.year, p.month, p.day);
}

/** The week `n` weeks before `w` (n may be negative). */
export function shiftWeek(w: IsoWeek, n: number): IsoWeek {
  const { y, m, d } = mondayOf(w);
  const monday = new Date(Date.UTC(y, m - 1, d - 7 * n));
  return isoWeekOfDate(monday.getUTCFullYear(), monday.getUTCMonth() + 1, monday.getUTCDate());
}

/** `count` consecutive weeks ending with `last`, oldest first. */
export function weeksEndingWith(last: IsoWeek, count: number, tz: string): WeekSpan[] {
  return Array.from({ length: count }, (_, i) => weekSpan(shiftWeek(last, count - 1 - i), tz));
}
