// Simulated history into a temp store through the normal ingest path.
import { pino } from 'pino';
import { Registry } from 'prom-client';
import { simulateHistoryBatches, type SimulateOptions } from '../../../pipelines/simulate/generator.js';
import { storeSink } from '../../../pipelines/ingest/store-sink.js';
import { BatchWriter } from '../../../pipelines/ingest/writer.js';
import { createIngestMetrics } from '../../../pipelines/ingest/prometheus.js';
import type { Store } from '../../../src/store/index.js';

export const SEED_START = '2026-09-07'; // a Monday
export const SEED_DAYS = 35;

export async function seedHistory(store: Store, options: SimulateOptions = {}): Promise<number> {
  const writer = new BatchWriter(store, createIngestMetrics(new Registry()), pino({ level: 'silent' }));
  const sink = storeSink(writer);
  let n = 0;
  for (const batch of simulateHistoryBatches(
    { days: SEED_DAYS, queues: 2, seed: 5, start: SEED_START, volumeScale: 0.3, ...options },
    20_000,
  )) {
    await sink.send(batch);
    n += batch.length;
  }
  return n;
}
