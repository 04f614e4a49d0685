// End-to-end ingest throughput (Kafka → queryable in ClickHouse) against the raw insert rate of
// the same rows straight into the engine, in one run, plus produce → visible freshness at a
// steady rate. Real parts: librdkafka's mock cluster on loopback, kafkajs, embedded chDB.
// Prints JSON. Usage: npm run bench:ingest [-- --events 300000 --partitions 32 --rate 20000 --seconds 20]
// The mock cluster keeps ~5 MB per partition: keep events × ~330 B / partitions under that.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Worker } from 'node:worker_threads';
import { pino } from 'pino';
import { Registry } from 'prom-client';
import { migrate, openStore, type Store } from '../src/store/index.js';
import type { CallcastEvent } from '../src/events/index.js';
import { createKafkaIngestor } from '../pipelines/ingest/kafka-consumer.js';
import { createIngestMetrics } from '../pipelines/ingest/prometheus.js';
import { addPayload, emptyBatch, type PreparedBatch } from '../pipelines/ingest/prepare.js';
import { BatchWriter } from '../pipelines/ingest/writer.js';
import { simulateHistory } from '../pipelines/simulate/generator.js';
import { eventKey } from '../pipelines/simulate/sinks.js';
import { kafkaClientFor, startMockKafka } from '../test/support/kafka-broker.js';

