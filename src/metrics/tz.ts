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

export function localParts(ms: number, tz: string): LocalParts {
  const parts: Record<string, number> = {};
  for (const p of formatter(tz).formatToParts(new Date(ms))) if (p.type !== 'literal') parts[p.type] = Number(p.value);
  return {
    year: parts.year!,
    month: parts.month!,
    day: parts.day!,
    hour: parts.hour!,
    minute: parts.minute!,
    second: parts.second!,
  };
}

/** Local time minus UTC, in ms, at instant `ms`. */
export function offsetMs(ms: number, tz: string): number {
  const p = localParts(ms, tz);
  const asUtc = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
  return asUtc - Math.floor(ms / 1000) * 1000;
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
  const p = localParts(ms, tz);
  const off = offsetMs(ms, tz) / 60_000;
  const sign = off < 0 ? '-' : '+';
  const abs = Math.abs(off);
  const two = (n: number) => String(n).padStart(2, '0');
  return `${p.year}-${two(p.month)}-${two(p.day)}T${two(p.hour)}:${two(p.minute)}:${two(p.second)}${sign}${two(Math.floor(abs / 60))}:${two(abs % 60)}`;
}
