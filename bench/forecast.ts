// Forecast bench: 1,000 synthetic queues × 2 years of half-hours, 6-week horizon (2016 points).
// Each series goes through fitAndForecast — the production path: a 2-origin rolling backtest of
// every model on the series' own history, the ensemble choice, the final fit and intervals.
// Series are spread over worker_threads; prints one JSON object.
//   npm run bench:forecast [-- --series 1000 --workers 2]
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import { availableParallelism } from 'node:os';
import { fitAndForecast } from '../forecasts/pipeline.js';
import { HISTORY_WEEKS as WEEKS, syntheticSeries } from '../examples/forecast/synthetic-series.js';

const SEASON = 48;
const WEEK = 7;
const HORIZON = 2016;

interface WorkerResult {
  ms: number[];
  models: Record<string, number>;
  wape: number[];
}

function runShard(indices: number[]): WorkerResult {
  const ms: number[] = [];
  const models: Record<string, number> = {};
  const wape: number[] = [];
  for (const i of indices) {
    const y = syntheticSeries(i);
    const started = performance.now();
    const r = fitAndForecast(y, { season: SEASON, week: WEEK, horizon: HORIZON, selectionOrigins: 2 });
    ms.push(performance.now() - started);
    for (const m of r.members) models[m.alias] = (models[m.alias] ?? 0) + 1;
    const ens = r.members.reduce((a, m) => a + m.weight * r.selectionWape[m.alias]!, 0);
    wape.push(ens);
  }
  return { ms, models, wape };
}

const arg = (name: string, fallback: number): number => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
};

if (isMainThread) {
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
  const wallMs = performance.now() - started;
  const ms = results.flatMap((r) => r.ms).sort((a, b) => a - b);
  const members: Record<string, number> = {};
  for (const r of results) for (const [k, v] of Object.entries(r.models)) members[k] = (members[k] ?? 0) + v;
  const wapes = results.flatMap((r) => r.wape);
  process.stdout.write(
    `${JSON.stringify(
      {
        series,
        historyPoints: WEEKS * WEEK * SEASON,
        horizon: HORIZON,
        workers,
        work: 'fitAndForecast per series: 2-origin rolling backtest of 6 models + ensemble choice + final fit + intervals',
        wallSeconds: Math.round(wallMs / 100) / 10,
        perSeriesMs: {
          mean: Math.round(ms.reduce((a, b) => a + b, 0) / ms.length),
          p50: Math.round(ms[Math.floor(ms.length / 2)]!),
          p95: Math.round(ms[Math.floor(ms.length * 0.95)]!),
        },
        peakRssMB: Math.round(Math.max(peakRss, process.resourceUsage().maxRSS * 1024) / 1048576),
        ensembleMembers: members,
        meanBacktestWapeOfEnsembleMembers:
          Math.round((wapes.reduce((a, b) => a + b, 0) / wapes.length) * 10000) / 10000,
      },
      null,
      2,
    )}\n`,
  );
} else {
  parentPort!.postMessage(runShard(workerData as number[]));
}
