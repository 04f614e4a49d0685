// One calendar rule for every grid: weekday-only series (open hours and 24-hour grids) with
// weekday-dependent levels and public holidays (days without rows) in the last four weeks.
import { describe, expect, it } from 'vitest';
import { futureCalendar, parseSeriesCsv } from '../../forecasts/io/series-csv.js';
import { fitAndForecast } from '../../forecasts/pipeline.js';
import { isoDate } from '../../forecasts/io/timestamps.js';

const DAY = 86_400_000;
const HALF = 1_800_000;
const iso = (ms: number): string => new Date(ms).toISOString().slice(0, 19);
/** Monday .. Friday day levels (weekday 1..5) */
const LEVEL: Record<number, number> = { 1: 1.5, 2: 1.2, 3: 1.0, 4: 0.85, 5: 0.6 };

function rand(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Built {
  csv: string;
  holidays: string[];
  /** expected daily total per weekday */
  dayTotal: (weekday: number) => number;
  lastDay: number;
}

/**
 * Weeks of Monday–Friday rows from Monday 2024-01-01. `grid`: 'open' = 28 half-hours 08:00–22:00,
 * 'full' = 48 half-hours (0 outside 08:00–22:00). Holidays have no rows.
 */
function weekdaySeries(weeks: number, grid: 'open' | 'full', holidays: string[] = [], noise = 0.05): Built {
  const r = rand(11);
  const rows = ['ts,volume'];
  const mean = (weekday: number, s: number): number =>
    s < 16 || s >= 44 ? 0 : 40 * LEVEL[weekday]! * (0.6 + Math.sin((Math.PI * (s - 16)) / 28));
  let lastDay = 0;
  for (let d = 0; d < weeks * 7; d++) {
    const day = Date.UTC(2024, 0, 1 + d);
    const weekday = new Date(day).getUTCDay();
    if (weekday === 0 || weekday === 6 || holidays.includes(isoDate(day / DAY))) continue;
    lastDay = day / DAY;
    for (let s = grid === 'open' ? 16 : 0; s < (grid === 'open' ? 44 : 48); s++) {
      const v = Math.round(mean(weekday, s) * (1 + noise * (2 * r() - 1)));
      rows.push(`${iso(day + s * HALF)},${v}`);
    }
  }
  const dayTotal = (weekday: number): number => {
    let t = 0;
    for (let s = 0; s < 48; s++) t += mean(weekday, s);
    return t;
  };
  return { csv: `${rows.join('\n')}\n`, holidays, dayTotal, lastDay };
}

// 12 weeks from Monday 2024-01-01; the last four weeks start on Monday 2024-02-26
const HOLIDAYS = ['2024-02-26', '2024-03-06', '2024-03-15', '2024-03-18'];

describe.each([
  { grid: 'open' as const, season: 28 },
  { grid: 'full' as const, season: 48 },
])('weekday-only series on the $grid grid (--season $season --week 5)', ({ grid, season }) => {
  const built = weekdaySeries(12, grid, HOLIDAYS);
  const series = parseSeriesCsv(built.csv, season, 5);

  it('lives on the open weekdays only, with every holiday inserted, imputed and flagged', () => {
    expect([...series.calendar.openWeekdays].sort()).toEqual([1, 2, 3, 4, 5]);
    expect(series.days.length).toBe(12 * 5);
    expect(series.y.length).toBe(12 * 5 * season);
    expect(series.days.every((d) => ![0, 6].includes(new Date(d * DAY).getUTCDay()))).toBe(true);
    expect(series.missingDays.map(isoDate)).toEqual(HOLIDAYS);
    expect(series.filled).toBe(HOLIDAYS.length * season);
    for (const h of HOLIDAYS) {
      const i = series.days.indexOf(Date.parse(h) / DAY);
      expect(i).toBeGreaterThanOrEqual(0);
      let total = 0;
      for (let s = 0; s < season; s++) {
        expect(series.missing[i * season + s]).toBe(1);
        total += series.y[i * season + s]!;
      }
      // imputed from the same weekday of nearby weeks
      expect(total / built.dayTotal(new Date(Date.parse(h)).getUTCDay())).toBeCloseTo(1, 1);
    }
    // observed days are not flagged
    expect(series.missing.reduce((a, b) => a + b, 0)).toBe(HOLIDAYS.length * season);
  });

  it("forecasts each weekday at that weekday's level", () => {
    const horizon = 2 * 5 * season;
    const r = fitAndForecast(series.y, { season, week: 5, horizon, missing: series.missing });
    const future = futureCalendar(series, horizon);
    expect(future.days.map((d) => new Date(d * DAY).getUTCDay())).toEqual([1, 2, 3, 4, 5, 1, 2, 3, 4, 5]);
    for (let k = 0; k < 10; k++) {
      let total = 0;
      for (let s = 0; s < season; s++) total += r.forecast[k * season + s]!;
      const weekday = new Date(future.days[k]! * DAY).getUTCDay();
      expect(Math.abs(total / built.dayTotal(weekday) - 1)).toBeLessThan(0.04);
    }
    // and so does every candidate, not only the combination
    for (const c of r.candidates)
      for (let k = 0; k < 5; k++) {
        let total = 0;
        for (let s = 0; s < season; s++) total += c.forecast![k * season + s]!;
        const weekday = new Date(future.days[k]! * DAY).getUTCDay();
        expect(Math.abs(total / built.dayTotal(weekday) - 1), `${c.alias} on weekday ${weekday}`).toBeLessThan(0.06);
      }
  });
});

describe('calendar errors name the day', () => {
  it('volume on a closed weekday', () => {
    const built = weekdaySeries(4, 'open');
    const csv = `${built.csv}2024-01-27T10:00:00,5\n`; // a Saturday
    expect(() => parseSeriesCsv(csv, 28, 5)).toThrow(/2024-01-27 \(Saturday\) has volume, but --week 5/);
  });

  it('an open weekday that the input never has', () => {
    const built = weekdaySeries(4, 'open');
    expect(() => parseSeriesCsv(built.csv, 28, 6)).toThrow(/--week 6 makes Saturday an open day.*no Saturdays/);
  });

  it('an open weekday that has rows in only a few weeks', () => {
    const built = weekdaySeries(8, 'open');
    const csv = `${built.csv}2024-01-06T10:00:00,5\n`; // one Saturday with a row (7 whole weeks: Monday 1 January to Sunday 18 February)
    const lines = csv.trim().split('\n');
    const sorted = [lines[0], ...lines.slice(1).sort()].join('\n');
    expect(() => parseSeriesCsv(sorted, 28, 6)).toThrow(/only 1 of 7 Saturdays/);
  });

  it('all-zero rows on a closed weekday are dropped, not inserted as days', () => {
    const rows = ['ts,volume'];
    for (let d = 0; d < 21; d++)
      for (let s = 0; s < 48; s++) {
        const t = Date.UTC(2024, 0, 1 + d) + s * HALF;
        const weekday = new Date(t).getUTCDay();
        rows.push(`${iso(t)},${weekday === 0 || weekday === 6 ? 0 : 10}`);
      }
    const series = parseSeriesCsv(rows.join('\n'), 48, 5);
    expect(series.days.length).toBe(15);
    expect(series.closedRows).toBe(6 * 48);
    expect(series.filled).toBe(0);
  });

  it('a 24-hour grid with --week 5 and no weekend rows gets no weekend days', () => {
    const built = weekdaySeries(3, 'full');
    const series = parseSeriesCsv(built.csv, 48, 5);
    expect(series.days.length).toBe(15);
    expect(series.filled).toBe(0);
    expect(series.missingDays).toEqual([]);
  });

  it('a single absent row is imputed from the same slot of nearby weeks and flagged', () => {
    const built = weekdaySeries(5, 'open', [], 0);
    const lines = built.csv.trim().split('\n');
    const dropped = lines.findIndex((l) => l.startsWith('2024-01-17T12:00:00')); // a Wednesday, slot 8
    const csv = [...lines.slice(0, dropped), ...lines.slice(dropped + 1)].join('\n');
    const series = parseSeriesCsv(csv, 28, 5);
    const t = series.days.indexOf(Date.parse('2024-01-17') / DAY) * 28 + 8;
    expect(series.missing[t]).toBe(1);
    expect(series.y[t]).toBe(series.y[t - 5 * 28]);
    expect(series.filled).toBe(1);
  });
});
