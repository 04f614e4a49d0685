// Half-hour grid helpers. Times are wall-clock in the contact centre's own zone; dates are
// handled as UTC calendar dates so no DST or host time zone leaks in.
import { FieldError } from './errors.js';
export const SLOT_MINUTES = 30;
export const SLOTS_PER_DAY = (24 * 60) / SLOT_MINUTES;
export const DAY_NAMES = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;
export type DayName = (typeof DAY_NAMES)[number];

/** "HH:MM" (00:00–24:00, on the half-hour grid) → slot of the day. */
export function parseClock(value: string, what: string): number {
  const m = /^(\d{1,2}):(\d{2})$/.exec(value);
  if (!m) throw new FieldError(what, `expected HH:MM, got "${value}"`);
  const minutes = Number(m[1]) * 60 + Number(m[2]);
  if (Number(m[2]) >= 60 || minutes > 24 * 60) throw new FieldError(what, `not a time of day: "${value}"`);
  if (minutes % SLOT_MINUTES !== 0)
    throw new FieldError(what, `must be on the ${SLOT_MINUTES}-minute grid, got "${value}"`);
  return minutes / SLOT_MINUTES;
}

export function formatClock(slotOfDay: number): string {
  const minutes = (((slotOfDay % SLOTS_PER_DAY) + SLOTS_PER_DAY) % SLOTS_PER_DAY) * SLOT_MINUTES;
  return `${pad(Math.floor(minutes / 60))}:${pad(minutes % 60)}`;
}

/** "YYYY-MM-DDTHH:MM[:SS][Z]" → minutes since the epoch, reading the clock fields literally. */
export function parseLocalDateTime(value: string, what: string): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2}))?(?:\.\d+)?Z?$/.exec(value.trim());
  if (!m) throw new FieldError(what, `expected YYYY-MM-DDTHH:MM, got "${value}"`);
  const ms = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6] ?? 0));
  if (!Number.isFinite(ms)) throw new FieldError(what, `invalid date "${value}"`);
  return ms / 60000;
}

export function formatLocalDateTime(epochMinutes: number): string {
  return new Date(epochMinutes * 60000).toISOString().slice(0, 16);
}

export function formatDate(epochMinutes: number): string {
  return new Date(epochMinutes * 60000).toISOString().slice(0, 10);
}

export function dayNameOf(epochMinutes: number): DayName {
  return DAY_NAMES[new Date(epochMinutes * 60000).getUTCDay()]!;
}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}
