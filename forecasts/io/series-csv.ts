// Reads `ts,volume` (one row per interval, time order; may hold only open hours and only open
// weekdays) into a series on ONE calendar rule, whatever the grid (24-hour or open hours):
//  - the open weekdays are the `--week` weekdays that carry volume in the whole weeks of the
//    history; days of the other weekdays are never part of the series (all-zero rows on them are
//    dropped, volume on them is an error naming the day);
//  - every open weekday between the first whole day and the last row is a day of the series;
//    an open day with no rows (a public holiday, a lost export) is a missing day: inserted,
//    imputed per slot from the median of the same weekday ±1, ±2 weeks (wider if those are
//    missing too) and flagged in `missing`, so the pipeline never scores it or learns from it;
//  - a single absent row on a present day is imputed and flagged the same way.
// The series starts at slot 0 of its first whole day and continues the calendar into the future.
import { DAY_MS, dayOf, formatTimestamp, isoDate, parseTimestamp, type TimestampStyle } from './timestamps.js';

export interface SeriesCalendar {
  season: number;
  week: number;
  /** interval length in ms (most common gap between rows) */
  step: number;
  /** wall-clock offset of each slot from midnight */
  slotTimes: number[];
  /** the `week` open weekdays (0 = Sunday); days of the other weekdays are skipped going forward */
  openWeekdays: Set<number>;
  style: TimestampStyle;
}

export interface Series {
  /** values from slot 0 of the first whole day; one day per open weekday */
  y: Float64Array;
  /** a value column other than volume, if present (e.g. aht), aligned with y */
  extra: Map<string, Float64Array>;
  /** day number (days since 1970-01-01) of each day of y */
  days: number[];
  /** slot of the last row within its day */
  lastSlot: number;
  calendar: SeriesCalendar;
  /** rows dropped from the start to begin on a whole day */
  trimmed: number;
  /** cells imputed (missing days and absent rows) */
  filled: number;
  /** 1 for each point of y that was imputed, not observed */
  missing: Uint8Array;
  /** open days with no rows at all (inserted and imputed), as day numbers */
  missingDays: number[];
  /** all-zero rows on days of a closed weekday, dropped */
  closedRows: number;
}

export const WEEKDAY_NAMES = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'] as const;
const weekdayOf = (day: number): number => new Date(day * DAY_MS).getUTCDay();
const dayLabel = (day: number): string => `${isoDate(day)} (${WEEKDAY_NAMES[weekdayOf(day)]})`;

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

const median = (values: number[]): number => {
  const s = values.sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
};

interface DayRows {
  rows: number[];
  volume: number;
}

/**
 * The open weekdays: the `week` weekdays with the most days carrying volume (then with the most
 * days with rows) in the whole weeks of the history. Throws when the input contradicts `week`.
 */
