// Wall-clock arithmetic in a queue's IANA time zone, on instants (epoch ms). Intervals are
// identified by the instant they start, so the repeated hour of a DST fall-back day is two
// distinct half-hour pairs and a DST day has 46 or 50 half-hours.

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(tz: string): Intl.DateTimeFormat {
  let f = formatters.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat('en-GB', {
      timeZone: tz,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(tz, f);
  }
  return f;
}

/** True when `tz` is an IANA zone this runtime knows. */
export function isTimeZone(tz: string): boolean {
  try {
    formatter(tz);
    return true;
  } catch {
    return false;
  }
}

export interface LocalParts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

/** Local wall-clock parts at instant `ms`. */
export function localParts(ms: number, tz: string): LocalParts {
  const d = new Date(ms + offsetMs(ms, tz));
  return {
    year: d.getUTCFullYear(),
    month: d.getUTCMonth() + 1,
    day: d.getUTCDate(),
    hour: d.getUTCHours(),
    minute: d.getUTCMinutes(),
    second: d.getUTCSeconds(),
  };
}

/** Local time minus UTC at `ms`, asked of Intl (slow: microseconds per call). */
function intlOffsetMs(ms: number, tz: string): number {
  const parts: Record<string, number> = {};
  for (const p of formatter(tz).formatToParts(new Date(ms))) if (p.type !== 'literal') parts[p.type] = Number(p.value);
  const asUtc = Date.UTC(parts.year!, parts.month! - 1, parts.day!, parts.hour!, parts.minute!, parts.second!);
  return asUtc - Math.floor(ms / 1000) * 1000;
}

// A zone's offset changes at most once in any six hours, so a block whose two ends have the same
// offset has it throughout: one Intl pair per block instead of one call per half-hour (a six-week
// 30-minute answer asks ~6,000 times). Blocks holding a change are asked of Intl each time.
const BLOCK_MS = 6 * 3_600_000;
const MAX_BLOCKS = 200_000;
const blocks = new Map<string, Map<number, number>>();

/** Local time minus UTC, in ms, at instant `ms`. */
export function offsetMs(ms: number, tz: string): number {
  let known = blocks.get(tz);
  if (!known) blocks.set(tz, (known = new Map()));
  const block = Math.floor(ms / BLOCK_MS);
  let off = known.get(block);
  if (off === undefined) {
    const start = intlOffsetMs(block * BLOCK_MS, tz);
    off = start === intlOffsetMs((block + 1) * BLOCK_MS, tz) ? start : NaN;
    if (known.size >= MAX_BLOCKS) known.clear();
    known.set(block, off);
  }
  return Number.isNaN(off) ? intlOffsetMs(ms, tz) : off;
}

/** The instant of local midnight starting the calendar day y-m-d (1-based month). */
export function localMidnight(year: number, month: number, day: number, tz: string): number {
  const guess = Date.UTC(year, month - 1, day);
  // Two passes settle the offset even when midnight sits next to a DST change.
  let t = guess - offsetMs(guess, tz);
  t = guess - offsetMs(t, tz);
  return t;
}

export function startOfLocalDay(ms: number, tz: string): number {
  const p = localParts(ms, tz);
  return localMidnight(p.year, p.month, p.day, tz);
}

export function nextLocalDay(dayStart: number, tz: string): number {
  const p = localParts(dayStart + 36 * 3_600_000, tz); // well inside the next day, whatever DST does
  return localMidnight(p.year, p.month, p.day, tz);
}

/** Monday 00:00 local of the week holding `ms`. */
export function startOfLocalWeek(ms: number, tz: string): number {
  const p = localParts(ms, tz);
  const weekday = (new Date(Date.UTC(p.year, p.month - 1, p.day)).getUTCDay() + 6) % 7; // Monday = 0
  const d = new Date(Date.UTC(p.year, p.month - 1, p.day - weekday));
  return localMidnight(d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate(), tz);
}

/** Start of the local half-hour (or hour) holding `ms`: local wall clock floored, as an instant. */
export function startOfLocalSlot(ms: number, tz: string, slotMs: number): number {
  const off = offsetMs(ms, tz);
  return Math.floor((ms + off) / slotMs) * slotMs - off;
}

/** "2026-03-29T01:30:00+01:00": the instant written in local time with its offset. */
export function localIso(ms: number, tz: string): string {
  const off = offsetMs(ms, tz);
  // Local wall clock = UTC clock of the shifted instant; seconds floored as the formatter does.
  const local = new Date(Math.floor(ms / 1000) * 1000 + off).toISOString().slice(0, 19);
  const minutes = Math.abs(off) / 60_000;
  const two = (n: number) => (n < 10 ? `0${n}` : String(n));
  return `${local}${off < 0 ? '-' : '+'}${two(Math.floor(minutes / 60))}:${two(minutes % 60)}`;
}
