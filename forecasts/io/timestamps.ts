// Wall-clock timestamps as written in the input (no time-zone arithmetic: a half-hour grid in
// local time stays a half-hour grid). Parsed to "wall milliseconds" (UTC fields = wall fields)
// and written back in the input's own style (separator, seconds, offset suffix).

export interface TimestampStyle {
  separator: 'T' | ' ';
  seconds: boolean;
  suffix: string;
}

const PATTERN = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$/;

export function parseTimestamp(text: string): { wall: number; style: TimestampStyle } {
  const m = PATTERN.exec(text.trim());
  if (!m) throw new Error(`unreadable timestamp "${text}" (expected ISO-8601 like 1999-01-01T07:30:00)`);
  const [, y, mo, d, h, mi, s, suffix] = m;
  const wall = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s ?? 0));
  return {
    wall,
    style: { separator: text.trim()[10] === ' ' ? ' ' : 'T', seconds: s !== undefined, suffix: suffix ?? '' },
  };
}

const pad = (v: number): string => String(v).padStart(2, '0');

export function formatTimestamp(wall: number, style: TimestampStyle): string {
  const d = new Date(wall);
  const date = `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
  const time = `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}${style.seconds ? `:${pad(d.getUTCSeconds())}` : ''}`;
  return `${date}${style.separator}${time}${style.suffix}`;
}

export const DAY_MS = 86_400_000;
export const dayOf = (wall: number): number => Math.floor(wall / DAY_MS);
export const isoDate = (day: number): string => new Date(day * DAY_MS).toISOString().slice(0, 10);
