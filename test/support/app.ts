// The real app over a temp embedded store, driven with inject (no sockets).
import { pino } from 'pino';
import { Registry } from 'prom-client';
import { buildApp } from '../../src/api/app.js';
import { createIngestMetrics } from '../../pipelines/ingest/prometheus.js';
import { BatchWriter } from '../../pipelines/ingest/writer.js';
import type { Store } from '../../src/store/index.js';

export async function testApp(store: Store, options: { ingestTimeoutMs?: number } = {}) {
  const logger = pino({ level: 'silent' });
  const registry = new Registry();
  const ingestMetrics = createIngestMetrics(registry);
  const writer = new BatchWriter(store, ingestMetrics, logger);
  const app = await buildApp({ store, writer, ingestMetrics, registry, logger, ...options });
  return { app, writer, registry };
}
