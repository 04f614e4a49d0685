// Inserts a prepared batch into the raw tables and the dead-letter table. A batch counts as
// written only when every insert is acknowledged. A refused insert is handled by what refused it
// (classifyInsertError):
//  - transient (the store unreachable or timing out, too many parts, memory, overload): retried
//    with jittered exponential backoff (1 s → 16 s, each wait drawn from its upper half) and the
//    same insert_deduplication_token, so a retry never doubles rows;
//  - data (a row the store cannot parse or convert): the insert is split in halves until the
//    refused rows stand alone; they go to dead_letters with the store's reason, the rest is stored;
//  - fatal (authentication, access, unknown database, table or column): no retry; the writer stops
//    with StoreRefusedError naming the cause, and every later write fails with it at once.
import { createHash } from 'node:crypto';
import { setTimeout as delay } from 'node:timers/promises';
import type { Logger } from 'pino';
import { deadLetterRow, type SourceRef } from '../../src/events/index.js';
import type { Store } from '../../src/store/index.js';
import type { IngestMetrics } from './prometheus.js';
import { rowCount, type PreparedBatch, type Row } from './prepare.js';

export type InsertErrorClass = 'transient' | 'data' | 'fatal';

/** ClickHouse error types (`ClickHouseError.type`) that no retry will cure: configuration or schema. */
const FATAL_TYPES = new Set([
  'AUTHENTICATION_FAILED',
  'UNKNOWN_USER',
  'WRONG_PASSWORD',
  'REQUIRED_PASSWORD',
  'USER_EXPIRED',
  'IP_ADDRESS_NOT_ALLOWED',
  'ACCESS_DENIED',
  'DATABASE_ACCESS_DENIED',
  'NOT_ENOUGH_PRIVILEGES',
  'READONLY',
  'UNKNOWN_DATABASE',
  'UNKNOWN_TABLE',
  'NO_SUCH_COLUMN_IN_TABLE',
  'THERE_IS_NO_COLUMN',
  'UNKNOWN_SETTING',
]);

/** Error types that mean a value of some row cannot be stored as its column's type. */
const DATA_TYPES = new Set([
  'CANNOT_PARSE_TEXT',
  'CANNOT_PARSE_INPUT_ASSERTION_FAILED',
  'CANNOT_PARSE_QUOTED_STRING',
  'CANNOT_PARSE_ESCAPE_SEQUENCE',
  'CANNOT_PARSE_DATE',
  'CANNOT_PARSE_DATETIME',
  'CANNOT_PARSE_NUMBER',
  'CANNOT_PARSE_UUID',
  'CANNOT_PARSE_BOOL',
  'CANNOT_READ_ARRAY_FROM_TEXT',
  'CANNOT_CONVERT_TYPE',
  'TYPE_MISMATCH',
  'INCORRECT_DATA',
  'VALUE_IS_OUT_OF_RANGE_OF_DATA_TYPE',
  'ARGUMENT_OUT_OF_BOUND',
  'CANNOT_INSERT_NULL_IN_ORDINARY_COLUMN',
  'TOO_LARGE_STRING_SIZE',
  'UNKNOWN_ELEMENT_OF_ENUM',
]);

/**
 * What a refused insert means. Everything that is neither a data nor a fatal error is transient
 * — network errors and timeouts (no ClickHouse error type), TOO_MANY_PARTS, MEMORY_LIMIT_EXCEEDED,
 * TIMEOUT_EXCEEDED, TOO_MANY_SIMULTANEOUS_QUERIES, TABLE_IS_READ_ONLY (a replica catching up), and
 * types not listed — so an unknown error costs a retry, never a row.
 */
export function classifyInsertError(error: unknown): InsertErrorClass {
  const type = (error as { type?: unknown } | null)?.type;
  if (typeof type === 'string' && FATAL_TYPES.has(type)) return 'fatal';
  if (typeof type === 'string' && DATA_TYPES.has(type)) return 'data';
  // The server answers 401/403 with its own error body (AUTHENTICATION_FAILED); a proxy in front may not.
  const message = error instanceof Error ? error.message : String(error);
  if (/\b(401 Unauthorized|403 Forbidden)\b/.test(message)) return 'fatal';
  return 'transient';
}

/** The store refused an insert for a reason no retry will cure; ingest stops until it is fixed. */
export class StoreRefusedError extends Error {
  constructor(
    readonly table: string,
    readonly errorType: string,
    cause: unknown,
  ) {
    super(
      `the store refused inserts into ${table} (${errorType}): ${cause instanceof Error ? cause.message.trim() : String(cause)} ` +
        '— not retried: check CLICKHOUSE_URL, CLICKHOUSE_USER/CLICKHOUSE_PASSWORD, CLICKHOUSE_DATABASE and that ' +
        '`callcast migrate` has run, then restart',
      { cause },
    );
    this.name = 'StoreRefusedError';
  }
}

/** Rows of one insert that the store cannot take (internal: the writer splits the insert). */
class RowDataError extends Error {
  constructor(readonly original: unknown) {
    super(original instanceof Error ? original.message : String(original));
  }
}

export interface WriterOptions {
  /** First retry delay; doubles per attempt up to maxDelayMs. Default 1 s. */
  baseDelayMs?: number;
  /** Default 16 s. */
  maxDelayMs?: number;
  /** Random numbers in [0, 1) for the jitter (injectable for tests). */
  random?: () => number;
  /** Called before each retry wait (tests, figures). */
  onRetry?: (retry: { table: string; attempt: number; delayMs: number; errorClass: InsertErrorClass }) => void;
}

