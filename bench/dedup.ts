// Measures the ways to make a redelivered event count once, on the embedded engine:
// ReplacingMergeTree read with FINAL, an argMax/GROUP BY event_id read, and uniqExact.
// Prints JSON. Usage: npm run bench:dedup [-- --rows 5000000 --dup 0.02]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { migrate, openStore } from '../src/store/index.js';

const { values } = parseArgs({
  options: { rows: { type: 'string', default: '5000000' }, dup: { type: 'string', default: '0.02' } },
});
const rows = Number(values.rows);
const dupShare = Number(values.dup);
const dir = mkdtempSync(join(tmpdir(), 'callcast-bench-dedup-'));
const store = await openStore({ kind: 'embedded', dataDir: dir, database: 'default' });
await migrate(store.client);

// Unique events in several inserts (as batches arrive), then a share of them delivered again.
const unique = Math.round(rows / (1 + dupShare));
const generate = (from: string, count: number) => `
  INSERT INTO contact_events (event_id, type, occurred_at, contact_id, queue, channel, _source)
  SELECT reinterpretAsUUID(reverse(unhex(lpad(hex(number), 32, '0')))), 'contact.queued',
         toDateTime64('2026-09-01 00:00:00', 3, 'UTC') + toIntervalMillisecond(number * 4000),
         toString(number), concat('q', toString(number % 50)), 'voice', 'bench'
  FROM numbers(${from}, ${count})`;
const step = 500_000;
for (let start = 0; start < unique; start += step)
  await store.client.command({ query: generate(String(start), Math.min(step, unique - start)) });
const dups = rows - unique;
for (let k = 0; k < dups; k += step)
  await store.client.command({ query: generate(String((k * 37) % unique), Math.min(step, dups - k)) });

async function time(name: string, query: string, repeat = 5) {
  const times: number[] = [];
  let result = '';
  for (let i = 0; i < repeat; i++) {
    const t = performance.now();
    const out = await (await store.client.query({ query, format: 'JSONEachRow' })).json<Record<string, unknown>>();
    times.push(performance.now() - t);
    result = JSON.stringify(out.length === 1 ? out[0] : out.length);
  }
  times.sort((a, b) => a - b);
  return { name, medianMs: Math.round(times[Math.floor(repeat / 2)]! * 10) / 10, result };
}

const halfHourFinal = `SELECT queue, toStartOfInterval(occurred_at, INTERVAL 30 MINUTE) AS t, count() AS n
  FROM contact_events FINAL WHERE queue = 'q7' GROUP BY queue, t ORDER BY t FORMAT Null`;
const halfHourArgMax = `SELECT q, t, count() AS n FROM (
    SELECT event_id, any(queue) AS q, toStartOfInterval(any(occurred_at), INTERVAL 30 MINUTE) AS t
    FROM contact_events WHERE queue = 'q7' GROUP BY event_id) GROUP BY q, t ORDER BY t FORMAT Null`;
const results = [
  await time('count, no dedup (wrong)', 'SELECT count() AS n FROM contact_events'),
  await time('count FINAL', 'SELECT count() AS n FROM contact_events FINAL'),
  await time('uniqExact(event_id)', 'SELECT uniqExact(event_id) AS n FROM contact_events'),
  await time('one queue by half-hour, FINAL', halfHourFinal.replace(' FORMAT Null', '')),
  await time('one queue by half-hour, GROUP BY event_id', halfHourArgMax.replace(' FORMAT Null', '')),
];
await store.client.command({ query: 'OPTIMIZE TABLE contact_events FINAL' });
results.push(await time('count FINAL after OPTIMIZE', 'SELECT count() AS n FROM contact_events FINAL'));
results.push(await time('count, no dedup, after OPTIMIZE', 'SELECT count() AS n FROM contact_events'));
console.log(JSON.stringify({ rows, unique, duplicates: dups, results }, null, 2));
await store.close();
rmSync(dir, { recursive: true, force: true });
