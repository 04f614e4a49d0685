// The real app over a store, with the options the metrics API adds (keys, clock, deadlines).
import { pino } from 'pino';
import { Registry } from 'prom-client';
import { buildApp, type AppDeps } from '../../src/api/app.js';
import { createIngestMetrics } from '../../pipelines/ingest/prometheus.js';
import { BatchWriter } from '../../pipelines/ingest/writer.js';
import type { Store } from '../../src/store/index.js';

export async function metricsApp(store: Store, options: Partial<AppDeps> = {}) {
  const logger = pino({ level: 'silent' });
  const registry = new Registry();
  const ingestMetrics = createIngestMetrics(registry);
  const writer = new BatchWriter(store, ingestMetrics, logger);
  return buildApp({ store, writer, ingestMetrics, registry, logger, ...options });
}
