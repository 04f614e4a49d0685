// The forecast job: read half-hour history per queue × channel, fit on worker threads, write
// forecasts + each model's backtest scores, then size staffing requirements from the result.
// Each queue's history and forecast are whole local days of its time zone (forecasts/job/local.ts);
// half-hours outside its opening hours forecast 0 and require 0 agents.
// Same store contents, asOf and options → same forecasts (run_id and times aside).
import { randomUUID } from 'node:crypto';
import { availableParallelism } from 'node:os';
import type { ClickHouseClient } from '@clickhouse/client';
import { DAY_MS, contactBounds, readHistory, windowOf, type SeriesHistory } from './history.js';
import { dayFactors, loadCalendar } from './calendar.js';
import { historyDayCodes } from './unusual-days.js';
import { localGrid } from '../../src/staffing/local.js';
import { localForecast, localHistoryDays, toLocalSeries, type LocalSeries } from './local.js';
import { fitAll } from './pool.js';
import { SEASON, WEEK, type FitOutput } from './fit.js';
import { loadStaffingSettings } from './settings.js';
import { requirementsFor } from './staffing.js';
import { chTime64, epochSeconds, insertRows } from './write.js';

export interface ForecastJobOptions {
  /** Only these queues (default: every queue with history). */
  queues?: string[];
  /** Local days ahead; default 42 (6 weeks). */
  horizonDays?: number;
  /** The run's "now": history ends at the local midnight before it (each queue's zone). Default Date.now(). */
  asOf?: number;
  /** Longest history read, days; default 182 (26 weeks). */
  maxHistoryDays?: number;
  /** Worker threads; 0 fits inline. Default min(2, cores). */
  workers?: number;
  runId?: string;
  onProgress?: (stage: string, done: number, total: number) => void;
  /** Clock for started/finished stamps. */
  now?: () => number;
}

export interface ForecastJobResult {
  runId: string;
  historyStart: string;
  origin: string;
  horizon: number;
  series: { queue: string; channel: string; model: string; status: 'ok' | 'failed'; error?: string }[];
  forecastRows: number;
  requirementRows: number;
  seconds: number;
}

export const DEFAULT_HORIZON_DAYS = 42;

