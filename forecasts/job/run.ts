// The forecast job: read half-hour history per queue × channel, fit on worker threads, write
// forecasts + each model's backtest scores, then size staffing requirements from the result.
// Same store contents, asOf and options → same forecasts (run_id and times aside).
import { randomUUID } from 'node:crypto';
import { availableParallelism } from 'node:os';
import type { ClickHouseClient } from '@clickhouse/client';
import { DAY_MS, SLOT_MS, historyWindow, readHistory, type SeriesHistory } from './history.js';
import { fitAll } from './pool.js';
import { SEASON, WEEK, type FitOutput } from './fit.js';
import { loadStaffingSettings } from './settings.js';
import { requirementsFor } from './staffing.js';
import { chTime64, epochSeconds, insertRows } from './write.js';

export interface ForecastJobOptions {
  /** Only these queues (default: every queue with history). */
  queues?: string[];
  /** Days ahead; default 42 (6 weeks). */
  horizonDays?: number;
  /** The run's "now": history ends at the midnight before it. Default Date.now(). */
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

  const window = await historyWindow(client, options.asOf ?? started, options.maxHistoryDays ?? 182);
  if (!window)
    throw new Error('no contact history to forecast from (contact_events holds no contact.queued before asOf)');
  const history = await readHistory(client, window, options.queues ?? []);
  if (history.length === 0) throw new Error(`no history for queue(s) ${(options.queues ?? []).join(', ')}`);
  progress('read', history.length, history.length);

  // The models need at least a week of history.
  const fittable = history.filter((s) => s.volume.length >= SEASON * WEEK);
  const results = await fitAll(
    fittable.map((s) => ({ volume: s.volume, aht: s.aht, horizon })),
    options.workers ?? Math.min(2, availableParallelism()),
    (done, total) => progress('fit', done, total),
  );
  const fitted = new Map<SeriesHistory, FitOutput | string>();
  history.forEach((s) => fitted.set(s, 'less than one week of history'));
  fittable.forEach((s, i) => {
    const r = results[i]!;
    fitted.set(s, 'output' in r ? r.output : r.error);
  });

  const settings = await loadStaffingSettings(
    client,
    [...new Set(history.map((s) => s.queue))],
    options.asOf ?? started,
  );
  const intervalStart = Float64Array.from({ length: horizon }, (_, i) => window.endMs + i * SLOT_MS);
  const forecastRows: Record<string, unknown>[] = [];
  const requirementRows: Record<string, unknown>[] = [];
  const scoreRows: Record<string, unknown>[] = [];
  const summary: ForecastJobResult['series'] = [];
  const finished = now();
  const common = (s: SeriesHistory) => ({
    run_id: runId,
    queue: s.queue,
    channel: s.channel,
    history_start: epochSeconds(s.startMs),
    origin: epochSeconds(window.endMs),
    horizon,
    started_at: chTime64(started),
    finished_at: chTime64(finished),
  });
  for (const s of history) {
    const f = fitted.get(s)!;
    if (typeof f === 'string') {
      summary.push({ queue: s.queue, channel: s.channel, model: '', status: 'failed', error: f });
      scoreRows.push({
        ...common(s),
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
        ...common(s),
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
    for (let i = 0; i < horizon; i++) {
      forecastRows.push({
        run_id: runId,
        queue: s.queue,
        channel: s.channel,
        interval_start: epochSeconds(intervalStart[i]!),
        volume: f.volume[i],
        aht: f.aht[i],
        lo80: f.lo80[i],
        hi80: f.hi80[i],
        lo95: f.lo95[i],
        hi95: f.hi95[i],
        model: f.model,
      });
    }
    const st = settings.get(s.queue)!;
    const { columns: c, patienceS } = requirementsFor({
      intervalStart,
      volume: f.volume,
      aht: f.aht,
      abandons: s.abandons,
      waitSeconds: s.waitSeconds,
      settings: st,
    });
    for (let i = 0; i < horizon; i++) {
      requirementRows.push({
        run_id: runId,
        queue: s.queue,
        channel: s.channel,
        interval_start: epochSeconds(intervalStart[i]!),
        volume: f.volume[i],
        aht: f.aht[i],
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
        shrinkage: st.shrinkage,
        patience_s: patienceS,
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
    historyStart: new Date(window.startMs).toISOString(),
    origin: new Date(window.endMs).toISOString(),
    horizon,
    series: summary,
    forecastRows: forecastRows.length,
    requirementRows: requirementRows.length,
    seconds: (now() - started) / 1000,
  };
}

export { DAY_MS };
