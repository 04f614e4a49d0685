// Forecast accuracy bench: for each series (real: the Israeli bank 1999 and R's taylor; built:
// the simulator's billing queue and a weekday-only series with holidays) a rolling-origin
// backtest of the ensemble against seasonal naive and the mean of the last 4 weeks, through the
// same input path as `callcast forecast` (CSV → calendar → fitAndForecast). Prints one JSON object.
//   npm run bench:forecast                     accuracy on the four series
//   npm run bench:forecast -- --write-csv DIR  also writes each series on its calendar (ts,volume; missing
//                                              days imputed) for bench/r/compare.R
//   npm run bench:forecast -- --throughput [--series 1000 --workers 2]
//                                              time of fitAndForecast on many synthetic queues
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import { availableParallelism } from 'node:os';
import { fitAndForecast } from '../forecasts/pipeline.js';
import { rollingBacktest } from '../forecasts/backtest/rolling.js';
import { parseSeriesCsv } from '../forecasts/io/series-csv.js';
import { parseHolidaysCsv, specialDaysFor } from '../forecasts/io/holidays.js';
import { DAY_MS, formatTimestamp, isoDate } from '../forecasts/io/timestamps.js';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { HISTORY_WEEKS as WEEKS, syntheticSeries } from '../examples/forecast/synthetic-series.js';
import {
  bankSeries,
  simulatorSeries,
  taylorSeries,
  weekdaySeries,
  type BenchSeries,
} from '../examples/forecast/bench-series.js';

const arg = (name: string, fallback: number): number => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
};
const r4 = (x: number): number => Math.round(x * 10000) / 10000;

/** Rolling origins per series: the last `origins` weeks, one week ahead each. */
const ORIGINS: Record<string, number> = { bank: 12, taylor: 4, simulator: 8, weekdays: 8 };

function accuracy(s: BenchSeries): Record<string, unknown> {
  const started = performance.now();
  const cpu = process.cpuUsage();
  const series = parseSeriesCsv(s.csv, s.season, s.week);
  const horizon = s.season * s.week;
  const special = s.holidays
    ? specialDaysFor(
        parseHolidaysCsv(s.holidays),
        [...series.days, ...Array.from({ length: 2 * s.week }, (_, i) => series.days.at(-1)! + 1 + i)].map(isoDate),
      )
    : undefined;
  const report = rollingBacktest(series.y, {
    season: s.season,
    week: s.week,
    horizon,
    origins: ORIGINS[s.name] ?? 4,
    ...(series.filled > 0 ? { missing: series.missing } : {}),
    ...(special ? { special: { codes: special.codes, multipliers: special.multipliers } } : {}),
  });
  const seconds = (performance.now() - started) / 1000;
  const used = process.cpuUsage(cpu);
  const cpuSeconds = (used.user + used.system) / 1e6;
  const dir = process.argv.includes('--write-csv') ? process.argv[process.argv.indexOf('--write-csv') + 1] : undefined;
  if (dir) {
    const { slotTimes, style } = series.calendar;
    const rows = ['ts,volume'];
    series.y.forEach((v, t) => {
      const day = series.days[Math.floor(t / s.season)]!;
      rows.push(`${formatTimestamp(day * DAY_MS + slotTimes[t % s.season]!, style)},${v}`);
    });
    writeFileSync(join(dir, `${s.name}.csv`), `${rows.join('\n')}\n`);
  }
  const sn = report.models.snaive_week!;
  const m4 = report.models.mean_4w!;
  const e = report.ensemble;
  const bestBaseline = Math.min(sn.wape, m4.wape);
  return {
    series: s.name,
    real: s.real,
    source: s.source,
    points: series.y.length,
    season: s.season,
    week: s.week,
    missingDays: series.missingDays.map(isoDate),
    origins: report.origins.length,
    horizon,
    wape: { ensemble: e.wape, snaive_week: sn.wape, mean_4w: m4.wape },
    dailyWape: { ensemble: e.dailyWape, snaive_week: sn.dailyWape, mean_4w: m4.dailyWape },
    ensembleVsBestBaseline: r4(e.wape / bestBaseline),
    coverage80: e.coverage80,
    coverage95: e.coverage95,
    models: Object.fromEntries(Object.entries(report.models).map(([k, v]) => [k, v.wape])),
    chosen: e.chosen,
    targets: {
      ensembleAtMost097OfBestBaseline: s.real ? e.wape <= 0.97 * bestBaseline : null,
      notWorseThanSeasonalNaive: e.wape <= sn.wape,
      coverage80Within3Points: Math.abs(e.coverage80 - 0.8) <= 0.03,
      coverage95Within3Points: Math.abs(e.coverage95 - 0.95) <= 0.03,
    },
    /** wall time of one fitAndForecast (selection backtest + combination + final fit + intervals) */
    ensembleMsPerForecast: e.fitMs,
    /** the whole rolling backtest of this series: wall and CPU seconds */
    seconds: Math.round(seconds * 10) / 10,
    cpuSeconds: Math.round(cpuSeconds * 10) / 10,
  };
}

