// Holiday calendar CSV: `date,name[,multiplier]`. Days sharing a name share one effect (learned
// from history when the name occurs there); a multiplier, if given, overrides (0 = closed).
import type { SpecialDayOptions } from '../candidates.js';

export interface HolidayCalendar {
  /** ISO date → name */
  byDate: Map<string, string>;
  multipliers: Map<string, number>;
}

export function parseHolidaysCsv(text: string): HolidayCalendar {
  const lines = text.split(/\r?\n/).filter((l) => l.trim() !== '' && !l.startsWith('#'));
  const header = (lines.shift() ?? '').split(',').map((h) => h.trim().toLowerCase());
  const di = header.indexOf('date');
  const ni = header.indexOf('name');
  const mi = header.indexOf('multiplier');
  if (di < 0 || ni < 0) throw new Error('holidays file needs columns date,name[,multiplier]');
  const byDate = new Map<string, string>();
  const multipliers = new Map<string, number>();
  for (const line of lines) {
    const cells = line.split(',').map((c) => c.trim());
    const date = cells[di]!;
    if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) throw new Error(`holidays: bad date "${date}"`);
    const name = cells[ni] || 'holiday';
    byDate.set(date, name);
    const m = mi >= 0 ? cells[mi] : undefined;
    if (m !== undefined && m !== '') {
      const v = Number(m);
      if (!Number.isFinite(v) || v < 0) throw new Error(`holidays: bad multiplier "${m}" on ${date}`);
      multipliers.set(name, v);
    }
  }
  return { byDate, multipliers };
}

/** Day codes (1-based per name) for a list of ISO dates covering history and horizon. */
export function specialDaysFor(calendar: HolidayCalendar, isoDates: string[]): SpecialDayOptions & { names: string[] } {
  const names = [...new Set(calendar.byDate.values())].sort();
  const codeOf = new Map(names.map((n, i) => [n, i + 1]));
  const codes = Int32Array.from(
    isoDates.map((d) => {
      const name = calendar.byDate.get(d);
      return name === undefined ? 0 : codeOf.get(name)!;
    }),
  );
  const multipliers = new Map<number, number>();
  for (const [name, v] of calendar.multipliers) multipliers.set(codeOf.get(name)!, v);
  return { codes, multipliers, names };
}