export function openWeekdaysOf(byDay: Map<number, DayRows>, week: number): Set<number> {
  if (week < 1 || week > 7) throw new Error(`--week must be 1–7, got ${week}`);
  const dayNumbers = [...byDay.keys()];
  const first = dayNumbers[0]!;
  const last = dayNumbers[dayNumbers.length - 1]!;
  const wholeWeeks = Math.floor((last - first + 1) / 7);
  const end = wholeWeeks > 0 ? first + 7 * wholeWeeks : last + 1;
  const withVolume = new Array<number>(7).fill(0);
  const withRows = new Array<number>(7).fill(0);
  for (const [d, info] of byDay) {
    if (d >= end) continue;
    withRows[weekdayOf(d)]!++;
    if (info.volume !== 0) withVolume[weekdayOf(d)]!++;
  }
  // Monday first on ties, Sunday last: a tie only matters between weekdays that never carry volume
  const order = [1, 2, 3, 4, 5, 6, 0].sort((a, b) => withVolume[b]! - withVolume[a]! || withRows[b]! - withRows[a]!);
  const open = new Set(order.slice(0, week));
  const openNames = [1, 2, 3, 4, 5, 6, 0]
    .filter((w) => open.has(w))
    .map((w) => WEEKDAY_NAMES[w])
    .join(', ');
  // an open weekday must have rows in at least half of its whole weeks
  const needed = Math.max(1, Math.ceil(wholeWeeks / 2));
  for (const w of order.slice(0, week))
    if (withRows[w]! < needed) {
      const seen = withRows[w]!;
      throw new Error(
        `--week ${week} makes ${WEEKDAY_NAMES[w]} an open day (open: ${openNames}), but ${
          seen === 0 ? 'no' : `only ${seen} of ${Math.max(wholeWeeks, 1)}`
        } ${WEEKDAY_NAMES[w]}s in the input have rows; pass --week ${week - 1} if the centre is closed then, ` +
          `or give those days rows (0 where closed)`,
      );
    }
  // a closed weekday must carry no volume
  for (const [d, info] of byDay)
    if (!open.has(weekdayOf(d)) && info.volume !== 0)
      throw new Error(
        `${dayLabel(d)} has volume, but --week ${week} keeps only ${openNames} open; ` +
          `pass --week ${week + 1} if ${WEEKDAY_NAMES[weekdayOf(d)]}s are open days, or remove that day's rows`,
      );
  return open;
}

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

  const byDay = new Map<number, DayRows>();
  walls.forEach((w, i) => {
    const d = dayOf(w);
    const info = byDay.get(d) ?? byDay.set(d, { rows: [], volume: 0 }).get(d)!;
    info.rows.push(i);
    info.volume += Math.abs(values[i]!);
  });
  const open = openWeekdaysOf(byDay, week);
  let closedRows = 0;
  for (const [d, info] of [...byDay])
    if (!open.has(weekdayOf(d))) {
      closedRows += info.rows.length;
      byDay.delete(d);
    }

  // slot times: the full-day grid, or the times seen on an open day that has exactly `season` rows
  let slotTimes: number[];
  if (fullDay) slotTimes = Array.from({ length: season }, (_, s) => s * step);
  else {
    const full = [...byDay.values()].filter((info) => info.rows.length === season);
    const sample = full[full.length - 1];
    if (!sample) throw new Error(`no open day in the input has exactly ${season} rows; check --season`);
    slotTimes = sample.rows.map((i) => walls[i]! - dayOf(walls[i]!) * DAY_MS);
  }
  const slotOf = new Map(slotTimes.map((t, s) => [t, s]));
  const present = [...byDay.keys()];

  // the first whole day: a first day that does not start at slot 0 is dropped
  const firstRow = byDay.get(present[0]!)!.rows[0]!;
  const firstSlot = slotOf.get(walls[firstRow]! - dayOf(walls[firstRow]!) * DAY_MS);
  if (firstSlot === undefined) throw new Error('first row does not fall on a slot of the daily pattern');
  const startDay = firstSlot === 0 ? present[0]! : present[1];
  if (startDay === undefined) throw new Error('input holds less than one whole day');
  const trimmed = firstSlot === 0 ? 0 : byDay.get(present[0]!)!.rows.length;
  const lastDay = present[present.length - 1]!;
  const days: number[] = [];
  for (let d = startDay; d <= lastDay; d++) if (open.has(weekdayOf(d))) days.push(d);
  const dayIndex = new Map(days.map((d, i) => [d, i]));

  // lay rows onto the (open day, slot) grid
  const cells = new Float64Array(days.length * season).fill(Number.NaN);
  const extraCells = others.map(() => new Float64Array(days.length * season).fill(Number.NaN));
  let lastCell = -1;
  for (const [d, info] of byDay) {
    const di = dayIndex.get(d);
    if (di === undefined) continue;
    for (const i of info.rows) {
      const s = slotOf.get(walls[i]! - d * DAY_MS);
      if (s === undefined)
        throw new Error(`row ${i + 2}: ${formatTimestamp(walls[i]!, style!)} is off the daily slot pattern`);
      const c = di * season + s;
      cells[c] = values[i]!;
      extraCells.forEach((e, k) => {
        e[c] = extras[k]![i]!;
      });
      lastCell = Math.max(lastCell, c);
    }
  }
  const n = lastCell + 1;
  const y = cells.slice(0, n);
  const extraY = extraCells.map((e) => e.slice(0, n));
  const missing = new Uint8Array(n);
  const missingDays = days.filter((d) => !byDay.has(d) && dayIndex.get(d)! * season < n);
  const filled = imputeSameWeekday(y, [cells, ...extraCells], [y, ...extraY], season, week, missing);
  return {
    y,
    extra: new Map(others.map(([h], k) => [h, extraY[k]!])),
    days: days.slice(0, Math.ceil(n / season)),
    lastSlot: lastCell % season,
    calendar: { season, week, step, slotTimes, openWeekdays: open, style: style! },
    trimmed,
    filled,
    missing,
    missingDays,
    closedRows,
  };
}

/**
 * Fills every NaN cell of `y` (and the same cell of each extra column) with the median of that
 * slot on the same weekday ±1, ±2 weeks (observed cells only; the search widens a week at a
 * time when those are missing too) and flags it in `missing`. A slot never observed on that
 * weekday at any distance is a closed slot: 0, not flagged. Returns how many cells were flagged.
 */
function imputeSameWeekday(
  y: Float64Array,
  sources: Float64Array[],
  targets: Float64Array[],
  season: number,
  week: number,
  missing: Uint8Array,
): number {
  const n = y.length;
  const p = season * week;
  const observed = (t: number): boolean => t >= 0 && t < n && !Number.isNaN(sources[0]![t]!);
  let filled = 0;
  for (let t = 0; t < n; t++) {
    if (observed(t)) continue;
    const donors: number[] = [];
    const maxRadius = Math.ceil(n / p) + 1;
    for (let r = 1; r <= maxRadius && (donors.length === 0 || r <= 2); r++)
      for (const u of [t - r * p, t + r * p]) if (observed(u)) donors.push(u);
    targets.forEach((target, k) => {
      const src = sources[k]!;
      const vals = donors.map((u) => src[u]!).filter((v) => !Number.isNaN(v));
      target[t] = vals.length > 0 ? median(vals) : 0;
    });
    if (donors.length > 0) {
      missing[t] = 1;
      filled++;
    }
  }
  return filled;
}

/** The next `count` open days after `day`. */
export function nextDays(day: number, count: number, calendar: SeriesCalendar): number[] {
  const out: number[] = [];
  for (let d = day + 1; out.length < count; d++) {
    if (calendar.openWeekdays.has(weekdayOf(d))) out.push(d);
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
