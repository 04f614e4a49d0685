// The writer handles a refused insert by what refused it, on the real embedded engine:
// transient (TOO_MANY_PARTS from the engine, a store nobody answers) → retried with jittered
// backoff until it goes through; data (a value the engine cannot parse) → that row alone is
// dead-lettered with the engine's reason, the rest stored; fatal (unknown table) → no retry,
// the writer stops with a clear error.
import { createServer } from 'node:net';
import { ClickHouseError, createClient } from '@clickhouse/client';
import { pino } from 'pino';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addPayload, emptyBatch, type PreparedBatch } from '../../pipelines/ingest/prepare.js';
import { createIngestMetrics } from '../../pipelines/ingest/prometheus.js';
import {
  BatchWriter,
  StoreRefusedError,
  WriteAbortedError,
  classifyInsertError,
  retryDelay,
  type InsertErrorClass,
  type WriterOptions,
} from '../../pipelines/ingest/writer.js';
import type { Store } from '../../src/store/index.js';
import { openTempStore, type TempStore } from '../support/temp-store.js';

let temp: TempStore;
beforeAll(async () => {
  temp = await openTempStore();
});
afterAll(async () => temp?.cleanup());

const writerOn = (store: Store, options: WriterOptions = {}) =>
  new BatchWriter(store, createIngestMetrics(new Registry()), pino({ level: 'silent' }), options);

let n = 0;
/** `count` contact.queued events of one HTTP request, in November 2026 (one monthly partition). */
function queuedBatch(request: string, count: number): PreparedBatch {
  const batch = emptyBatch();
  for (let i = 0; i < count; i++) {
    const event = {
      event_id: `00000000-0000-4000-8000-${(++n).toString(16).padStart(12, '0')}`,
      type: 'contact.queued',
      occurred_at: `2026-11-02T10:${String(i % 60).padStart(2, '0')}:00Z`,
      contact_id: `${request}-${i}`,
      queue: 'billing',
      channel: 'voice',
    };
    addPayload(batch, JSON.stringify(event), { source: 'http', requestId: request, item: i });
  }
  return batch;
}

async function engineError(run: () => Promise<unknown>): Promise<unknown> {
  try {
    await run();
  } catch (error) {
    return error;
  }
  throw new Error('expected the engine to refuse');
}

describe('classifyInsertError', () => {
  it('classes the engine’s own refusals', async () => {
    const c = temp.store.client;
    await c.command({ query: 'CREATE TABLE probe (a UInt32, t DateTime) ENGINE = MergeTree ORDER BY a' });
    const cases: [string, () => Promise<unknown>, InsertErrorClass][] = [
      ['unknown table', () => c.insert({ table: 'nope', values: [{ a: 1 }], format: 'JSONEachRow' }), 'fatal'],
      [
        'unknown column',
        () => c.insert({ table: 'probe', columns: ['a', 'b'], values: [[1, 2]], format: 'JSONCompactEachRow' }),
        'fatal',
      ],
      [
        'a time that is not one',
        () => c.insert({ table: 'probe', columns: ['a', 't'], values: [[1, 'never']], format: 'JSONCompactEachRow' }),
        'data',
      ],
      [
        'a negative unsigned number',
        () =>
          c.insert({
            table: 'probe',
            columns: ['a', 't'],
            values: [[-5, '2026-01-01 00:00:00']],
            format: 'JSONCompactEachRow',
          }),
        'data',
      ],
    ];
    for (const [what, run, expected] of cases) {
      const error = await engineError(run);
      expect([what, classifyInsertError(error)]).toEqual([what, expected]);
    }
  });

  it('classes what the engine cannot produce here by the server’s error types, and network failures as transient', async () => {
    const server = (type: string, code: string) => new ClickHouseError({ message: `${type}: …`, code, type });
    expect(classifyInsertError(server('AUTHENTICATION_FAILED', '516'))).toBe('fatal');
    expect(classifyInsertError(server('UNKNOWN_DATABASE', '81'))).toBe('fatal');
    expect(classifyInsertError(server('ACCESS_DENIED', '497'))).toBe('fatal');
    expect(classifyInsertError(server('MEMORY_LIMIT_EXCEEDED', '241'))).toBe('transient');
    expect(classifyInsertError(server('TIMEOUT_EXCEEDED', '159'))).toBe('transient');
    expect(classifyInsertError(server('TOO_MANY_SIMULTANEOUS_QUERIES', '202'))).toBe('transient');
    expect(classifyInsertError(server('SOMETHING_NEW', '9999'))).toBe('transient');
    expect(classifyInsertError(new Error('Unexpected response 401 Unauthorized from the proxy'))).toBe('fatal');
    // A real connection refused, from the HTTP client.
    const closed = createClient({ url: 'http://127.0.0.1:1', request_timeout: 2_000 });
    const refused = await engineError(() => closed.insert({ table: 't', values: [{ a: 1 }], format: 'JSONEachRow' }));
    await closed.close();
    expect((refused as NodeJS.ErrnoException).code).toBe('ECONNREFUSED');
    expect(classifyInsertError(refused)).toBe('transient');
  });
});

describe('retryDelay', () => {
  it('doubles from the base up to the cap, each wait drawn from the upper half', () => {
    expect([0, 1, 2, 3, 4, 5, 20].map((a) => retryDelay(a, 0))).toEqual([500, 1000, 2000, 4000, 8000, 8000, 8000]);
    expect([0, 1, 2, 3, 4, 5, 20].map((a) => retryDelay(a, 0.999_999))).toEqual([
      1000, 2000, 4000, 8000, 16000, 16000, 16000,
    ]);
    expect(retryDelay(2, 0.5, 100, 1000)).toBe(300);
  });
});

