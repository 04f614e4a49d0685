// `callcast simulate`: the synthetic contact centre, to the store, Kafka, HTTP or stdout.
import { type Command, InvalidArgumentError, Option } from 'commander';
import type { Surge } from '../../pipelines/simulate/generator.js';
import type { EventSink } from '../../pipelines/simulate/sinks.js';

/** MAX_QUEUES of pipelines/simulate/profiles.ts, which loads only when the command runs (test/cli checks they agree). */
export const SIMULATE_MAX_QUEUES = 50;

export interface SimulateDeps {
  /** The store writer (pipelines/ingest), opened only when `--to store`. */
  storeSink: () => Promise<EventSink>;
}

const DESTINATIONS = ['store', 'kafka', 'http', 'stdout'] as const;
type Destination = (typeof DESTINATIONS)[number];

function wholeNumber(flag: string, min: number, max: number) {
  return (raw: string): number => {
    if (!/^\d+$/.test(raw.trim())) throw new InvalidArgumentError(`${flag} must be a whole number, got "${raw}"`);
    const n = Number(raw);
    if (n < min || n > max) throw new InvalidArgumentError(`${flag} must be from ${min} to ${max}, got ${n}`);
    return n;
  };
}

function positiveNumber(flag: string, max: number) {
  return (raw: string): number => {
    const n = Number(raw);
    if (raw.trim() === '' || !Number.isFinite(n) || n <= 0 || n > max) {
      throw new InvalidArgumentError(`${flag} must be a number above 0 and at most ${max}, got "${raw}"`);
    }
    return n;
  };
}

function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

interface Flags {
  days?: number;
  queues: number;
  live?: boolean;
  rate?: number;
  seed: string;
  surge?: string[];
  start?: string;
  to: Destination;
  brokers: string;
  topic: string;
  url: string;
  apiKey?: string;
  staffing: number;
  volume: number;
}

