// A message that is not UTF-8 (Kafka value or file line) reaches dead_letters byte for byte:
// raw holds its bytes in base64 with raw_encoding = 'base64'; text payloads keep raw_encoding
// 'utf8'. File ingest cuts lines as bytes and reports how many lines were refused and why.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pino } from 'pino';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingestFile } from '../../pipelines/ingest/file.js';
import { createIngestMetrics } from '../../pipelines/ingest/prometheus.js';
import { NOT_UTF8, addPayload, emptyBatch } from '../../pipelines/ingest/prepare.js';
import { BatchWriter } from '../../pipelines/ingest/writer.js';
import { openTempStore, type TempStore } from '../support/temp-store.js';

let temp: TempStore;
let writer: BatchWriter;
beforeAll(async () => {
  temp = await openTempStore();
  writer = new BatchWriter(temp.store, createIngestMetrics(new Registry()), pino({ level: 'silent' }));
}, 60_000);
afterAll(async () => {
  await temp?.cleanup();
});

// 0xff and 0xfe never occur in UTF-8; 0xc3 0x28 is a broken two-byte sequence; NUL is kept too.
const BINARY = Buffer.from([0x7b, 0xff, 0xfe, 0x00, 0xc3, 0x28, 0x22, 0x7d]);
const EVENT = {
  event_id: '0b6d4a52-3f0e-4b43-9d6a-3a2d6b2d0001',
  type: 'contact.abandoned',
  occurred_at: '2026-03-02T09:00:00Z',
  contact_id: 'c-1',
};

describe('binary payloads', () => {
  it('a Kafka value that is not UTF-8 is stored base64 and decodes to the same bytes', async () => {
    const batch = emptyBatch();
    addPayload(batch, BINARY, { source: 'kafka', topic: 'bin', partition: 0, offset: 7 }, Date.UTC(2026, 2, 2));
    addPayload(batch, Buffer.from(JSON.stringify(EVENT)), { source: 'kafka', topic: 'bin', partition: 0, offset: 8 });
    addPayload(batch, Buffer.from('{"type": "café"}'), { source: 'kafka', topic: 'bin', partition: 0, offset: 9 });
    expect(batch.errors[0]).toBe(NOT_UTF8);
    expect(batch.errors[1]).toBeNull();
    expect(batch.rows.contact_events).toHaveLength(1);
    await writer.write(batch);
    const rows = await temp.rows<{ _offset: string; raw: string; raw_encoding: string; error: string }>(
      "SELECT toString(_offset) AS _offset, raw, raw_encoding, error FROM dead_letters FINAL WHERE _topic = 'bin' ORDER BY _offset",
    );
    expect(rows.map((r) => [r._offset, r.raw_encoding])).toEqual([
      ['7', 'base64'],
      ['9', 'utf8'],
    ]);
    expect(rows[0]!.raw).toBe('e//+AMMoIn0=');
    expect(Buffer.from(rows[0]!.raw, 'base64').equals(BINARY)).toBe(true);
    expect(rows[0]!.error).toBe(NOT_UTF8);
    expect(rows[1]!.raw).toBe('{"type": "café"}');
  });

  it('file ingest keeps a binary line byte for byte, and reports the refused lines with reasons', async () => {
    const file = join(temp.dir, 'mixed.ndjson');
    const good = Buffer.from(`${JSON.stringify(EVENT)}\r\n`);
    const badJson = Buffer.from('{"event_id": "x", \n');
    writeFileSync(file, Buffer.concat([good, Buffer.from('\n'), BINARY, Buffer.from('\n'), badJson]));
    const result = await ingestFile(file, writer, { batchRows: 1000 });
    expect(result.lines).toBe(3);
    expect(result.stored).toBe(1);
    expect(result.deadLettered).toBe(2);
    expect(result.failures.map((f) => f.line)).toEqual([3, 4]);
    expect(result.failures[0]!.error).toBe(NOT_UTF8);
    expect(result.failures[1]!.error).toMatch(/^invalid JSON/);
    const [letter] = await temp.rows<{ raw: string; raw_encoding: string }>(
      'SELECT raw, raw_encoding FROM dead_letters FINAL WHERE _topic = {f:String} AND _offset = 3',
      { f: file },
    );
    expect(letter!.raw_encoding).toBe('base64');
    expect(Buffer.from(letter!.raw, 'base64').equals(BINARY)).toBe(true);
  });
});
