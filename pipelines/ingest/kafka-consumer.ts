// Kafka → raw tables, at least once: offsets are committed only after the rows (and the dead
// letters) up to them are acknowledged by the store. Duplicates from redelivery collapse in the
// store (ReplacingMergeTree on event_id; reads use FINAL).
import { Kafka, logLevel as KafkaLogLevel, type Consumer, type EachBatchPayload } from 'kafkajs';
import type { Logger } from 'pino';
import type { IngestConfig, KafkaConfig } from '../../src/config/index.js';
import { withTimeout } from '../../src/store/index.js';
import { Batcher } from './batcher.js';
import { createLagProbe, partitionKey } from './kafka-lag.js';
import { applyKafkajsFixes } from './kafkajs-fixes.js';
import type { IngestMetrics } from './prometheus.js';
import type { BatchWriter } from './writer.js';

export interface KafkaIngestor {
  start(): Promise<void>;
  /** Stops fetching, writes what is buffered, commits it, leaves the group. */
  stop(graceMs?: number): Promise<void>;
  /** True when the last fetch was recent and the consumer has not crashed. */
  healthy(): boolean;
}

/**
 * kafkajs emits FETCH every maxWaitTime even when idle, so this long without one is a stall; so
 * is this long without a batch while messages wait beyond what was read. Longer than a rejoin
 * (up to the session timeout), so the watchdog never replaces a consumer that is rejoining.
 */
const STALL_MS = 30_000;
/**
 * How long the coordinator keeps a silent member. A consumer that crashed (every broker down)
 * rejoins as a new member, and the rebalance waits up to this long for the old one.
 */
const SESSION_TIMEOUT_MS = 10_000;

type Position = { topic: string; partition: number; offset: number };

