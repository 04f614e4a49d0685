// Kafka → raw tables, at least once: offsets are committed only after the rows (and the dead
// letters) up to them are acknowledged by the store. Duplicates from redelivery collapse in the
// store (ReplacingMergeTree on event_id; reads use FINAL).
import { Kafka, logLevel as KafkaLogLevel, type Consumer, type EachBatchPayload } from 'kafkajs';
import type { Logger } from 'pino';
import type { IngestConfig, KafkaConfig } from '../../src/config/index.js';
import { Batcher } from './batcher.js';
import type { IngestMetrics } from './metrics.js';
import type { BatchWriter } from './writer.js';

export interface KafkaIngestor {
  start(): Promise<void>;
  /** Stops fetching, writes what is buffered, commits it, leaves the group. */
  stop(graceMs?: number): Promise<void>;
  /** True when the last fetch was recent and the consumer has not crashed. */
  healthy(): boolean;
}

export function createKafkaIngestor(
  kafka: KafkaConfig,
  ingest: IngestConfig,
  writer: BatchWriter,
  metrics: IngestMetrics,
  log: Logger,
): KafkaIngestor {
  const client = new Kafka({
    clientId: 'callcast-ingest',
    brokers: kafka.brokers,
    logLevel: KafkaLogLevel.WARN,
    logCreator: () => ({ level, log: entry }) => {
      const { message, ...rest } = entry.log;
      log[level <= KafkaLogLevel.ERROR ? 'error' : 'warn']({ kafka: rest }, message);
    },
    retry: { retries: 10, initialRetryTime: 300, maxRetryTime: 16_000 },
  });
  const consumer: Consumer = client.consumer({
    groupId: kafka.groupId,
    maxWaitTimeInMs: Math.min(ingest.flushMs, 500),
    maxBytesPerPartition: 4 * 1024 * 1024,
    maxBytes: 32 * 1024 * 1024,
    sessionTimeout: 30_000,
    heartbeatInterval: 3_000,
  });
  let lastFetchAt = 0;
  let crashed = false;
  consumer.on(consumer.events.FETCH, () => {
    lastFetchAt = Date.now();
    crashed = false;
  });
  consumer.on(consumer.events.CRASH, (event) => {
    crashed = true;
    log.error({ err: event.payload.error?.message, restart: event.payload.restart }, 'kafka consumer crashed');
  });

  const batcher = new Batcher(
    writer,
    async (positions) => {
      const offsets = [...positions.values()].map((p) => ({ topic: p.topic, partition: p.partition, offset: String(p.offset + 1) }));
      try {
        await consumer.commitOffsets(offsets);
      } catch (error) {
        // The rows are stored; a lost commit only means redelivery, which the store dedupes.
        log.warn({ err: (error as Error).message }, 'offset commit failed; the batch may be redelivered');
      }
    },
    ingest,
    metrics,
    log,
  );

  async function eachBatch({ batch, resolveOffset, heartbeat, isRunning, isStale }: EachBatchPayload) {
    for (const message of batch.messages) {
      if (!isRunning() || isStale()) return;
      metrics.received.inc({ source: 'kafka' });
      const offset = Number(message.offset);
      await batcher.add(message.value?.toString('utf8') ?? '', { source: 'kafka', topic: batch.topic, partition: batch.partition, offset });
      // Resolving only moves the fetch position on; commits happen after the store acknowledges.
      resolveOffset(message.offset);
    }
    metrics.consumerLag.set({ topic: batch.topic, partition: String(batch.partition) }, Number(batch.offsetLag()));
    await heartbeat();
  }

  return {
    async start() {
      await consumer.connect();
      for (const topic of kafka.topics) await consumer.subscribe({ topic, fromBeginning: true });
      await consumer.run({ autoCommit: false, eachBatchAutoResolve: false, partitionsConsumedConcurrently: 1, eachBatch });
      log.info({ brokers: kafka.brokers, topics: kafka.topics, groupId: kafka.groupId }, 'consuming from kafka');
    },
    async stop(graceMs = 15_000) {
      await consumer.stop();
      try {
        await batcher.close(graceMs);
      } catch {
        // Already logged by the batcher; uncommitted rows come back on the next start.
      }
      await consumer.disconnect();
    },
    healthy() {
      return !crashed && Date.now() - lastFetchAt < 30_000;
    },
  };
}
