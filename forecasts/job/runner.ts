// One forecast run at a time per store: POST /v1/forecasts/run and the nightly schedule share
// it. The run goes on in the background; its outcome stays queryable by run_id.
import { randomUUID } from 'node:crypto';
import type { ClickHouseClient } from '@clickhouse/client';
import { runForecastJob, type ForecastJobOptions, type ForecastJobResult } from './run.js';

export interface RunState {
  runId: string;
  status: 'running' | 'ok' | 'failed';
  startedAt: string;
  result?: ForecastJobResult;
  error?: string;
}

export class ForecastRunner {
  private current: { state: RunState; done: Promise<void> } | undefined;
  private readonly history = new Map<string, RunState>();

  constructor(
    private readonly client: ClickHouseClient,
    private readonly defaults: ForecastJobOptions = {},
  ) {}

  /** Starts a run unless one is going (then returns that one, started = false). */
  start(options: ForecastJobOptions = {}): { state: RunState; started: boolean; done: Promise<void> } {
    if (this.current && this.current.state.status === 'running') return { ...this.current, started: false };
    const runId = randomUUID();
    const state: RunState = { runId, status: 'running', startedAt: new Date().toISOString() };
    this.history.set(runId, state);
    // keep the last 100 runs' states (Map iterates in insertion order)
    for (const old of this.history.keys()) {
      if (this.history.size <= 100) break;
      this.history.delete(old);
    }
    const done = runForecastJob(this.client, { ...this.defaults, ...options, runId }).then(
      (result) => {
        state.status = 'ok';
        state.result = result;
      },
      (error: unknown) => {
        state.status = 'failed';
        state.error = error instanceof Error ? error.message : String(error);
      },
    );
    this.current = { state, done };
    return { state, started: true, done };
  }

  get(runId: string): RunState | undefined {
    return this.history.get(runId);
  }

  /** Resolves when the run in progress (if any) has finished. */
  async idle(): Promise<void> {
    await this.current?.done;
  }
}

const runners = new WeakMap<ClickHouseClient, ForecastRunner>();

/** The runner of a store's client, created on first use. */
export function runnerFor(client: ClickHouseClient): ForecastRunner {
  let r = runners.get(client);
  if (!r) runners.set(client, (r = new ForecastRunner(client)));
  return r;
}
