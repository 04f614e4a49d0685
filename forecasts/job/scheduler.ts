// Runs the forecast job once a day at a fixed UTC time inside the service. A run that is
// still going at the next tick is not doubled (the runner starts one at a time).
import type { ForecastRunner } from './runner.js';

export interface DailyTime {
  hour: number;
  minute: number;
}

/** The next instant strictly after `nowMs` at hh:mm UTC. */
export function nextRunAt(at: DailyTime, nowMs: number): number {
  const d = new Date(nowMs);
  let t = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate(), at.hour, at.minute);
  if (t <= nowMs) t += 86_400_000;
  return t;
}

export interface ForecastScheduler {
  /** When the next run starts (epoch ms). */
  next(): number;
  stop(): Promise<void>;
}

export function startForecastScheduler(
  runner: ForecastRunner,
  at: DailyTime,
  log: { info(o: object, m: string): void; error(o: object, m: string): void },
  now: () => number = Date.now,
): ForecastScheduler {
  let timer: NodeJS.Timeout | undefined;
  let nextAt = 0;
  let stopped = false;
  const arm = () => {
    if (stopped) return;
    nextAt = nextRunAt(at, now());
    // setTimeout caps near 24.8 days; a day is well inside it
    timer = setTimeout(tick, Math.max(0, nextAt - now()));
    timer.unref();
  };
  const tick = () => {
    const { state, started, done } = runner.start({ asOf: now() });
    log.info(
      { run_id: state.runId, started },
      started ? 'scheduled forecast run started' : 'scheduled forecast run skipped: one is running',
    );
    void done.then(() => {
      if (state.status === 'failed')
        log.error({ run_id: state.runId, err: state.error }, 'scheduled forecast run failed');
      else log.info({ run_id: state.runId, seconds: state.result?.seconds }, 'scheduled forecast run finished');
    });
    arm();
  };
  arm();
  return {
    next: () => nextAt,
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await runner.idle();
    },
  };
}