interface WorkerResult {
  ms: number[];
}

function runShard(indices: number[]): WorkerResult {
  const ms: number[] = [];
  for (const i of indices) {
    const y = syntheticSeries(i);
    const started = performance.now();
    fitAndForecast(y, { season: 48, week: 7, horizon: 2016 });
    ms.push(performance.now() - started);
  }
  return { ms };
}

async function throughput(): Promise<Record<string, unknown>> {
  const series = arg('series', 1000);
  const workers = arg('workers', Math.min(2, availableParallelism()));
  const started = performance.now();
  const shards = Array.from({ length: workers }, (_, w) =>
    Array.from({ length: series }, (_, i) => i).filter((i) => i % workers === w),
  );
  let peakRss = process.memoryUsage().rss;
  const sampler = setInterval(() => {
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
  }, 200);
  const results = await Promise.all(
    shards.map(
      (indices) =>
        new Promise<WorkerResult>((resolve, reject) => {
          // workers do not inherit tsx's loader: register it inside the thread, then load this file
          const bootstrap = `import('tsx/esm/api').then((m) => { m.register(); return import(${JSON.stringify(import.meta.url)}); })`;
          const worker = new Worker(bootstrap, { eval: true, workerData: indices });
          worker.once('message', resolve);
          worker.once('error', reject);
        }),
    ),
  );
  clearInterval(sampler);
  const ms = results.flatMap((r) => r.ms).sort((a, b) => a - b);
  return {
    series,
    historyPoints: WEEKS * 7 * 48,
    horizon: 2016,
    workers,
    work: 'fitAndForecast per series (default options)',
    wallSeconds: Math.round((performance.now() - started) / 100) / 10,
    perSeriesMs: {
      mean: Math.round(ms.reduce((a, b) => a + b, 0) / ms.length),
      p50: Math.round(ms[Math.floor(ms.length / 2)]!),
      p95: Math.round(ms[Math.floor(ms.length * 0.95)]!),
    },
    peakRssMB: Math.round(Math.max(peakRss, process.resourceUsage().maxRSS * 1024) / 1048576),
  };
}

if (isMainThread) {
  let out: unknown;
  if (process.argv.includes('--throughput')) out = await throughput();
  else {
    const only = process.argv.includes('--only') ? process.argv[process.argv.indexOf('--only') + 1]!.split(',') : null;
    const makers: [string, () => BenchSeries | undefined][] = [
      ['bank', () => bankSeries()],
      ['taylor', () => taylorSeries()],
      ['simulator', () => simulatorSeries()],
      ['weekdays', () => weekdaySeries()],
    ];
    const results: unknown[] = [];
    const skipped: string[] = [];
    for (const [name, make] of makers) {
      if (only && !only.includes(name)) continue;
      const s = make();
      if (!s) skipped.push(name);
      else {
        results.push(accuracy(s));
        process.stderr.write(`${name} done\n`);
      }
    }
    out = { protocol: 'rolling origins, one week ahead each, back to back at the end', results, skipped };
  }
  process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
} else {
  parentPort!.postMessage(runShard(workerData as number[]));
}
