// Simulated history for the dashboard tests: a week of two queues through the normal ingest
// path, plus forecast runs, staffing requirements, a shift plan and dead letters written as the
// forecast job, POST /v1/schedule/solve and the ingest writer write them.
import { pino } from 'pino';
import { Registry } from 'prom-client';
import { simulateHistoryBatches } from '../../pipelines/simulate/generator.js';
import { storeSink } from '../../pipelines/ingest/store-sink.js';
import { BatchWriter } from '../../pipelines/ingest/writer.js';
import { createIngestMetrics } from '../../pipelines/ingest/prometheus.js';
import type { Store } from '../../src/store/index.js';

export const START = '2026-11-09'; // a Monday
export const START_MS = Date.parse(`${START}T00:00:00Z`);
export const DAYS = 7;
export const DAY_MS = 86_400_000;
export const QUEUES = ['billing', 'tech-support'] as const;

export async function seedEvents(store: Store): Promise<number> {
  const writer = new BatchWriter(store, createIngestMetrics(new Registry()), pino({ level: 'silent' }));
  const sink = storeSink(writer);
  let n = 0;
  for (const batch of simulateHistoryBatches(
    { days: DAYS, queues: QUEUES.length, seed: 8, start: START, volumeScale: 0.25 },
    20_000,
  )) {
    await sink.send(batch);
    n += batch.length;
  }
  return n;
}

const at = (iso: string) => iso.replace('T', ' ').replace('Z', '');
const halfHours = (fromIso: string, days: number) =>
  Array.from({ length: days * 48 }, (_, i) => new Date(Date.parse(fromIso) + i * 1_800_000).toISOString());

/** Two forecast runs of billing × voice: run-a from Thu 12th (volume 2/half-hour), run-b from Sat 14th (volume 3). */
export const RUNS = [
  { run_id: 'run-a', origin: '2026-11-12T00:00:00Z', finished: '2026-11-12T02:00:00Z', volume: 2, days: 4 },
  { run_id: 'run-b', origin: '2026-11-14T00:00:00Z', finished: '2026-11-14T02:00:00Z', volume: 3, days: 2 },
] as const;

/** A solved plan's coverage for billing, week of the 9th: two half-hours, one short by one agent, one over by one. */
export const PLAN_COVERAGE = [
  { interval_start: '2026-11-14T08:00:00.000Z', required: 4, scheduled: 5, over: 1, under: 0 },
  { interval_start: '2026-11-14T08:30:00.000Z', required: 4, scheduled: 3, over: 0, under: 1 },
];

export const DEAD_LETTER_ERRORS = [
  'occurred_at: more than 24 h in the future',
  'occurred_at: before 2000-01-01',
  'invalid JSON: Unexpected token',
] as const;

export async function seedPlanning(store: Store, nowMs: number): Promise<void> {
  const c = store.client;
  for (const r of RUNS) {
    await c.insert({
      table: 'forecast_runs',
      format: 'JSONEachRow',
      values: [
        {
          run_id: r.run_id,
          queue: 'billing',
          channel: 'voice',
          model: 'seasonal-naive',
          wape: 0.2,
          mase: 0.9,
          weight: 1,
          ensemble: 'seasonal-naive',
          history_start: at('2026-11-09T00:00:00Z'),
          origin: at(r.origin),
          horizon: r.days * 48,
          backtest_origins: 1,
          backtest_horizon: 48,
          started_at: at(r.origin),
          finished_at: at(r.finished),
          status: 'ok',
          error: '',
        },
      ],
    });
    await c.insert({
      table: 'forecasts',
      format: 'JSONEachRow',
      values: halfHours(r.origin, r.days).map((t) => ({
        run_id: r.run_id,
        queue: 'billing',
        channel: 'voice',
        interval_start: at(t),
        volume: r.volume,
        aht: 300,
        lo80: r.volume - 1,
        hi80: r.volume + 1,
        lo95: r.volume - 1.5,
        hi95: r.volume + 2,
        model: 'seasonal-naive',
      })),
    });
  }
  await c.insert({
    table: 'staffing_requirements',
    format: 'JSONEachRow',
    values: halfHours(RUNS[1].origin, RUNS[1].days).map((t) => ({
      run_id: 'run-b',
      queue: 'billing',
      channel: 'voice',
      interval_start: at(t),
      volume: 3,
      aht: 300,
      required: 3,
      scheduled_needed: 4,
      expected_sl: 0.85,
      asa: 10,
      occupancy: 0.5,
      abandon: 0.02,
      target_met: true,
      model: 'erlang-a',
      threshold_s: 20,
      sl_target: 0.8,
      max_occupancy: 0.85,
      shrinkage: 0.3,
      patience_s: 120,
    })),
  });
  await c.insert({
    table: 'shift_plans',
    format: 'JSONEachRow',
    values: [
      {
        queue: 'billing',
        week: '2026-11-09',
        channel: 'voice',
        run_id: 'run-b',
        solved_at: at('2026-11-14T03:00:00Z'),
        patterns: '{"patterns":[]}',
        plan: JSON.stringify({
          status: 'Optimal',
          optimal: true,
          gap: 0,
          objective: 100,
          agentsStarted: 5,
          shifts: [],
          coverage: PLAN_COVERAGE,
        }),
      },
    ],
  });
  await c.insert({
    table: 'dead_letters',
    format: 'JSONEachRow',
    values: DEAD_LETTER_ERRORS.map((error, i) => ({
      received_at: at(new Date(nowMs - 60_000 * (i + 1)).toISOString()),
      error,
      raw: `{"n":${i}`,
      event_id: '',
      type: '',
      _source: 'http',
      _topic: '',
      _partition: 0,
      _offset: 0,
      _request_id: `req-${i}`,
      _item: i,
    })),
  });
}
