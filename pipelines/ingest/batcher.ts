// Gathers payloads from any number of partitions into one batch, flushed at `batchRows` rows or
// when its oldest row is `flushMs` old. One flush at a time; while it runs, `add` waits once the
// buffer holds `batchRows` more rows — that wait is the backpressure that pauses consumption.
import type { Logger } from 'pino';
import type { SourceRef } from '../../src/events/index.js';
import type { IngestMetrics } from './prometheus.js';
import { addPayload, emptyBatch, rowCount, type PreparedBatch } from './prepare.js';
import type { BatchWriter } from './writer.js';

/** Called after a batch is acknowledged, with the highest offset written per topic/partition. */
export type OnWritten = (positions: Map<string, { topic: string; partition: number; offset: number }>) => Promise<void>;

export class Batcher {
  private batch = emptyBatch();
  private positions = new Map<string, { topic: string; partition: number; offset: number }>();
  private oldestAt = 0;
  private flushing: Promise<void> = Promise.resolve();
  private readonly timer: NodeJS.Timeout;
  private readonly abort = new AbortController();

  constructor(
    private readonly writer: BatchWriter,
    private readonly onWritten: OnWritten,
    private readonly options: { batchRows: number; flushMs: number },
    private readonly metrics: IngestMetrics,
    private readonly log: Logger,
  ) {
    this.timer = setInterval(
      () => {
        if (this.size() > 0 && Date.now() - this.oldestAt >= this.options.flushMs) void this.flush().catch(() => {});
      },
      Math.max(5, Math.floor(options.flushMs / 5)),
    );
    this.timer.unref();
  }

  size(): number {
    return this.batch.errors.length;
  }

  /** Adds one raw payload; returns a promise only when the caller must wait before adding more. */
  add(
    raw: string | Uint8Array,
    ref: SourceRef & { topic: string; partition: number; offset: number },
  ): Promise<void> | undefined {
    if (this.size() === 0) this.oldestAt = Date.now();
    addPayload(this.batch, raw, ref);
    const key = `${ref.topic}\u0000${ref.partition}`;
    const seen = this.positions.get(key);
    if (!seen || seen.offset < ref.offset)
      this.positions.set(key, { topic: ref.topic, partition: ref.partition, offset: ref.offset });
    this.metrics.bufferedRows.set(this.size());
    return this.size() >= this.options.batchRows ? this.flush() : undefined;
  }

  /** Writes what is buffered (after any flush already running), then reports the positions. */
  flush(): Promise<void> {
    const next = this.flushing.then(async () => {
      if (this.size() === 0) return;
      const batch: PreparedBatch = this.batch;
      const positions = this.positions;
      this.batch = emptyBatch();
      this.positions = new Map();
      this.metrics.bufferedRows.set(0);
      try {
        await this.writer.write(batch, { signal: this.abort.signal });
      } catch (error) {
        // Abandoned on shutdown: nothing is committed, so Kafka redelivers these rows.
        this.log.warn(
          { rows: rowCount(batch), err: (error as Error).message },
          'batch not written; it will be redelivered',
        );
        throw error;
      }
      await this.onWritten(positions);
    });
    this.flushing = next.catch(() => {});
    return next;
  }

  /** Stops retrying a failing store after `graceMs`: used at shutdown so exit never hangs. */
  async close(graceMs: number): Promise<void> {
    clearInterval(this.timer);
    const giveUp = setTimeout(() => this.abort.abort(), graceMs);
    try {
      await this.flush();
    } finally {
      clearTimeout(giveUp);
    }
  }
}