describe('batch writer', () => {
  it('transient: TOO_MANY_PARTS is retried with jittered waits, and the batch stored once when the engine takes it', async () => {
    const retries: { attempt: number; delayMs: number; errorClass: InsertErrorClass }[] = [];
    const randoms = [0.25, 0.75, 0];
    const writer = writerOn(temp.store, {
      baseDelayMs: 40,
      random: () => randoms.shift() ?? 0,
      onRetry: (r) => {
        retries.push({ attempt: r.attempt, delayMs: r.delayMs, errorClass: r.errorClass });
        // The third refusal: merges "caught up".
        if (r.attempt === 2)
          void temp.store.client.command({
            query:
              'ALTER TABLE contact_events MODIFY SETTING parts_to_throw_insert = 3000, parts_to_delay_insert = 1000',
          });
      },
    });
    await writer.write(queuedBatch('tmp-1', 10)); // one part in November
    await temp.store.client.command({
      query: 'ALTER TABLE contact_events MODIFY SETTING parts_to_throw_insert = 1, parts_to_delay_insert = 1',
    });
    await writer.write(queuedBatch('tmp-2', 10));
    // base 40: attempt 0 waits 20 + 20 × 0.25, attempt 1 waits 40 + 40 × 0.75, attempt 2 waits 80.
    expect(retries).toEqual([
      { attempt: 0, delayMs: 25, errorClass: 'transient' },
      { attempt: 1, delayMs: 70, errorClass: 'transient' },
      { attempt: 2, delayMs: 80, errorClass: 'transient' },
    ]);
    expect(await temp.count(`SELECT count() FROM contact_events WHERE _request_id = 'tmp-2'`)).toBe(10);
    expect(await temp.count(`SELECT count() FROM dead_letters WHERE _request_id = 'tmp-2'`)).toBe(0);
  });

  it('transient: a store nobody answers is retried until the caller gives up', async () => {
    // A port that accepts connections and never answers: every insert times out.
    const silent = createServer(() => {});
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const port = (silent.address() as { port: number }).port;
    const client = createClient({ url: `http://127.0.0.1:${port}`, request_timeout: 200 });
    const store = { ...temp.store, kind: 'server', client } as Store;
    const retries: InsertErrorClass[] = [];
    const abort = new AbortController();
    const writer = writerOn(store, {
      baseDelayMs: 10,
      onRetry: (r) => {
        retries.push(r.errorClass);
        if (retries.length === 3) abort.abort();
      },
    });
    try {
      await expect(writer.write(queuedBatch('silent', 2), { signal: abort.signal })).rejects.toBeInstanceOf(
        WriteAbortedError,
      );
    } finally {
      await client.close();
      silent.close();
    }
    expect(retries).toEqual(['transient', 'transient', 'transient']);
    expect(writer.fatalError).toBeUndefined();
  });

  it('data: the row the engine cannot parse is dead-lettered with its reason; every other row is stored', async () => {
    const batch = queuedBatch('data-1', 9);
    batch.rows.contact_events[6]!.occurred_at = '2026-13-45 99:99:99'; // passed validation, refused by the engine
    const retries: unknown[] = [];
    const writer = writerOn(temp.store, { onRetry: (r) => retries.push(r) });
    await writer.write(batch);
    expect(retries).toEqual([]);
    const stored = await temp.rows<{ contact_id: string }>(
      `SELECT contact_id FROM contact_events WHERE _request_id = 'data-1' ORDER BY contact_id`,
    );
    expect(stored.map((r) => r.contact_id)).toEqual([0, 1, 2, 3, 4, 5, 7, 8].map((i) => `data-1-${i}`));
    const dead = await temp.rows<{ error: string; raw: string; event_id: string; type: string; _source: string }>(
      `SELECT error, raw, event_id, type, _source FROM dead_letters WHERE _request_id = 'data-1'`,
    );
    expect(dead).toHaveLength(1);
    expect(dead[0]!.error).toMatch(/^store refused the row for contact_events \(CANNOT_PARSE_DATETIME\): /);
    expect(dead[0]!.type).toBe('contact.queued');
    expect(dead[0]!._source).toBe('http');
    expect(dead[0]!.event_id).toBe(batch.rows.contact_events[6]!.event_id);
    expect(JSON.parse(dead[0]!.raw)).toMatchObject({ contact_id: 'data-1-6', occurred_at: '2026-13-45 99:99:99' });
  });

  it('fatal: an unknown table stops the writer at once, with a clear error, and later writes fail without trying', async () => {
    const retries: unknown[] = [];
    const writer = writerOn(temp.store, { onRetry: (r) => retries.push(r) });
    await temp.store.client.command({ query: 'RENAME TABLE contact_events TO contact_events_away' });
    try {
      const error = await engineError(() => writer.write(queuedBatch('fatal-1', 3)));
      expect(error).toBeInstanceOf(StoreRefusedError);
      expect((error as Error).message).toMatch(
        /^the store refused inserts into contact_events \(UNKNOWN_TABLE\): .*contact_events.* — not retried: check CLICKHOUSE_URL/,
      );
      expect(retries).toEqual([]);
    } finally {
      await temp.store.client.command({ query: 'RENAME TABLE contact_events_away TO contact_events' });
    }
    // The table is back, but this writer stopped: it does not write until the service restarts.
    await expect(writer.write(queuedBatch('fatal-2', 3))).rejects.toBe(writer.fatalError);
    expect(await temp.count(`SELECT count() FROM contact_events WHERE _request_id LIKE 'fatal-%'`)).toBe(0);
  });
});
