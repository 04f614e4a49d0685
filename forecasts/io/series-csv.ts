// Reads `ts,volume` (one row per interval, time order; may hold only open hours) into a series
// that starts at slot 0 of a day, and continues its calendar into the future.
import { DAY_MS, dayOf, formatTimestamp, parseTimestamp, type TimestampStyle } from './timestamps.js';

export interface SeriesCalendar {
  season: number;
  week: number;
  /** interval length in ms (most common gap between rows) */
  step: number;
  /** wall-clock offset of each slot from midnight */
  slotTimes: number[];
  /** weekdays (0 = Sunday) present in the input; days that are absent are skipped going forward */
  openWeekdays: Set<number>;
  style: TimestampStyle;
}

export interface Series {
  /** values from slot 0 of the first whole day */
  y: Float64Array;
  /** a value column other than volume, if present (e.g. aht), aligned with y */
  extra: Map<string, Float64Array>;
  /** day number (days since 1970-01-01) of each day of y */
  days: number[];
  /** slot of the last row within its day */
  lastSlot: number;
  calendar: SeriesCalendar;
  /** rows dropped from the start to begin on a whole day, and gaps filled */
  trimmed: number;
  filled: number;
}

const mode = (values: number[]): number => {
  const counts = new Map<number, number>();
  let best = values[0] ?? 0;
  for (const v of values) {
    const c = (counts.get(v) ?? 0) + 1;
    counts.set(v, c);
    if (c > (counts.get(best) ?? 0)) best = v;
  }
  return best;
};

