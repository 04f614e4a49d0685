// The series of the forecast accuracy bench (bench/forecast.ts), each as `ts,volume` CSV text
// plus its calendar, so every one goes through the same input path as `callcast forecast`.
//  - bank:      /work/shared/data/anonymous-bank-1999-30min.csv (real, Israel 1999, 24-hour grid)
//  - taylor:    R's forecast::taylor (real, electricity, 12 weeks), exported by bench/r/export-taylor.R
//  - simulator: first-contact and repeat arrivals of the simulator's billing queue (pipelines/simulate),
//               26 weeks on a 24-hour grid, its public holidays given as closed days
//  - weekdays:  a weekday-only open-hours series (Mon–Fri 08:00–22:00, 28 half-hours) with
//               weekday-dependent levels and public holidays that have no rows
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { simulateHistory } from '../../pipelines/simulate/generator.js';
import { isHoliday } from '../../pipelines/simulate/profiles.js';
import { gaussian, poisson, rng } from './synthetic-series.js';

export interface BenchSeries {
  name: string;
  /** real data (the targets apply to these) or built here */
  real: boolean;
  csv: string;
  season: number;
  week: number;
  /** holiday calendar as `date,name,multiplier` CSV, or none */
  holidays?: string;
  source: string;
}

const DAY = 86_400_000;
const HALF = 1_800_000;
const iso = (ms: number): string => new Date(ms).toISOString().slice(0, 19);
const here = (file: string): string => fileURLToPath(new URL(file, import.meta.url));

export const BANK_CSV = '/work/shared/data/anonymous-bank-1999-30min.csv';

export function bankSeries(path = BANK_CSV): BenchSeries | undefined {
  if (!existsSync(path)) return undefined;
  return { name: 'bank', real: true, csv: readFileSync(path, 'utf8'), season: 48, week: 7, source: path };
}

export function taylorSeries(path = here('./taylor.csv')): BenchSeries | undefined {
  if (!existsSync(path)) return undefined;
  return { name: 'taylor', real: true, csv: readFileSync(path, 'utf8'), season: 48, week: 7, source: path };
}

/** Offered contacts (contact.queued, first contacts and repeats) of one simulated queue per half-hour. */
export function simulatorSeries(weeks = 26, start = '2026-06-01', queue = 'billing', seed = 7): BenchSeries {
  const from = Date.parse(`${start}T00:00:00Z`);
  const counts = new Float64Array(weeks * 7 * 48);
  for (const e of simulateHistory({ days: weeks * 7, queues: 1, seed, start: from })) {
    if (e.type !== 'contact.queued' || e.queue !== queue) continue;
    const i = Math.floor((new Date(e.occurred_at).getTime() - from) / HALF);
    if (i >= 0 && i < counts.length) counts[i]!++;
  }
  const rows = ['ts,volume'];
  counts.forEach((v, i) => rows.push(`${iso(from + i * HALF)},${v}`));
  const holidays = ['date,name,multiplier'];
  for (let d = from; d < from + (weeks * 7 + 60) * DAY; d += DAY)
    if (isHoliday(d)) holidays.push(`${iso(d).slice(0, 10)},public-holiday,0`);
  return {
    name: 'simulator',
    real: false,
    csv: `${rows.join('\n')}\n`,
    season: 48,
    week: 7,
    holidays: `${holidays.join('\n')}\n`,
    source: `pipelines/simulate, queue ${queue}, seed ${seed}, ${weeks} weeks from ${start}`,
  };
}

function gamma(k: number, rand: () => number): number {
  // Marsaglia–Tsang, k ≥ 1; mean 1
  const d = k - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    let x: number;
    let v: number;
    do {
      x = gaussian(rand);
      v = 1 + c * x;
    } while (v <= 0);
    v = v * v * v;
    if (Math.log(rand() + 1e-12) < 0.5 * x * x + d - d * v + d * Math.log(v)) return (d * v) / k;
  }
}

/** Public holidays of the weekday series (UK-style bank holidays, 2024–2025). */
export const WEEKDAY_HOLIDAYS = [
  '2024-01-01',
  '2024-03-29',
  '2024-04-01',
  '2024-05-06',
  '2024-05-27',
  '2024-08-26',
  '2024-12-25',
  '2024-12-26',
  '2025-01-01',
  '2025-04-18',
  '2025-04-21',
  '2025-05-05',
  '2025-05-26',
  '2025-08-25',
];

/**
 * Monday–Friday, 08:00–22:00 (28 half-hours, open hours only), 30 weeks from Monday 2025-02-03:
 * weekday levels (Monday busiest, Friday quietest), a weekday-specific intraday shape (Friday
 * ends early), a slow trend, day-level overdispersion (gamma, k = 60), Poisson counts, holidays
 * without rows and a +20 % catch-up the open day after each holiday.
 */
export function weekdaySeries(weeks = 30, seed = 3): BenchSeries {
  const rand = rng(seed);
  const start = Date.UTC(2025, 1, 3);
  const level = [0, 1.35, 1.1, 1.0, 0.95, 0.8, 0];
  const rows = ['ts,volume'];
  let afterHoliday = false;
  for (let d = 0; d < weeks * 7; d++) {
    const day = start + d * DAY;
    const wd = new Date(day).getUTCDay();
    if (wd === 0 || wd === 6) continue;
    if (WEEKDAY_HOLIDAYS.includes(iso(day).slice(0, 10))) {
      afterHoliday = true;
      continue;
    }
    const dayLevel = gamma(60, rand) * level[wd]! * (1 + (0.1 * d) / 365) * (afterHoliday ? 1.2 : 1);
    afterHoliday = false;
    for (let s = 0; s < 28; s++) {
      const h = 8 + s / 2 + 0.25;
      const shape =
        0.3 +
        Math.exp(-0.5 * ((h - 10.5) / 1.3) ** 2) +
        0.7 * Math.exp(-0.5 * ((h - (wd === 5 ? 13 : 15)) / 1.8) ** 2) +
        (wd === 5 ? (-0.25 * Math.max(0, h - 17)) / 5 : 0.15 * Math.exp(-0.5 * ((h - 19.5) / 1) ** 2));
      rows.push(`${iso(day + (16 + s) * HALF)},${poisson(Math.max(0, 22 * dayLevel * shape), rand, 40)}`);
    }
  }
  return {
    name: 'weekdays',
    real: false,
    csv: `${rows.join('\n')}\n`,
    season: 28,
    week: 5,
    source: `built: Mon–Fri 08–22 h, ${weeks} weeks from 2025-02-03, holidays without rows`,
  };
}