export function registerSimulateCommand(program: Command, deps: SimulateDeps): void {
  program
    .command('simulate')
    .description('Generate a realistic synthetic contact centre: history over --days, or a live stream (--live)')
    .option(
      '--days <n>',
      'days of history (with --live: days to backfill before streaming)',
      wholeNumber('--days', 0, 3660),
    )
    .option(
      '--queues <k>',
      `number of queues (1–${SIMULATE_MAX_QUEUES}): billing, tech-support, sales, retention, general, billing-2, …`,
      wholeNumber('--queues', 1, SIMULATE_MAX_QUEUES),
      5,
    )
    .option('--live', 'stream events paced to the wall clock until interrupted')
    .option(
      '--rate <x>',
      'with --live: simulated seconds per real second (60 = a minute per second)',
      positiveNumber('--rate', 1_000_000),
    )
    .option('--seed <s>', 'seed of every random draw (same seed, same output)', '1')
    .option(
      '--surge <reason:factor:start>',
      "multiply a contact reason's arrivals by factor from start (ISO UTC time, or +30m/+6h/+2d after the simulation start); repeatable",
      collect,
    )
    .option(
      '--start <time>',
      'first simulated instant (ISO-8601, UTC unless an offset is given); default: --days days before today 00:00 UTC, or now with --live',
    )
    .addOption(new Option('--to <sink>', 'where events go').choices(DESTINATIONS).default('store'))
    .option('--brokers <list>', 'with --to kafka: comma-separated host:port list', 'localhost:9092')
    .option('--topic <name>', 'with --to kafka: topic', 'callcast.events')
    .option('--url <url>', 'with --to http: service base URL (POSTs to <url>/v1/events)', 'http://127.0.0.1:3000')
    .option('--api-key <key>', 'with --to http: API key')
    .option(
      '--staffing <factor>',
      'multiply every staffing target (0.8 = 20 % short)',
      positiveNumber('--staffing', 10),
      1,
    )
    .option('--volume <factor>', "multiply every queue's volume", positiveNumber('--volume', 100), 1)
    .action(async (flags: Flags, command: Command) => {
      const [generator, { queueProfiles }, { httpSink, kafkaSink, ndjsonSink }] = await Promise.all([
        import('../../pipelines/simulate/generator.js'),
        import('../../pipelines/simulate/profiles.js'),
        import('../../pipelines/simulate/sinks.js'),
      ]);
      const { defaultStart, parseSurge, parseUtc, simulateHistoryBatches, simulateLive } = generator;
      const given = (name: string) => command.getOptionValueSource(name) === 'cli';
      const fail = (message: string): never => command.error(`error: ${message}`, { exitCode: 2 });
      const live = flags.live === true;
      if (!live && given('rate')) fail('--rate only applies with --live');
      if (flags.to !== 'kafka' && (given('brokers') || given('topic')))
        fail(`--brokers/--topic only apply with --to kafka (got --to ${flags.to})`);
      if (flags.to !== 'http' && (given('url') || given('apiKey')))
        fail(`--url/--api-key only apply with --to http (got --to ${flags.to})`);
      const days = flags.days ?? (live ? 0 : 7);
      if (!live && days < 1) fail('--days must be at least 1 without --live');

      let start: number;
      if (flags.start !== undefined) {
        start = parseUtc(flags.start);
        if (!Number.isFinite(start))
          fail(`--start must be an ISO-8601 time like 2026-11-02 or 2026-11-02T08:00Z, got "${flags.start}"`);
      } else start = live && days === 0 ? Date.now() : defaultStart(days);

      const surges: Surge[] = [];
      for (const spec of flags.surge ?? []) {
        try {
          surges.push(parseSurge(spec, start));
        } catch (error) {
          fail(`--surge: ${(error as Error).message}`);
        }
      }
      const reasons = new Set(queueProfiles(flags.queues).flatMap((p) => p.reasons.map((r) => r.reason)));
      for (const s of surges) {
        if (!reasons.has(s.reason))
          fail(
            `--surge: "${s.reason}" is not a contact reason of the ${flags.queues} simulated queues (known: ${[...reasons].join(', ')})`,
          );
      }
      const brokers = flags.brokers
        .split(',')
        .map((b) => b.trim())
        .filter(Boolean);
      if (flags.to === 'kafka') {
        if (brokers.length === 0 || brokers.some((b) => !/^[A-Za-z0-9.\-_[\]:]+:\d{1,5}$/.test(b))) {
          fail(`--brokers must be host:port[,host:port…], got "${flags.brokers}"`);
        }
        if (!/^[A-Za-z0-9._-]{1,249}$/.test(flags.topic))
          fail(`--topic "${flags.topic}" is not a valid Kafka topic name`);
      }
      if (flags.to === 'http') {
        try {
          const u = new URL(flags.url);
          if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new Error();
        } catch {
          fail(`--url must be an http(s) URL such as http://127.0.0.1:3000, got "${flags.url}"`);
        }
      }
      const seed = /^\d{1,15}$/.test(flags.seed) ? Number(flags.seed) : flags.seed;
      const options = {
        days,
        queues: flags.queues,
        seed,
        start,
        surges,
        staffingFactor: flags.staffing,
        volumeScale: flags.volume,
      };

      const sink: EventSink =
        flags.to === 'store'
          ? await deps.storeSink()
          : flags.to === 'kafka'
            ? kafkaSink({ brokers, topic: flags.topic })
            : flags.to === 'http'
              ? httpSink({ url: flags.url, apiKey: flags.apiKey })
              : ndjsonSink(process.stdout);
      const log = (line: string) => process.stderr.write(`simulate: ${line}\n`);
      const began = performance.now();
      let count = 0;
      const abort = new AbortController();
      const onSignal = () => abort.abort();
      process.once('SIGINT', onSignal);
      process.once('SIGTERM', onSignal);
      try {
        if (live) {
          log(`live from ${new Date(start).toISOString()} at ${flags.rate ?? 1}× → ${flags.to} (Ctrl-C to stop)`);
          let lastReport = performance.now();
          for await (const batch of simulateLive({ ...options, rate: flags.rate ?? 1, signal: abort.signal })) {
            await sink.send(batch);
            count += batch.length;
            if (performance.now() - lastReport > 10_000) {
              lastReport = performance.now();
              log(`${count} events so far, simulated time ${String(batch[batch.length - 1]?.occurred_at)}`);
            }
          }
        } else {
          const batchSize = flags.to === 'store' ? 10_000 : 1000;
          for (const batch of simulateHistoryBatches(options, batchSize)) {
            if (abort.signal.aborted) break;
            await sink.send(batch);
            count += batch.length;
          }
        }
      } catch (error) {
        // `callcast simulate --to stdout | head`: the reader left; that is not a failure.
        if (flags.to !== 'stdout' || (error as NodeJS.ErrnoException).code !== 'EPIPE') throw error;
      } finally {
        process.off('SIGINT', onSignal);
        process.off('SIGTERM', onSignal);
        await sink.close();
      }
      const seconds = (performance.now() - began) / 1000;
      const span = live ? '' : ` over ${new Date(start).toISOString()} + ${days} d`;
      log(
        `${count} events${span}, seed ${String(seed)}, ${flags.queues} queues → ${flags.to} in ${seconds.toFixed(1)} s`,
      );
    });
}