export function createKafkaIngestor(
  kafka: KafkaConfig,
  ingest: IngestConfig,
  writer: BatchWriter,
  metrics: IngestMetrics,
  log: Logger,
): KafkaIngestor {
  const stallMs = STALL_MS;
  if (!applyKafkajsFixes())
    log.warn('kafkajs is not 2.2.4: its consumer-group fixes were not applied (see docs/reliability.md)');
  const client = new Kafka({
    clientId: 'callcast-ingest',
    brokers: kafka.brokers,
    logLevel: KafkaLogLevel.WARN,
    logCreator:
      () =>
      ({ namespace, level, log: entry }) => {
        const { message, timestamp: _timestamp, ...rest } = entry;
        log[level <= KafkaLogLevel.ERROR ? 'error' : 'warn']({ kafka: { namespace, ...rest } }, message);
      },
    // A consumer that gives up stops ingesting for good: restart it, whatever the error was,
    // after kafkajs's own backoff. Offsets were never committed past what is stored.
    retry: { retries: 10, initialRetryTime: 300, maxRetryTime: 16_000, restartOnFailure: async () => true },
  });

  let lastFetchAt = 0;
  let lastBatchAt = 0;
  let startedAt = Date.now();
  let lastProbeAt = 0;
  /** Next offset to read per topic/partition, as far as this process has read. */
  const readUpTo = new Map<string, number>();
  const lagProbe = createLagProbe(client, kafka.groupId, kafka.topics);
  let crashed = false;
  let consumer: Consumer = newConsumer();

  function newConsumer(): Consumer {
    const created = client.consumer({
      groupId: kafka.groupId,
      maxWaitTimeInMs: Math.min(ingest.flushMs, 500),
      maxBytesPerPartition: 1024 * 1024,
      maxBytes: 10 * 1024 * 1024,
      sessionTimeout: SESSION_TIMEOUT_MS,
      heartbeatInterval: 3_000,
    });
    created.on(created.events.FETCH, () => {
      lastFetchAt = Date.now();
      crashed = false;
    });
    created.on(created.events.CRASH, (event) => {
      crashed = true;
      log.error({ err: event.payload.error?.message, restart: event.payload.restart }, 'kafka consumer crashed');
    });
    return created;
  }

  // Positions stored but not yet committed. A failed commit (coordinator moving, rebalance,
  // timeout) is retried every second, so the group's offsets catch up even when no new
  // messages arrive. Committing an offset twice, or late, can only cause redelivery.
  const pending = new Map<string, Position>();
  let committing: Promise<void> | undefined;
  function commitPending(): Promise<void> {
    committing ??= (async () => {
      const offsets = [...pending.values()].map((p) => ({
        topic: p.topic,
        partition: p.partition,
        offset: String(p.offset + 1),
      }));
      if (offsets.length === 0) return;
      try {
        await consumer.commitOffsets(offsets);
        for (const [key, position] of pending) {
          const sent = offsets.find((o) => o.topic === position.topic && o.partition === position.partition);
          if (sent && sent.offset === String(position.offset + 1)) pending.delete(key);
        }
      } catch (error) {
        log.warn({ err: (error as Error).message }, 'offset commit failed; retrying');
      }
    })().finally(() => {
      committing = undefined;
    });
    return committing;
  }
  const commitTimer = setInterval(() => void commitPending(), 1_000);
  commitTimer.unref();

  const batcher = new Batcher(
    writer,
    async (positions) => {
      for (const [key, position] of positions) {
        const seen = pending.get(key);
        if (!seen || seen.offset < position.offset) pending.set(key, position);
      }
      // Not awaited: a commit stuck in retries must not hold eachBatch, or the group could
      // never rebalance while the commit waits for it.
      void commitPending();
    },
    ingest,
    metrics,
    log,
  );

  let waitingOnStore = false;
  async function whileWaiting(work: Promise<void>, heartbeat: () => Promise<void>): Promise<void> {
    waitingOnStore = true;
    const timer = setInterval(() => void heartbeat().catch(() => {}), 3_000);
    try {
      await work;
    } finally {
      clearInterval(timer);
      waitingOnStore = false;
    }
  }

  async function eachBatch({ batch, resolveOffset, heartbeat, isRunning, isStale }: EachBatchPayload) {
    const key = partitionKey(batch.topic, batch.partition);
    // Counted and resolved once per batch, not per message: per-message bookkeeping in kafkajs
    // and prom-client was ~5 % of the service's CPU at 20,000 events/s.
    let last: string | undefined;
    let count = 0;
    const advance = () => {
      if (count > 0) metrics.received.inc({ source: 'kafka' }, count);
      count = 0;
      if (last === undefined) return;
      // Resolving only moves the fetch position on; commits happen after the store acknowledges.
      resolveOffset(last);
      readUpTo.set(key, Number(last) + 1);
      lastBatchAt = Date.now();
    };
    try {
      for (const message of batch.messages) {
        if (!isRunning() || isStale()) return;
        // Bytes, not text: a message that is not UTF-8 is dead-lettered byte for byte (prepare.ts).
        const full = batcher.add(message.value ?? '', {
          source: 'kafka',
          topic: batch.topic,
          partition: batch.partition,
          offset: Number(message.offset),
        });
        count++;
        if (full) {
          advance();
          // Waiting on the store (backpressure) can take long: keep the group membership alive.
          await whileWaiting(full, heartbeat);
        }
        last = message.offset;
      }
    } finally {
      advance();
    }
    metrics.consumerLag.set({ topic: batch.topic, partition: String(batch.partition) }, Number(batch.offsetLag()));
    await heartbeat();
  }

  async function connectAndRun(): Promise<void> {
    await consumer.connect();
    for (const topic of kafka.topics) await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: 1,
      eachBatch,
    });
  }

  // A second line of defence behind kafkajs-fixes.ts: a consumer that has not fetched for
  // stallMs, or has had no batch for stallMs while messages wait, and is not waiting on the store,
  // is replaced by a new one, which resumes from the committed offsets.
  let restarting = false;
  let stopped = false;
  async function stalled(): Promise<string | undefined> {
    const now = Date.now();
    if (lastFetchAt === 0) return undefined; // still joining the group
    if (now - lastFetchAt >= stallMs) return `no fetch for ${now - lastFetchAt} ms`;
    const quietMs = now - Math.max(lastBatchAt, startedAt);
    // Quiet is normal on an idle topic; ask the cluster (at most once per stallMs) whether it is.
    if (quietMs < stallMs || now - lastProbeAt < stallMs) return undefined;
    lastProbeAt = now;
    const waiting = await lagProbe.waiting(readUpTo);
    return waiting ? `no batch for ${quietMs} ms while ${waiting} messages wait` : undefined;
  }
  let checking = false;
  const watchdog = setInterval(
    () => {
      if (stopped || restarting || waitingOnStore || checking) return;
      checking = true;
      void stalled()
        .then((reason) => {
          if (reason && !stopped && !restarting && !waitingOnStore) restart(reason);
        })
        .finally(() => {
          checking = false;
        });
    },
    Math.min(2_000, stallMs / 2),
  );
  watchdog.unref();

  function restart(reason: string): void {
    restarting = true;
    log.warn({ reason }, 'kafka consumer stalled; replacing it');
    metrics.consumerRestarts.inc();
    void (async () => {
      try {
        await batcher.flush().catch(() => {});
        await commitPending();
        await withTimeout(consumer.disconnect(), 10_000, 'kafka disconnect').catch(() => {});
        consumer = newConsumer();
        lastFetchAt = Date.now();
        startedAt = Date.now();
        if (!stopped) await connectAndRun();
      } catch (error) {
        log.error({ err: (error as Error).message }, 'kafka consumer restart failed; will try again');
      } finally {
        restarting = false;
      }
    })();
  }

  return {
    async start() {
      startedAt = Date.now();
      await connectAndRun();
      log.info({ brokers: kafka.brokers, topics: kafka.topics, groupId: kafka.groupId }, 'consuming from kafka');
    },
    async stop(graceMs = 15_000) {
      stopped = true;
      clearInterval(watchdog);
      // Pause rather than stop first: offsets can only be committed while still in the group.
      consumer.pause(kafka.topics.map((topic) => ({ topic })));
      try {
        await batcher.close(graceMs);
      } catch {
        // Already logged by the batcher; uncommitted rows come back on the next start.
      }
      clearInterval(commitTimer);
      await committing;
      await commitPending();
      if (pending.size > 0)
        log.warn({ partitions: pending.size }, 'could not commit before exit; those messages will be redelivered');
      await consumer.stop();
      await consumer.disconnect();
      await lagProbe.close();
    },
    healthy() {
      return !crashed && Date.now() - lastFetchAt < stallMs;
    },
  };
}
