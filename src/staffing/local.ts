// Local days of a queue: the half-hours of its calendar days in its IANA time zone, each with its
// wall-clock slot (0 … 47), and the queue's opening hours applied to them. A DST spring-forward
// day has 46 half-hours (two wall-clock slots never happen), a fall-back day 50 (two wall-clock
// slots happen twice). Models and the shift solver work on a wall-clock grid of 48 slots per
// day; these functions map between that grid and the real (UTC) half-hours.
import { localMidnight, localParts, nextLocalDay, offsetMs, startOfLocalDay } from '../metrics/tz.js';

export const SLOT_MS = 1_800_000;
export const SLOTS_PER_DAY = 48;
export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

/** Local opening hours per weekday (queue settings): [["08:00", "20:00"]]; null = closed; absent = open all day. */
export type OpeningHours = Partial<Record<Weekday, [string, string][] | null | undefined>>;

export interface LocalGrid {
  tz: string;
  /** Local midnight starting the first day (instant). */
  startMs: number;
  /** Local midnight after the last day (instant). */
  endMs: number;
  days: number;
  /** UTC start of every real half-hour in [startMs, endMs), in time order. */
  utc: Float64Array;
  /** Wall-clock grid index (day × 48 + slot of day) of each real half-hour. */
  index: Int32Array;
  /** Monday = 0 … Sunday = 6, per local day. */
  weekday: Int8Array;
  /** YYYY-MM-DD of each local day. */
  dates: string[];
}

const two = (n: number) => String(n).padStart(2, '0');

/** The calendar date (YYYY-MM-DD) of instant `ms` in `tz`. */
export function localDate(ms: number, tz: string): string {
  const p = localParts(ms, tz);
  return `${p.year}-${two(p.month)}-${two(p.day)}`;
}

/** Local midnight starting the date "YYYY-MM-DD" in `tz`. */
export function midnightOf(date: string, tz: string): number {
  const [y, m, d] = date.split('-').map(Number);
  return localMidnight(y!, m!, d!, tz);
}

/** Local midnight starting the day that holds `ms`. */
export { startOfLocalDay, nextLocalDay };

/** The local days [first day holding startMs's midnight, `days` days on) as real half-hours on the wall-clock grid. */
export function localGrid(startMs: number, days: number, tz: string): LocalGrid {
  const start = startOfLocalDay(startMs, tz);
  const utc: number[] = [];
  const index: number[] = [];
  const weekday = new Int8Array(days);
  const dates: string[] = [];
  let dayStart = start;
  for (let d = 0; d < days; d++) {
    const next = nextLocalDay(dayStart, tz);
    const p = localParts(dayStart + 12 * 3_600_000, tz);
    weekday[d] = (new Date(Date.UTC(p.year, p.month - 1, p.day)).getUTCDay() + 6) % 7;
    dates.push(`${p.year}-${two(p.month)}-${two(p.day)}`);
    const off0 = offsetMs(dayStart, tz);
    const uniform = offsetMs(next - 1, tz) === off0 && next - dayStart === 86_400_000;
    for (let t = dayStart; t < next; t += SLOT_MS) {
      utc.push(t);
      // wall-clock minutes since local midnight → slot of day; 24:00+ cannot happen within the day
      const wall = uniform ? t - dayStart : t + offsetMs(t, tz) - (dayStart + off0);
      index.push(d * SLOTS_PER_DAY + Math.min(SLOTS_PER_DAY - 1, Math.max(0, Math.floor(wall / SLOT_MS))));
    }
    dayStart = next;
  }
  return {
    tz,
    startMs: start,
    endMs: dayStart,
    days,
    utc: Float64Array.from(utc),
    index: Int32Array.from(index),
    weekday,
    dates,
  };
}

function clock(text: string): number {
  const [h, m] = text.split(':').map(Number);
  return (h! * 60 + m!) / 30;
}

/** Open (1) or closed (0) per wall-clock slot of each weekday: 7 × 48. Absent days are open all day. */
export function openSlots(hours: OpeningHours | undefined | null): Uint8Array {
  const out = new Uint8Array(7 * SLOTS_PER_DAY).fill(1);
  if (!hours) return out;
  WEEKDAYS.forEach((day, wd) => {
    if (!Object.hasOwn(hours, day) || hours[day] === undefined) return;
    const ranges = hours[day];
    out.fill(0, wd * SLOTS_PER_DAY, (wd + 1) * SLOTS_PER_DAY);
    for (const [from, to] of ranges ?? []) {
      // a half-hour is open when it starts inside [from, to); partial half-hours round outward
      const a = Math.floor(clock(from));
      const b = Math.ceil(clock(to));
      out.fill(1, wd * SLOTS_PER_DAY + a, wd * SLOTS_PER_DAY + Math.min(SLOTS_PER_DAY, b));
    }
  });
  return out;
}

/** Per real half-hour of the grid: 1 when the queue is open then. */
export function openMask(grid: LocalGrid, hours: OpeningHours | undefined | null): Uint8Array {
  const open = openSlots(hours);
  return Uint8Array.from(grid.index, (ix) => {
    const d = Math.floor(ix / SLOTS_PER_DAY);
    return open[grid.weekday[d]! * SLOTS_PER_DAY + (ix % SLOTS_PER_DAY)]!;
  });
}

/** Whether the queue is open in the half-hour starting at `ms`. */
export function isOpenAt(ms: number, tz: string, hours: OpeningHours | undefined | null): boolean {
  const g = localGrid(ms, 1, tz);
  const i = g.utc.indexOf(Math.floor(ms / SLOT_MS) * SLOT_MS);
  return i < 0 ? true : openMask(g, hours)[i] === 1;
}
