// Done-when of the ingestion issue: replaying the same 1M-event file twice leaves exactly 1M
// events counted, and its 1% poison events all land in dead_letters with their reasons.
import { createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createIngestMetrics } from '../../pipelines/ingest/prometheus.js';
import { BatchWriter } from '../../pipelines/ingest/writer.js';
import { ingestFile } from '../../pipelines/ingest/file.js';
import { openTempStore, type TempStore } from '../support/temp-store.js';
import { uuidFor } from '../support/events.js';

const TOTAL = 1_000_000;
const POISON_EVERY = 100; // 1%
const POISONS = [
  ['{"event_id":"broken', /^invalid JSON/],
  [
    '{"type":"contact.queued","occurred_at":"2026-11-02T09:00:00Z","contact_id":"x","queue":"q","channel":"voice"}',
    /^missing required field event_id$/,
  ],
  [
    '{"event_id":"00000000-0000-4000-8000-000000000000","type":"survey.submitted","occurred_at":"2026-11-02T09:00:00Z","contact_id":"x","nps":42}',
    /^nps: /,
  ],
  [
    '{"event_id":"00000000-0000-4000-8000-000000000000","type":"contact.queued","occurred_at":"2099-01-01T00:00:00Z","contact_id":"x","queue":"q","channel":"voice"}',
    /^occurred_at: more than 24 h in the future$/,
  ],
] as const;

let temp: TempStore;
let dir: string;
let file: string;
let validCount = 0;

async function writeFile(path: string): Promise<void> {
  const out = createWriteStream(path);
  const base = Date.parse('2026-10-01T00:00:00Z');
  let chunk = '';
  for (let i = 1; i <= TOTAL; i++) {
    if (i % POISON_EVERY === 0) {
      chunk += `${POISONS[(i / POISON_EVERY) % POISONS.length]![0]}\n`;
    } else {
      validCount++;
      const at = new Date(base + i * 1000).toISOString();
      chunk += `{"event_id":"${uuidFor(i)}","type":"contact.queued","occurred_at":"${at}","contact_id":"c${i}","queue":"q${i % 5}","channel":"voice"}\n`;
    }
    if (chunk.length > 1 << 20) {
      if (!out.write(chunk)) await new Promise<void>((r) => out.once('drain', () => r()));
      chunk = '';
    }
  }
  out.end(chunk);
  await new Promise<void>((r) => out.once('finish', () => r()));
}

beforeAll(async () => {
  temp = await openTempStore();
  dir = mkdtempSync(join(tmpdir(), 'callcast-file-'));
  file = join(dir, 'events.ndjson');
  await writeFile(file);
}, 120_000);
afterAll(async () => {
  await temp.cleanup();
  rmSync(dir, { recursive: true, force: true });
});

describe('bulk replay of a 1M-event file', () => {
  it('counts each event once after two loads and dead-letters every poison line with its reason', async () => {
    const writer = new BatchWriter(temp.store, createIngestMetrics(new Registry()), pino({ level: 'silent' }));
    const first = await ingestFile(file, writer, { batchRows: 50_000 });
    const second = await ingestFile(file, writer, { batchRows: 50_000 });
    const poisonCount = TOTAL / POISON_EVERY;
    const { failures, ...counts } = first;
    expect(counts).toEqual({ lines: TOTAL, stored: TOTAL - poisonCount, deadLettered: poisonCount });
    // The first five refused lines, with the reason each was refused.
    expect(failures.map((f) => f.line)).toEqual([1, 2, 3, 4, 5].map((n) => n * POISON_EVERY));
    failures.forEach((f) => expect(f.error).toMatch(POISONS[(f.line / POISON_EVERY) % POISONS.length]![1]));
    expect(second).toEqual(first);

    expect(validCount).toBe(990_000);
    expect(await temp.count('SELECT count() FROM contact_events FINAL')).toBe(990_000);
    expect(await temp.count('SELECT uniqExact(event_id) FROM contact_events')).toBe(990_000);
    expect(await temp.count('SELECT count() FROM dead_letters FINAL')).toBe(10_000);

    const reasons = await temp.rows<{ line: string; error: string; raw: string }>(
      'SELECT toString(_offset) AS line, error, raw FROM dead_letters FINAL ORDER BY _offset',
    );
    for (const letter of reasons) {
      const [raw, reason] = POISONS[(Number(letter.line) / POISON_EVERY) % POISONS.length]!;
      expect(letter.raw).toBe(raw);
      expect(letter.error).toMatch(reason);
    }
  }, 300_000);
});