const { values } = parseArgs({
  options: {
    events: { type: 'string', default: '300000' },
    rate: { type: 'string', default: '20000' },
    seconds: { type: 'string', default: '20' },
    partitions: { type: 'string', default: '32' },
  },
});
const EVENTS = Number(values.events);
const RATE = Number(values.rate);
const SECONDS = Number(values.seconds);
const PARTITIONS = Number(values.partitions);
const log = pino({ level: 'warn' });
const progress = (what: string) => process.stderr.write(`${new Date().toISOString()} ${what}\n`);
const quantile = (sorted: number[], q: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;
const round = (x: number, digits = 1) => Math.round(x * 10 ** digits) / 10 ** digits;

// Realistic events from the simulator (five queues, every event type), serialised once.
const messages: { key: string; value: string }[] = [];
for (const event of simulateHistory({ days: 120, queues: 5, seed: 3 })) {
  messages.push({ key: eventKey(event), value: JSON.stringify(event) });
  if (messages.length === EVENTS) break;
}

const dir = mkdtempSync(join(tmpdir(), 'callcast-bench-ingest-'));
const store = await openStore({ kind: 'embedded', dataDir: dir, database: 'default' });
await migrate(store.client);
const TABLES = ['contact_events', 'survey_events', 'agent_state_events', 'dead_letters'];
const storedRows = async (s: Store) => {
  let n = 0;
  for (const table of TABLES) {
    const [row] = await (
      await s.client.query({ query: `SELECT count() AS n FROM ${table} FINAL`, format: 'JSONEachRow' })
    ).json<{ n: number }>();
    n += Number(row?.n ?? 0);
  }
  return n;
};
const truncate = async () => {
  for (const table of TABLES) await store.client.command({ query: `TRUNCATE TABLE ${table}` });
};

progress(`${messages.length} events generated`);
// 1. Reference: the same rows, already prepared, inserted straight into the engine.
const prepared: PreparedBatch[] = [];
for (let i = 0; i < messages.length; i += 10_000) {
  const batch = emptyBatch();
  for (const m of messages.slice(i, i + 10_000))
    addPayload(batch, m.value, { source: 'file', topic: 'ref', offset: i });
  prepared.push(batch);
}
let t0 = performance.now();
for (const batch of prepared) {
  for (const [table, rows] of Object.entries(batch.rows)) {
    if (rows.length > 0) await store.client.insert({ table, values: rows, format: 'JSONEachRow' });
  }
}
const rawSeconds = (performance.now() - t0) / 1000;
const rawRate = messages.length / rawSeconds;
await truncate();

// 1b. Insert formats, alternated twice on the same rows (the machine is shared: noisy). Binary
// formats (RowBinary, Native, Arrow) are not an option: chdb/connection turns the insert body
// into a UTF-8 string appended to the SQL.
const insertFormats: Record<string, number[]> = { JSONEachRow: [], JSONCompactEachRow: [], batchWriter: [] };
const formatWriter = new BatchWriter(store, createIngestMetrics(new Registry()), log);
for (let round = 0; round < 2; round++) {
  for (const format of Object.keys(insertFormats)) {
    const started = performance.now();
    for (const batch of prepared) {
      if (format === 'batchWriter') {
        await formatWriter.write(batch);
        continue;
      }
      for (const [table, rows] of Object.entries(batch.rows)) {
        if (rows.length === 0) continue;
        if (format === 'JSONEachRow') await store.client.insert({ table, values: rows, format: 'JSONEachRow' });
        else {
          const columns = Object.keys(rows[0]!) as [string, ...string[]];
          await store.client.insert({
            table,
            columns,
            values: rows.map((r) => columns.map((c) => r[c] ?? null)),
            format: 'JSONCompactEachRow',
          });
        }
      }
    }
    insertFormats[format]!.push(Math.round(messages.length / ((performance.now() - started) / 1000)));
    await truncate();
  }
}
progress(`insert formats: ${JSON.stringify(insertFormats)}`);

progress(`raw insert: ${Math.round(rawRate)} events/s`);
// 2. End to end: one consumer ingests while the events are produced as fast as kafkajs can;
// timed from the first send to the last row stored. (Not a pre-filled backlog: the mock
// cluster keeps only ~5 MB per partition and silently drops older messages.)
const broker = await startMockKafka({
  brokers: 1,
  topics: [
    { name: 'bench-e2e', partitions: PARTITIONS },
    { name: 'bench-steady', partitions: PARTITIONS },
  ],
});
const producer = kafkaClientFor(broker.bootstrap, 'bench-producer').producer();
await producer.connect();
const metrics = createIngestMetrics(new Registry());
const writer = new BatchWriter(store, metrics, log);
// Stored rows plus dead letters: every message ends in one or the other.
const handled = async () =>
  (await metrics.stored.get()).values.reduce((sum, v) => sum + v.value, 0) +
  ((await metrics.deadLettered.get()).values[0]?.value ?? 0);
const e2e = createKafkaIngestor(
  { brokers: broker.bootstrap, topics: ['bench-e2e'], groupId: 'bench-e2e' },
  { batchRows: 10_000, flushMs: 500 },
  writer,
  metrics,
  log,
);
await e2e.start();
await new Promise((r) => setTimeout(r, 4_000)); // the mock delays a group's first join ~3 s
// Workers do not inherit tsx's loader: register it inside the thread, then load the producer.
const producerUrl = JSON.stringify(new URL('./ingest-producer.ts', import.meta.url).href);
const producerWorker = new Worker(
  `import('tsx/esm/api').then((m) => { m.register(); return import(${producerUrl}); })`,
  {
    eval: true,
    workerData: { bootstrap: broker.bootstrap, topic: 'bench-e2e', events: messages.length },
  },
);
await new Promise<void>((resolve) => producerWorker.once('message', () => resolve()));
let produceSeconds = 0;
const producing = new Promise<void>((resolve, reject) => {
  producerWorker.on('message', (m: { done?: boolean; seconds?: number }) => {
    if (m.done) {
      produceSeconds = m.seconds ?? 0;
      resolve();
    }
  });
  producerWorker.once('error', reject);
});
t0 = performance.now();
producerWorker.postMessage('go');
let lastHandled = -1;
let lastChange = Date.now();
while ((await handled()) < messages.length) {
  const now = await handled();
  if (now !== lastHandled) {
    lastHandled = now;
    lastChange = Date.now();
  }
  if (Date.now() - lastChange > 60_000) throw new Error(`end-to-end run stuck at ${now} of ${messages.length}`);
  await new Promise((r) => setTimeout(r, 20));
}
const e2eSeconds = (performance.now() - t0) / 1000;
await producing;
await producerWorker.terminate();
await e2e.stop();
const e2eRate = messages.length / e2eSeconds;
const storedAfterE2e = await storedRows(store);
await truncate();

progress(`kafka → queryable: ${Math.round(e2eRate)} events/s`);
// 3. Freshness: produce at a steady rate; a row is visible once its insert is acknowledged.
const producedAt = new Map<string, number>();
const latencies: number[] = [];
const timedWriter = new BatchWriter(store, createIngestMetrics(new Registry()), log);
const write = timedWriter.write.bind(timedWriter);
timedWriter.write = async (batch, options) => {
  await write(batch, options);
  const now = performance.now();
  for (const rows of Object.values(batch.rows)) {
    for (const row of rows) {
      const at = producedAt.get(String(row.event_id));
      if (at !== undefined) latencies.push(now - at);
    }
  }
};
const steady = createKafkaIngestor(
  { brokers: broker.bootstrap, topics: ['bench-steady'], groupId: 'bench-steady' },
  { batchRows: 10_000, flushMs: 500 },
  timedWriter,
  createIngestMetrics(new Registry()),
  log,
);
await steady.start();
await new Promise((r) => setTimeout(r, 4_000)); // the group join
const perTick = Math.round(RATE / 10);
const ticks = SECONDS * 10;
let sent = 0;
const steadyStart = performance.now();
for (let tick = 0; tick < ticks; tick++) {
  const batch = messages.slice(
    (tick * perTick) % (messages.length - perTick),
    ((tick * perTick) % (messages.length - perTick)) + perTick,
  );
  // Fresh ids so every steady message is a new event.
  const fresh = batch.map((m, k) => {
    const event = JSON.parse(m.value) as CallcastEvent;
    event.event_id = `00000000-0000-4000-9000-${(tick * perTick + k).toString(16).padStart(12, '0')}`;
    return { key: m.key, value: JSON.stringify(event), id: event.event_id };
  });
  const at = performance.now();
  for (const m of fresh) producedAt.set(m.id, at);
  await producer.send({ topic: 'bench-steady', messages: fresh.map(({ key, value }) => ({ key, value })) });
  sent += fresh.length;
  const next = steadyStart + (tick + 1) * 100;
  const wait = next - performance.now();
  if (wait > 0) await new Promise((r) => setTimeout(r, wait));
}
const achievedRate = sent / ((performance.now() - steadyStart) / 1000);
const deadline = Date.now() + 60_000;
while (latencies.length < producedAt.size && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
await steady.stop();
latencies.sort((a, b) => a - b);

await producer.disconnect();
await broker.stop();
await store.close();
rmSync(dir, { recursive: true, force: true });

console.log(
  JSON.stringify(
    {
      events: messages.length,
      partitions: PARTITIONS,
      rawInsert: { seconds: round(rawSeconds, 2), eventsPerSecond: Math.round(rawRate) },
      // Rows per second per round; batchWriter = the service's path (JSONCompactEachRow + dedup token).
      insertFormats,
      kafkaToQueryable: {
        seconds: round(e2eSeconds, 2),
        eventsPerSecond: Math.round(e2eRate),
        storedRows: storedAfterE2e,
        produceSeconds: round(produceSeconds, 2),
      },
      ratio: round(e2eRate / rawRate, 3),
      freshness: {
        targetRate: RATE,
        achievedRate: Math.round(achievedRate),
        seconds: SECONDS,
        measured: latencies.length,
        produced: producedAt.size,
        p50Ms: Math.round(quantile(latencies, 0.5)),
        p95Ms: Math.round(quantile(latencies, 0.95)),
        p99Ms: Math.round(quantile(latencies, 0.99)),
      },
    },
    null,
    2,
  ),
);