export async function runForecastJob(
  client: ClickHouseClient,
  options: ForecastJobOptions = {},
): Promise<ForecastJobResult> {
  const now = options.now ?? Date.now;
  const started = now();
  const runId = options.runId ?? randomUUID();
  const horizon = (options.horizonDays ?? DEFAULT_HORIZON_DAYS) * SEASON;
  const progress = options.onProgress ?? (() => undefined);

  const asOf = options.asOf ?? started;
  const maxDays = options.maxHistoryDays ?? 182;
  const bounds = await contactBounds(client, asOf);
  const window = bounds ? windowOf(bounds, asOf, maxDays) : null;
  if (!bounds || !window)
    throw new Error('no contact history to forecast from (contact_events holds no contact.queued before asOf)');
  // Read a day either side of the UTC window: each queue then takes its own whole local days.
  const read = await readHistory(
    client,
    { startMs: window.startMs - DAY_MS, endMs: Math.min(asOf, window.endMs + DAY_MS) },
    options.queues ?? [],
    false,
  );
  if (read.length === 0) throw new Error(`no history for queue(s) ${(options.queues ?? []).join(', ')}`);
  const settings = await loadStaffingSettings(client, [...new Set(read.map((s) => s.queue))], asOf);
  const calendar = new Map(
    [...(await loadCalendar(client, [...settings.keys()]))].map(([q, days]) => [q, dayFactors(days)]),
  );
  const history: LocalSeries[] = [];
  for (const s of read) {
    const tz = settings.get(s.queue)!.timeZone;
    const days = localHistoryDays(bounds, asOf, maxDays, tz);
    const local = days ? toLocalSeries(s, days.startMs, days.days, tz) : null;
    if (local) history.push(local);
  }
  if (history.length === 0) throw new Error(`no history for queue(s) ${(options.queues ?? []).join(', ')}`);
  progress('read', history.length, history.length);

  // The models need at least a week of history.
  const fittable = history.filter((s) => s.volume.length >= SEASON * WEEK);
  const results = await fitAll(
    fittable.map((s) => ({
      volume: s.volume,
      aht: s.aht,
      horizon,
      dayCodes: historyDayCodes(
        s.volume,
        localGrid(s.startMs, s.volume.length / SEASON, s.tz).dates,
        calendar.get(s.queue)!,
      ),
    })),
    options.workers ?? Math.min(2, availableParallelism()),
    (done, total) => progress('fit', done, total),
  );
  const fitted = new Map<SeriesHistory, FitOutput | string>();
  history.forEach((s) => fitted.set(s, 'less than one week of history'));
  fittable.forEach((s, i) => {
    const r = results[i]!;
    fitted.set(s, 'output' in r ? r.output : r.error);
  });

  const forecastRows: Record<string, unknown>[] = [];
  const requirementRows: Record<string, unknown>[] = [];
  const scoreRows: Record<string, unknown>[] = [];
  const summary: ForecastJobResult['series'] = [];
  const finished = now();
  const horizonDays = horizon / SEASON;
  const ahead = (s: LocalSeries) => localForecast(s.endMs, horizonDays, s.tz, settings.get(s.queue)!.openingHours);
  const common = (s: LocalSeries, slots: number) => ({
    run_id: runId,
    queue: s.queue,
    channel: s.channel,
    history_start: epochSeconds(s.startMs),
    origin: epochSeconds(s.endMs),
    horizon: slots,
    started_at: chTime64(started),
    finished_at: chTime64(finished),
  });
  for (const s of history) {
    const f = fitted.get(s)!;
    const grid = ahead(s);
    const slots = grid.grid.utc.length;
    if (typeof f === 'string') {
      summary.push({ queue: s.queue, channel: s.channel, model: '', status: 'failed', error: f });
      scoreRows.push({
        ...common(s, slots),
        model: '',
        weight: 0,
        ensemble: '',
        backtest_origins: 0,
        backtest_horizon: 0,
        status: 'failed',
        error: f,
      });
      continue;
    }
    summary.push({ queue: s.queue, channel: s.channel, model: f.model, status: 'ok' });
    for (const sc of f.scores) {
      scoreRows.push({
        ...common(s, slots),
        model: sc.model,
        wape: sc.wape,
        mase: sc.mase,
        weight: sc.weight,
        ensemble: f.model,
        backtest_origins: f.backtestOrigins,
        backtest_horizon: f.backtestHorizon,
        status: 'ok',
        error: '',
      });
    }
    // wall-clock slots → the real half-hours of the local days ahead; closed half-hours 0
    const intervalStart = grid.grid.utc;
    // the queue's calendar: a closed day is exactly 0, an event day × its multiplier
    const factors = calendar.get(s.queue)!;
    const dayFactor = Float64Array.from(
      grid.grid.index,
      (ix) => factors.get(grid.grid.dates[Math.floor(ix / SEASON)]!) ?? 1,
    );
    const scaled = (x: Float64Array) => (factors.size ? x.map((v, i) => v * dayFactor[i]!) : x);
    const volume = scaled(grid.pick(f.volume));
    const aht = grid.pick(f.aht);
    const lo80 = scaled(grid.pick(f.lo80));
    const hi80 = scaled(grid.pick(f.hi80));
    const lo95 = scaled(grid.pick(f.lo95));
    const hi95 = scaled(grid.pick(f.hi95));
    for (let i = 0; i < slots; i++) {
      forecastRows.push({
        run_id: runId,
        queue: s.queue,
        channel: s.channel,
        interval_start: epochSeconds(intervalStart[i]!),
        volume: volume[i],
        aht: aht[i],
        lo80: lo80[i],
        hi80: hi80[i],
        lo95: lo95[i],
        hi95: hi95[i],
        model: f.model,
      });
    }
    const st = settings.get(s.queue)!;
    const slotOfWeek = Int16Array.from(
      grid.grid.index,
      (ix) => grid.grid.weekday[Math.floor(ix / SEASON)]! * SEASON + (ix % SEASON),
    );
    const sized = requirementsFor({
      intervalStart,
      volume,
      aht,
      abandons: s.abandons,
      waitSeconds: s.waitSeconds,
      settings: st,
      channel: s.channel,
      slotOfWeek,
    });
    const { columns: c, patienceS } = sized;
    for (let i = 0; i < slots; i++) {
      requirementRows.push({
        run_id: runId,
        queue: s.queue,
        channel: s.channel,
        interval_start: epochSeconds(intervalStart[i]!),
        volume: volume[i],
        aht: aht[i],
        required: c.required[i],
        scheduled_needed: c.scheduledNeeded[i],
        expected_sl: c.expectedSl[i],
        asa: c.asa[i],
        occupancy: c.occupancy[i],
        abandon: c.abandon[i],
        target_met: c.met[i] === 1,
        model: c.model,
        threshold_s: st.thresholdS,
        sl_target: st.slTarget,
        max_occupancy: st.maxOccupancy,
        shrinkage: sized.shrinkage[i],
        patience_s: patienceS,
        concurrency: sized.concurrency,
        erlang_c_required: sized.erlangCRequired[i],
      });
    }
  }
  progress('write', 0, 3);
  await insertRows(client, 'forecasts', forecastRows);
  progress('write', 1, 3);
  await insertRows(client, 'staffing_requirements', requirementRows);
  progress('write', 2, 3);
  // forecast_runs last: a run is visible as "latest" only once its forecasts are all written.
  await insertRows(client, 'forecast_runs', scoreRows);
  progress('write', 3, 3);
  return {
    runId,
    historyStart: new Date(Math.min(...history.map((s) => s.startMs))).toISOString(),
    origin: new Date(Math.min(...history.map((s) => s.endMs))).toISOString(),
    horizon,
    series: summary,
    forecastRows: forecastRows.length,
    requirementRows: requirementRows.length,
    seconds: (now() - started) / 1000,
  };
}

export { DAY_MS };
