// `simulate --to store`: the configured store, migrated, written through the ingest writer.
import { Registry } from 'prom-client';
import { loadConfig } from '../config/index.js';
import { createLogger } from '../logger.js';
import { migrateStore, openStore } from '../store/index.js';
import { createIngestMetrics } from '../../pipelines/ingest/prometheus.js';
import { storeSink } from '../../pipelines/ingest/store-sink.js';
import { BatchWriter } from '../../pipelines/ingest/writer.js';
import type { EventSink } from '../../pipelines/simulate/sinks.js';

export async function openStoreSink(): Promise<EventSink> {
  const config = loadConfig();
  const store = await openStore(config.store);
  await migrateStore(store);
  const writer = new BatchWriter(
    store,
    createIngestMetrics(new Registry()),
    createLogger(config.logLevel === 'info' ? 'warn' : config.logLevel),
  );
  const sink = storeSink(writer);
  return {
    send: (events) => sink.send(events),
    async close() {
      await store.close();
    },
  };
}