/** The wait before retry `attempt` (0-based): the upper half of min(max, base × 2^attempt), at random. */
export function retryDelay(attempt: number, random: number, baseMs = 1_000, maxMs = 16_000): number {
  const cap = Math.min(maxMs, baseMs * 2 ** Math.min(attempt, 30));
  return Math.round(cap / 2 + (cap / 2) * random);
}

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
  /** Set by the first fatal refusal: every later write fails with it. */
  private stopped: StoreRefusedError | undefined;

  constructor(
    private readonly store: Store,
    private readonly metrics: IngestMetrics,
    private readonly log: Logger,
    private readonly options: WriterOptions = {},
  ) {}

  /** The fatal refusal that stopped this writer, if any. */
  get fatalError(): StoreRefusedError | undefined {
    return this.stopped;
  }

  async write(batch: PreparedBatch, options: WriteOptions = {}): Promise<void> {
    if (this.stopped) throw this.stopped;
    const started = performance.now();
    const refused: Row[] = [];
    const stored: [string, number][] = [];
    for (const [table, rows] of Object.entries(batch.rows)) {
      if (rows.length === 0) continue;
      const rejected = await this.insertOrSplit(table, rows, options.signal);
      refused.push(...rejected);
      stored.push([table, rows.length - rejected.length]);
    }
    const deadLetters = refused.length > 0 ? [...batch.deadLetters, ...refused] : batch.deadLetters;
    if (deadLetters.length > 0) {
      try {
        await this.insertWithRetry('dead_letters', deadLetters, options.signal);
      } catch (error) {
        // A dead letter is all strings: one the store cannot take has nowhere else to go.
        if (error instanceof RowDataError) throw this.stop('dead_letters', error.original);
        throw error;
      }
    }
    this.metrics.batchSeconds.observe((performance.now() - started) / 1000);
    for (const [table, n] of stored) if (n > 0) this.metrics.stored.inc({ table }, n);
    if (deadLetters.length > 0) this.metrics.deadLettered.inc(deadLetters.length);
    this.metrics.batches.inc();
    this.log.debug(
      { rows: rowCount(batch), deadLetters: deadLetters.length, refused: refused.length },
      'batch written',
    );
  }

  /** Inserts the rows; rows the store refuses as data come back as dead letters (found by halving). */
  private async insertOrSplit(table: string, rows: Row[], signal?: AbortSignal): Promise<Row[]> {
    try {
      await this.insertWithRetry(table, rows, signal);
      return [];
    } catch (error) {
      if (!(error instanceof RowDataError)) throw error;
      if (rows.length === 1) {
        const row = rows[0]!;
        this.log.warn({ table, err: error.message, event_id: row.event_id }, 'store refused a row; dead-lettered');
        return [refusedRow(table, row, error.original)];
      }
      const half = Math.ceil(rows.length / 2);
      return [
        ...(await this.insertOrSplit(table, rows.slice(0, half), signal)),
        ...(await this.insertOrSplit(table, rows.slice(half), signal)),
      ];
    }
  }

  private stop(table: string, error: unknown): StoreRefusedError {
    const type = (error as { type?: unknown }).type;
    this.stopped ??= new StoreRefusedError(table, typeof type === 'string' ? type : 'refused', error);
    this.log.error({ table, err: this.stopped.message }, 'ingest stopped: the store refuses inserts');
    return this.stopped;
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
        this.metrics.insertErrors.inc({ table });
        const errorClass = classifyInsertError(error);
        if (errorClass === 'data') {
          this.metrics.storeUp.set(1); // it answered
          throw new RowDataError(error);
        }
        this.metrics.storeUp.set(0);
        if (errorClass === 'fatal') throw this.stop(table, error);
        if (signal?.aborted) throw new WriteAbortedError(error);
        const o = this.options;
        const delay = retryDelay(attempt, (o.random ?? Math.random)(), o.baseDelayMs, o.maxDelayMs);
        o.onRetry?.({ table, attempt, delayMs: delay, errorClass });
        this.log.warn({ table, attempt, delayMs: delay, err: (error as Error).message }, 'insert failed; retrying');
        await sleep(delay, signal);
        if (signal?.aborted) throw new WriteAbortedError(error);
      }
    }
  }
}

// Raw rows of the one-type tables carry no type column.
const TYPE_OF_TABLE: Record<string, string> = { survey_events: 'survey.submitted', agent_state_events: 'agent.state' };

/** A raw-table row the store refused, as a dead letter: the row as JSON, the store's reason, its source position. */
function refusedRow(table: string, row: Row, error: unknown): Row {
  const type = (error as { type?: unknown }).type;
  const reason = `store refused the row for ${table} (${typeof type === 'string' ? type : 'data'}): ${
    error instanceof Error ? error.message.trim() : String(error)
  }`;
  const ref: SourceRef = {
    source: (row._source as SourceRef['source'] | undefined) ?? 'http',
    topic: row._topic === undefined ? undefined : String(row._topic),
    partition: row._partition === undefined ? undefined : Number(row._partition),
    offset: row._offset === undefined ? undefined : Number(row._offset),
    requestId: row._request_id === undefined ? undefined : String(row._request_id),
    item: row._item === undefined ? undefined : Number(row._item),
  };
  return deadLetterRow(
    JSON.stringify(row),
    reason,
    String(row.event_id ?? ''),
    String(row.type ?? TYPE_OF_TABLE[table] ?? ''),
    ref,
    Date.now(),
  ) as unknown as Row;
}
