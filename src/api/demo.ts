// The embedded demo: seeds eight weeks of simulated history (when the store is empty), then
// streams live simulated events paced to the wall clock, through the normal ingest writer.
import type { Logger } from 'pino';
import { simulateLive } from '../../pipelines/simulate/generator.js';
import { storeSink } from '../../pipelines/ingest/store-sink.js';
import type { BatchWriter } from '../../pipelines/ingest/writer.js';

export const DEMO_HISTORY_DAYS = 56;
export const DEMO_QUEUES = 5;

export interface DemoSimulation {
  stop(): Promise<void>;
}

export function startDemoSimulation(
  writer: BatchWriter,
  log: Logger,
  options: { seedHistory: boolean },
): DemoSimulation {
  const abort = new AbortController();
  const sink = storeSink(writer);
  const days = options.seedHistory ? DEMO_HISTORY_DAYS : 0;
  log.info(
    { days, queues: DEMO_QUEUES },
    options.seedHistory ? 'seeding a simulated contact centre, then streaming live' : 'streaming live simulated events',
  );
  const running = (async () => {
    let sent = 0;
    let seeded = !options.seedHistory;
    const started = Date.now();
    for await (const batch of simulateLive({
      days,
      queues: DEMO_QUEUES,
      seed: 1,
      batchSize: 20_000,
      signal: abort.signal,
    })) {
      await sink.send(batch);
      sent += batch.length;
      const last = batch[batch.length - 1];
      const lastAt =
        last === undefined ? 0 : typeof last.occurred_at === 'number' ? last.occurred_at : Date.parse(last.occurred_at);
      if (!seeded && Date.now() - lastAt < 60_000) {
        seeded = true;
        log.info({ events: sent, seconds: (Date.now() - started) / 1000 }, 'simulated history loaded; live from now');
      }
    }
  })().catch((error: unknown) => {
    if (!abort.signal.aborted) log.error({ err: (error as Error).message }, 'simulator stopped');
  });
  return {
    async stop() {
      abort.abort();
      await running;
    },
  };
}