export function parseSeriesCsv(text: string, season: number, week: number, valueColumn = 'volume'): Series {
  const lines = text.split(/\r?\n/).filter((l) => l.trim() !== '');
  const header = (lines.shift() ?? '').split(',').map((h) => h.trim().toLowerCase());
  const tsCol = header.indexOf('ts');
  const valCol = header.indexOf(valueColumn);
  if (tsCol < 0 || valCol < 0) throw new Error(`input needs columns ts,${valueColumn}; got ${header.join(',')}`);
  if (lines.length === 0) throw new Error('input has no rows');
  const others = header.map((h, i) => [h, i] as const).filter(([, i]) => i !== tsCol && i !== valCol);
  let style: TimestampStyle | undefined;
  const walls: number[] = [];
  const values: number[] = [];
  const extras = others.map(() => [] as number[]);
  for (const [row, line] of lines.entries()) {
    const cells = line.split(',');
    const t = parseTimestamp(cells[tsCol] ?? '');
    style ??= t.style;
    const v = Number(cells[valCol]);
    if (!Number.isFinite(v)) throw new Error(`row ${row + 2}: ${valueColumn} "${cells[valCol]}" is not a number`);
    if (walls.length > 0 && t.wall <= walls[walls.length - 1]!)
      throw new Error(`row ${row + 2}: timestamps must increase`);
    walls.push(t.wall);
    values.push(v);
    others.forEach(([, i], k) => extras[k]!.push(Number(cells[i])));
  }
  const step = walls.length > 1 ? mode(walls.slice(1).map((w, i) => w - walls[i]!)) : DAY_MS / season;
  const fullDay = step * season === DAY_MS;

  // slot times: the full-day grid, or the times seen on days that have exactly `season` rows
  let slotTimes: number[];
  const byDay = new Map<number, number[]>();
  walls.forEach((w, i) => {
    const d = dayOf(w);
    (byDay.get(d) ?? byDay.set(d, []).get(d)!).push(i);
  });
  if (fullDay) slotTimes = Array.from({ length: season }, (_, s) => s * step);
  else {
    const full = [...byDay.values()].filter((rows) => rows.length === season);
    const sample = full[full.length - 1];
    if (!sample) throw new Error(`no day in the input has exactly ${season} rows; check --season`);
    slotTimes = sample.map((i) => walls[i]! - dayOf(walls[i]!) * DAY_MS);
  }
  const slotOf = new Map(slotTimes.map((t, s) => [t, s]));

  // lay rows onto a (day, slot) grid; missing cells get the value a week earlier (else 0)
  const dayList = [...byDay.keys()];
  const openWeekdays = new Set(dayList.slice(-4 * 7).map((d) => new Date(d * DAY_MS).getUTCDay()));
  const firstSlot = slotOf.get(walls[0]! - dayOf(walls[0]!) * DAY_MS);
  if (firstSlot === undefined) throw new Error('first row does not fall on a slot of the daily pattern');
  const startDayIndex = firstSlot === 0 ? 0 : 1;
  const days = fullDay
    ? range(dayList[startDayIndex] ?? dayList[0]!, dayList[dayList.length - 1]!)
    : dayList.slice(startDayIndex);
  if (days.length === 0) throw new Error('input holds less than one whole day');
  const dayIndex = new Map(days.map((d, i) => [d, i]));
  const cells = new Float64Array(days.length * season).fill(Number.NaN);
  const extraCells = others.map(() => new Float64Array(days.length * season).fill(Number.NaN));
  let lastCell = -1;
  walls.forEach((w, i) => {
    const di = dayIndex.get(dayOf(w));
    const s = slotOf.get(w - dayOf(w) * DAY_MS);
    if (di === undefined) return;
    if (s === undefined) throw new Error(`row ${i + 2}: ${formatTimestamp(w, style!)} is off the daily slot pattern`);
    const c = di * season + s;
    cells[c] = values[i]!;
    extraCells.forEach((e, k) => {
      e[c] = extras[k]![i]!;
    });
    lastCell = Math.max(lastCell, c);
  });
  const y = cells.subarray(0, lastCell + 1);
  const p = season * week;
  let filled = 0;
  for (let t = 0; t < y.length; t++)
    if (Number.isNaN(y[t]!)) {
      y[t] = t >= p ? y[t - p]! : 0;
      filled++;
    }
  for (const e of extraCells)
    for (let t = 0; t <= lastCell; t++) if (Number.isNaN(e[t]!)) e[t] = t >= p ? e[t - p]! : 0;
  return {
    y: Float64Array.from(y),
    extra: new Map(others.map(([h], k) => [h, extraCells[k]!.slice(0, lastCell + 1)])),
    days: days.slice(0, Math.ceil((lastCell + 1) / season)),
    lastSlot: lastCell % season,
    calendar: { season, week, step, slotTimes, openWeekdays, style: style! },
    trimmed: startDayIndex === 0 ? 0 : byDay.get(dayList[0]!)!.length,
    filled,
  };
}

function range(from: number, to: number): number[] {
  const out: number[] = [];
  for (let d = from; d <= to; d++) out.push(d);
  return out;
}

/** The next `count` open days after `day` (every day when the input covers all seven weekdays). */
export function nextDays(day: number, count: number, calendar: SeriesCalendar): number[] {
  const out: number[] = [];
  for (let d = day + 1; out.length < count; d++) {
    if (calendar.openWeekdays.has(new Date(d * DAY_MS).getUTCDay())) out.push(d);
  }
  return out;
}

/** Timestamps and day numbers of the `horizon` intervals after the series' last row. */
export function futureCalendar(series: Series, horizon: number): { timestamps: string[]; days: number[] } {
  const { season, slotTimes, style } = series.calendar;
  const lastDay = series.days[series.days.length - 1]!;
  const remainingToday = season - 1 - series.lastSlot;
  const newDays = nextDays(lastDay, Math.ceil(Math.max(0, horizon - remainingToday) / season), series.calendar);
  const timestamps: string[] = [];
  const days: number[] = [];
  let slot = series.lastSlot;
  let di = -1;
  let day = lastDay;
  for (let i = 0; i < horizon; i++) {
    if (++slot === season) {
      slot = 0;
      day = newDays[++di]!;
      days.push(day);
    }
    timestamps.push(formatTimestamp(day * DAY_MS + slotTimes[slot]!, style));
  }
  return { timestamps, days };
}
