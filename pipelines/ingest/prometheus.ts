// Prometheus figures for the ingest path, registered on the service's registry.
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

export interface IngestMetrics {
  received: Counter<'source'>;
  stored: Counter<'table'>;
  deadLettered: Counter;
  batches: Counter;
  insertErrors: Counter<'table'>;
  batchSeconds: Histogram;
  consumerLag: Gauge<'topic' | 'partition'>;
  bufferedRows: Gauge;
  storeUp: Gauge;
  consumerRestarts: Counter;
}

export function createIngestMetrics(registry: Registry): IngestMetrics {
  const registers = [registry];
  return {
    received: new Counter({
      name: 'callcast_events_received_total',
      help: 'Events received, by source',
      labelNames: ['source'],
      registers,
    }),
    stored: new Counter({
      name: 'callcast_events_stored_total',
      help: 'Events stored, by raw table',
      labelNames: ['table'],
      registers,
    }),
    deadLettered: new Counter({
      name: 'callcast_events_dead_lettered_total',
      help: 'Invalid events written to dead_letters',
      registers,
    }),
    batches: new Counter({ name: 'callcast_ingest_batches_total', help: 'Batches written', registers }),
    insertErrors: new Counter({
      name: 'callcast_insert_errors_total',
      help: 'Failed inserts (each retried)',
      labelNames: ['table'],
      registers,
    }),
    batchSeconds: new Histogram({
      name: 'callcast_batch_write_seconds',
      help: 'Time to write one batch, retries included',
      buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers,
    }),
    consumerLag: new Gauge({
      name: 'callcast_kafka_consumer_lag',
      help: 'Messages behind the high watermark',
      labelNames: ['topic', 'partition'],
      registers,
    }),
    bufferedRows: new Gauge({ name: 'callcast_ingest_buffered_rows', help: 'Rows waiting in the batcher', registers }),
    storeUp: new Gauge({ name: 'callcast_store_up', help: '1 when the last insert succeeded', registers }),
    consumerRestarts: new Counter({
      name: 'callcast_kafka_consumer_restarts_total',
      help: 'Stalled consumers restarted by the watchdog',
      registers,
    }),
  };
}
