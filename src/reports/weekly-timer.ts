// The weekly report inside the service: at a fixed weekday and time (UTC), the report of the
// ISO week that just ended, all queues, built afresh and stored.
import type { ClickHouseClient } from '@clickhouse/client';
import type { WeeklyTime } from '../config/env.js';
import { produceReport } from './produce.js';
import { formatIsoWeek, shiftWeek, weekOf } from './week.js';

export type { WeeklyTime };

/** The next instant strictly after `nowMs` at that weekday and time, UTC. */
export function nextWeeklyRun(at: WeeklyTime, nowMs: number): number {
  const d = new Date(nowMs);
  const today = (d.getUTCDay() + 6) % 7;
  let t = Date.UTC(
    d.getUTCFullYear(),
    d.getUTCMonth(),
    d.getUTCDate() + ((at.weekday - today + 7) % 7),
    at.hour,
    at.minute,
  );
  if (t <= nowMs) t += 7 * 86_400_000;
  return t;
}

export interface ReportScheduler {
  next(): number;
  stop(): Promise<void>;
}

interface Log {
  info(o: object, m: string): void;
  error(o: object, m: string): void;
}

export function startReportScheduler(
  client: ClickHouseClient,
  at: WeeklyTime,
  log: Log,
  now: () => number = Date.now,
): ReportScheduler {
  let timer: NodeJS.Timeout | undefined;
  let nextAt = 0;
  let stopped = false;
  let running: Promise<void> = Promise.resolve();
  const arm = () => {
    if (stopped) return;
    nextAt = nextWeeklyRun(at, now());
    // setTimeout caps near 24.8 days; a week is well inside it
    timer = setTimeout(tick, Math.max(0, nextAt - now()));
    timer.unref();
  };
  const tick = () => {
    const week = shiftWeek(weekOf(now(), 'UTC'), 1);
    const started = Date.now();
    running = produceReport(client, { week, now: now(), refresh: true, trigger: 'schedule' })
      .then((p) =>
        log.info(
          { week: formatIsoWeek(week), source: p.source, ms: Date.now() - started },
          'weekly VOC report produced',
        ),
      )
      .catch((err: unknown) => log.error({ week: formatIsoWeek(week), err }, 'weekly VOC report failed'));
    arm();
  };
  arm();
  return {
    next: () => nextAt,
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running;
    },
  };
}
