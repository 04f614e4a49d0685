// A finished forecast run with a flat plan, for tests of what reads the latest run (the live
// staffing gap, its alert and the wallboard tile): each slot of the day forecasts `volume`
// contacts of 240 s and requires 3 agents (sized with T = 20 s, 80 %, occupancy ≤ 0.85,
// shrinkage 0.3).
import type { ClickHouseClient } from '@clickhouse/client';

export interface FlatRun {
  runId: string;
  queue: string;
  /** The local day, YYYY-MM-DD (UTC queues in these tests). */
  day: string;
  /** HH:MM starts of the half-hours the run covers. */
  slots: string[];
  historyStart?: string;
  /** Write the forecasts table too (the staffing requirement alone is enough for the gap). */
  withForecasts?: boolean;
}

export async function seedFlatForecastRun(c: ClickHouseClient, run: FlatRun): Promise<void> {
  const { runId, queue, day, slots } = run;
  await c.insert({
    table: 'forecast_runs',
    format: 'JSONEachRow',
    values: [
      {
        run_id: runId,
        queue,
        channel: 'voice',
        model: 'ensemble',
        weight: 1,
        ensemble: '',
        history_start: run.historyStart ?? '2026-09-01 00:00:00',
        origin: `${day} 00:00:00`,
        horizon: 48,
        backtest_origins: 0,
        backtest_horizon: 0,
        started_at: `${day} 00:00:00.000`,
        finished_at: `${day} 00:01:00.000`,
        status: 'ok',
        error: '',
      },
    ],
  });
  const common = { run_id: runId, queue, channel: 'voice', volume: 10, aht: 240 };
  if (run.withForecasts ?? true)
    await c.insert({
      table: 'forecasts',
      format: 'JSONEachRow',
      values: slots.map((s) => ({
        ...common,
        interval_start: `${day} ${s}:00`,
        lo80: 8,
        hi80: 12,
        lo95: 6,
        hi95: 14,
        model: 'ensemble',
      })),
    });
  await c.insert({
    table: 'staffing_requirements',
    format: 'JSONEachRow',
    values: slots.map((s) => ({
      ...common,
      interval_start: `${day} ${s}:00`,
      required: 3,
      scheduled_needed: 3,
      expected_sl: 0.8,
      asa: 0,
      occupancy: 0.5,
      abandon: 0,
      target_met: true,
      model: 'erlang-c',
      threshold_s: 20,
      sl_target: 0.8,
      max_occupancy: 0.85,
      shrinkage: 0.3,
      patience_s: null,
      concurrency: 1,
    })),
  });
}
