// Simulated history into a temp store through the normal ingest path (as the service does).
import { pino } from 'pino';
import { Registry } from 'prom-client';
import { simulateHistoryBatches, type SimulateOptions } from '../../pipelines/simulate/generator.js';
import { storeSink } from '../../pipelines/ingest/store-sink.js';
import { BatchWriter } from '../../pipelines/ingest/writer.js';
import { createIngestMetrics } from '../../pipelines/ingest/prometheus.js';
import type { Store } from '../../src/store/index.js';

export async function seed(store: Store, options: SimulateOptions): Promise<number> {
  const writer = new BatchWriter(store, createIngestMetrics(new Registry()), pino({ level: 'silent' }));
  const sink = storeSink(writer);
  let n = 0;
  for (const batch of simulateHistoryBatches(options, 50_000)) {
    await sink.send(batch);
    n += batch.length;
  }
  return n;
}
