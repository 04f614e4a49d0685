// Inserts a prepared batch into the raw tables and the dead-letter table. A batch counts as
// written only when every insert is acknowledged; a failed insert is retried with backoff
// (1 s → 16 s) and the same insert_deduplication_token, so a retry never doubles rows.
import { createHash } from 'node:crypto';
import { setTimeout as delay } from 'node:timers/promises';
import type { Logger } from 'pino';
import type { Store } from '../../src/store/index.js';
import type { IngestMetrics } from './metrics.js';
import { rowCount, type PreparedBatch, type Row } from './prepare.js';

export class WriteAbortedError extends Error {
  constructor(cause: unknown) {
    super(`write abandoned: ${cause instanceof Error ? cause.message : String(cause)}`);
    this.name = 'WriteAbortedError';
  }
}

export interface WriteOptions {
  /** Stop retrying (and reject) once this signal aborts, e.g. on shutdown or HTTP deadline. */
  signal?: AbortSignal;
}

const TOKEN_KEYS = ['event_id', '_source', '_topic', '_partition', '_offset', '_request_id', '_item'] as const;

function dedupToken(table: string, rows: Row[]): string {
  const hash = createHash('sha1');
  // Every part of the source position: dead letters have no event_id, so two batches whose poison
  // sat at the same offsets of different partitions (or in two HTTP requests) must not share a
  // token, or ClickHouse drops the second as a retry. One update per row (the same bytes as one
  // per field): hashing was 3 % of the service's CPU at 20,000 events/s with one per field.
  for (const row of rows) {
    let line = '';
    for (const key of TOKEN_KEYS) line += `${String(row[key] ?? '')}\u0000`;
    hash.update(line);
  }
  return `${table}:${rows.length}:${hash.digest('hex')}`;
}

/** Waits `ms`, or less when `signal` aborts (never rejects: the caller checks the signal). */
const sleep = (ms: number, signal?: AbortSignal) => delay(ms, undefined, { signal }).catch(() => {});

export class BatchWriter {
  constructor(
    private readonly store: Store,
    private readonly metrics: IngestMetrics,
    private readonly log: Logger,
  ) {}

  async write(batch: PreparedBatch, options: WriteOptions = {}): Promise<void> {
    const started = performance.now();
    const inserts: [string, Row[]][] = [...Object.entries(batch.rows), ['dead_letters', batch.deadLetters]];
    for (const [table, rows] of inserts) {
      if (rows.length > 0) await this.insertWithRetry(table, rows, options.signal);
    }
    this.metrics.batchSeconds.observe((performance.now() - started) / 1000);
    for (const [table, rows] of Object.entries(batch.rows)) {
      if (rows.length > 0) this.metrics.stored.inc({ table }, rows.length);
    }
    if (batch.deadLetters.length > 0) this.metrics.deadLettered.inc(batch.deadLetters.length);
    this.metrics.batches.inc();
    this.log.debug({ rows: rowCount(batch), deadLetters: batch.deadLetters.length }, 'batch written');
  }

  private async insertWithRetry(table: string, values: Row[], signal?: AbortSignal): Promise<void> {
    const token = dedupToken(table, values);
    // Positional rows (JSONCompactEachRow): no key names repeated per row, so less to serialise
    // and to parse — 1.2–1.5× the JSONEachRow insert rate (bench/ingest.ts, insertFormats).
    // Every row of one table is built with the same columns (src/events/rows.ts).
    const columns = Object.keys(values[0] ?? {}) as [string, ...string[]];
    const compact = values.map((row) => columns.map((column) => row[column] ?? null));
    for (let attempt = 0; ; attempt++) {
      try {
        await this.store.client.insert({
          table,
          columns,
          values: compact,
          format: 'JSONCompactEachRow',
          // Raw tables are partitioned by month: a batch may span every month since 2000 (the
          // accepted range), and the default limit of 100 would refuse it — and retry it forever.
          clickhouse_settings: { insert_deduplication_token: token, max_partitions_per_insert_block: '0' },
        });
        if (attempt > 0) this.log.info({ table, attempt }, 'store accepted the batch again');
        this.metrics.storeUp.set(1);
        return;
      } catch (error) {
        this.metrics.storeUp.set(0);
        this.metrics.insertErrors.inc({ table });
        if (signal?.aborted) throw new WriteAbortedError(error);
        const delay = Math.min(16_000, 1_000 * 2 ** Math.min(attempt, 4));
        this.log.warn({ table, attempt, delayMs: delay, err: (error as Error).message }, 'insert failed; retrying');
        await sleep(delay, signal);
        if (signal?.aborted) throw new WriteAbortedError(error);
      }
    }
  }
}
