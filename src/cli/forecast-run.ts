// `callcast forecast run`: the database job (forecasts/job) against the configured store.
import type { Command } from 'commander';
import { InvalidArgumentError } from 'commander';
import { loadConfig } from '../config/index.js';
import { snakeKeys } from './output.js';

/** "6w", "42d" or "42" (days) → days. */
export function parseHorizonDays(value: string): number {
  const m = /^(\d+)([wd]?)$/.exec(value.trim());
  const days = m ? Number(m[1]) * (m[2] === 'w' ? 7 : 1) : NaN;
  if (!Number.isInteger(days) || days < 1 || days > 366)
    throw new InvalidArgumentError('expected e.g. 6w, 42d or 42 (1 day to 366 days)');
  return days;
}

interface RunOptions {
  queue?: string[];
  horizon: number;
  asOf?: string;
  workers?: number;
}

export function registerForecastRun(forecast: Command): void {
  forecast
    .command('run')
    .description(
      'Read half-hour history from the store, fit every queue × channel, write forecasts, forecast_runs and staffing_requirements',
    )
    .option('--queue <name...>', 'only these queues (default: all with history)')
    .option('--horizon <duration>', 'how far ahead: 6w, 42d or days', parseHorizonDays, 42)
    .option('--as-of <iso>', "the run's now: history ends at the UTC midnight before it (default: now)")
    .option('--workers <n>', 'worker threads (0 = inline)', (v) => {
      const n = Number(v);
      if (!Number.isInteger(n) || n < 0 || n > 64) throw new InvalidArgumentError('a whole number 0–64');
      return n;
    })
    .action(async (options: RunOptions) => {
      const asOf = options.asOf === undefined ? undefined : Date.parse(options.asOf);
      if (asOf !== undefined && !Number.isFinite(asOf))
        throw new InvalidArgumentError(`--as-of: not a time: ${options.asOf}`);
      const config = loadConfig();
      const [{ SingleBar, Presets }, { pino }, { migrateStore, openStore }, { runForecastJob }] = await Promise.all([
        import('cli-progress'),
        import('pino'),
        import('../store/index.js'),
        import('../../forecasts/job/run.js'),
      ]);
      const store = await openStore(config.store);
      const log = pino({ base: { cmd: 'forecast run' } }, pino.destination(2));
      const bar = process.stderr.isTTY
        ? new SingleBar(
            { stream: process.stderr, format: 'forecast run {stage} [{bar}] {value}/{total}', hideCursor: true },
            Presets.shades_classic,
          )
        : undefined;
      let barStage = '';
      try {
        await migrateStore(store);
        const result = await runForecastJob(store.client, {
          horizonDays: options.horizon,
          ...(options.queue ? { queues: options.queue } : {}),
          ...(asOf !== undefined ? { asOf } : {}),
          ...(options.workers !== undefined ? { workers: options.workers } : {}),
          onProgress: (stage, done, total) => {
            if (!bar) return log.info({ stage, done, total }, 'progress');
            if (stage !== barStage) {
              if (barStage) bar.stop();
              bar.start(total, done, { stage });
              barStage = stage;
            } else bar.update(done, { stage });
          },
        });
        bar?.stop();
        process.stdout.write(`${JSON.stringify(snakeKeys(result), null, 2)}\n`);
        if (result.series.some((s) => s.status === 'failed')) process.exitCode = 1;
      } finally {
        bar?.stop();
        await store.close();
      }
    });
}
