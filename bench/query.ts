// Query latency of the metrics API over a large store. Generates events in SQL (INSERT …
// SELECT FROM numbers(), through the same materialized views as ingest), then times warm
// requests through the real Fastify app. Prints JSON.
// Usage: npm run bench:query [-- --events 50000000 --days 365 --reps 30 --dir /tmp/cc-bench --no-rollup]
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { isDeepStrictEqual, parseArgs } from 'node:util';
import { pino } from 'pino';
import { Registry } from 'prom-client';
import { buildApp } from '../src/api/app.js';
import { chTime, migrate, openStore } from '../src/store/index.js';
import { createIngestMetrics } from '../pipelines/ingest/prometheus.js';
import { BatchWriter } from '../pipelines/ingest/writer.js';
import { snapshotAll } from '../src/metrics/realtime.js';
import { queryMetrics, queryMetricsFromScratch, type MetricsQuery } from '../src/metrics/query.js';
import { reroll } from '../src/metrics/rollup.js';
import { referenceSnapshotAll } from '../test/metrics/realtime-reference.js';

/** The 1, 5 and 15 minute load averages: figures from a shared machine mean little without them. */
const loadavg = () => readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).map(Number);

const { values } = parseArgs({
  options: {
    events: { type: 'string', default: '50000000' },
    days: { type: 'string', default: '365' },
    reps: { type: 'string', default: '30' },
    dir: { type: 'string', default: '/tmp/callcast-bench-query' },
    // Merge contact_state fully first: the steady state background merges reach on a live store.
    merge: { type: 'boolean', default: false },
    // Roll up the settled half-hours before timing (the state a running service keeps). --no-rollup
    // skips the roll: on a store never rolled (a new --dir) every request is computed from scratch.
    rollup: { type: 'boolean', default: true },
  },
  allowNegative: true,
});
const events = Number(values.events);
const days = Number(values.days);
const reps = Number(values.reps);
const dir = `${values.dir}-${events}`;
const fresh = !existsSync(dir);
mkdirSync(dir, { recursive: true });
const store = await openStore({ kind: 'embedded', dataDir: dir, database: 'default' });
await migrate(store.client);

const now = Date.now();
const spanMs = days * 86_400_000;
const startMs = now - spanMs;
// Per contact: queued 1, answered 0.9, completed 0.9, abandoned 0.1, survey 0.18 = 3.08 events;
// agent state changes make up the last 3 %.
const contacts = Math.round((events * 0.97) / 3.08);
const agentEvents = events - Math.round(contacts * 3.08);
const chunk = 2_000_000;

const CONTACT = (type: string, time: string, where: string, extra = '') =>
  `
INSERT INTO contact_events (event_id, type, occurred_at, contact_id, queue, channel, customer_id, reason, agent_id, talk_s, hold_s, wrap_s, transferred, _source)
SELECT generateUUIDv4(number) AS event_id, '${type}',
  toDateTime64({start:DateTime64(3)}, 3, 'UTC') + toIntervalMillisecond(intDiv(number * {span:UInt64}, {k:UInt64})) AS q_at,
  concat('c', toString(number)),
  ${type === 'contact.queued' ? `['billing', 'tech-support', 'sales', 'retention', 'general'][number % 5 + 1]` : `''`},
  ${type === 'contact.queued' ? `['voice', 'voice', 'voice', 'chat', 'email', 'messaging'][cityHash64(number) % 6 + 1]` : `''`},
  ${type === 'contact.queued' ? `concat('cu', toString(cityHash64(number, 1) % intDiv({k:UInt64}, 3)))` : `''`},
  ${type === 'contact.queued' ? `['invoice', 'refund', 'login', 'delivery'][cityHash64(number, 2) % 4 + 1]` : `''`},
  ${extra || `'', 0, 0, 0, NULL`}, 'bench'
FROM numbers({from:UInt64}, {count:UInt64})
WHERE ${where}`.replace('AS q_at', `+ toIntervalSecond(${time}) AS q_at`);

const answeredWhere = 'cityHash64(number) % 10 != 0';
const INSERTS = [
  CONTACT('contact.queued', '0', '1'),
  CONTACT(
    'contact.answered',
    'cityHash64(number, 3) % 90',
    answeredWhere,
    `concat('a', toString(number % 200)), 0, 0, 0, NULL`,
  ),
  CONTACT(
    'contact.completed',
    'cityHash64(number, 3) % 90 + 60 + cityHash64(number, 4) % 600',
    answeredWhere,
    `concat('a', toString(number % 200)), 60 + cityHash64(number, 4) % 600, cityHash64(number, 5) % 60, 10 + cityHash64(number, 6) % 90, cityHash64(number, 8) % 12 = 0`,
  ),
  CONTACT('contact.abandoned', 'cityHash64(number, 3) % 120', 'cityHash64(number) % 10 = 0'),
];
const SURVEYS = `
INSERT INTO survey_events (event_id, occurred_at, contact_id, nps, csat, fcr, _source)
SELECT generateUUIDv4(number + 1000000000000),
  toDateTime64({start:DateTime64(3)}, 3, 'UTC') + toIntervalMillisecond(intDiv(number * {span:UInt64}, {k:UInt64})) + toIntervalSecond(900),
  concat('c', toString(number)), cityHash64(number, 9) % 11, 1 + cityHash64(number, 10) % 5, cityHash64(number, 11) % 3 = 0, 'bench'
FROM numbers({from:UInt64}, {count:UInt64})
WHERE cityHash64(number) % 10 != 0 AND cityHash64(number, 12) % 5 = 0`;
const AGENTS = `
INSERT INTO agent_state_events (event_id, occurred_at, agent_id, state, queues, _source)
SELECT generateUUIDv4(number + 2000000000000),
  toDateTime64({start:DateTime64(3)}, 3, 'UTC') + toIntervalMillisecond(intDiv(number * {span:UInt64}, {k:UInt64})),
  concat('a', toString(number % 200)), ['available', 'on_contact', 'wrap_up', 'available', 'on_contact', 'break'][cityHash64(number) % 6 + 1],
  [['billing', 'tech-support', 'sales', 'retention', 'general'][number % 5 + 1]], 'bench'
FROM numbers({from:UInt64}, {count:UInt64})`;

const loadavgAtStart = loadavg();
const generateStarted = performance.now();
if (fresh) {
  const common = { start: chTime(startMs), span: spanMs };
  for (let from = 0; from < contacts; from += chunk) {
    const count = Math.min(chunk, contacts - from);
    for (const query of [...INSERTS, SURVEYS]) {
      await store.client.command({ query, query_params: { ...common, k: contacts, from, count } });
    }
    process.stderr.write(`contacts ${from + count}/${contacts}\n`);
  }
  for (let from = 0; from < agentEvents; from += chunk) {
    await store.client.command({
      query: AGENTS,
      query_params: { ...common, k: agentEvents, from, count: Math.min(chunk, agentEvents - from) },
    });
  }
}
const generateSeconds = (performance.now() - generateStarted) / 1000;
const mergeStarted = performance.now();
if (values.merge)
  await store.client.command({
    query: 'OPTIMIZE TABLE contact_state FINAL',
    clickhouse_settings: { optimize_throw_if_noop: 0 },
  });
const mergeSeconds = (performance.now() - mergeStarted) / 1000;

// The first roll of every settled half-hour, then a re-roll with nothing new (the steady cost).
const rollups: Array<Awaited<ReturnType<typeof reroll>>> = [];
if (values.rollup) {
  rollups.push(await reroll(store.client));
  rollups.push(await reroll(store.client));
}

const sizes = await (
  await store.client.query({
    query: `SELECT table, sum(rows) AS rows, sum(bytes_on_disk) AS bytes FROM system.parts
            WHERE active AND database = currentDatabase() GROUP BY table ORDER BY table`,
    format: 'JSONEachRow',
  })
).json<{ table: string; rows: string; bytes: string }>();

const logger = pino({ level: 'silent' });
const registry = new Registry();
const ingestMetrics = createIngestMetrics(registry);
// A generous store deadline: here we measure how long queries take, not the 503 path.
const app = await buildApp({
  store,
  writer: new BatchWriter(store, ingestMetrics, logger),
  ingestMetrics,
  registry,
  logger,
  queryTimeoutMs: 300_000,
});

// The first request of a URL is cold: this process has read nothing of its rolled half-hours yet.
async function time(url: string) {
  const started = performance.now();
  const first = await app.inject({ method: 'GET', url });
  const firstMs = Math.round((performance.now() - started) * 10) / 10;
  if (first.statusCode !== 200) throw new Error(`${url}: ${first.statusCode} ${first.body.slice(0, 300)}`);
  const ms: number[] = [];
  for (let i = 0; i < reps; i++) {
    const t = performance.now();
    const r = await app.inject({ method: 'GET', url });
    ms.push(performance.now() - t);
    if (r.statusCode !== 200) throw new Error(`${url}: ${r.statusCode} ${r.body.slice(0, 300)}`);
  }
  ms.sort((a, b) => a - b);
  const pick = (p: number) => Math.round(ms[Math.min(ms.length - 1, Math.ceil(p * ms.length) - 1)]! * 10) / 10;
  return { url, first_ms: firstMs, p50_ms: pick(0.5), p95_ms: pick(0.95), max_ms: pick(1) };
}

const sixWeeksAgo = new Date(now - 42 * 86_400_000).toISOString().slice(0, 10);
const today = new Date(now).toISOString().slice(0, 10);
// Six weeks up to today (its unsettled part computed live on every request), and six whole weeks
// ending yesterday (all settled: the answer is kept until the store changes).
const yesterday = new Date(now - 86_400_000).toISOString().slice(0, 10);
const weeksToYesterday = new Date(now - 43 * 86_400_000).toISOString().slice(0, 10);
const results = [
  await time('/v1/realtime?queue=billing'),
  await time('/v1/realtime'),
  await time(`/v1/metrics?queue=billing&from=${sixWeeksAgo}&to=${today}&interval=30m`),
  await time(`/v1/metrics?queue=billing&from=${sixWeeksAgo}&to=${today}&interval=1d`),
  await time(`/v1/metrics?queue=billing&from=${weeksToYesterday}&to=${yesterday}&interval=30m`),
  await time(`/v1/metrics?queue=billing&from=${weeksToYesterday}&to=${yesterday}&interval=1d`),
];
// The wallboard's all-queues snapshot against the per-queue code it replaced (~6 queries per
// queue), called directly on the store, queries counted.
async function timeSnapshot(run: (client: typeof store.client) => Promise<unknown>) {
  let queries = 0;
  const client = Object.create(store.client) as typeof store.client;
  client.query = ((params: Parameters<typeof store.client.query>[0]) => (
    queries++,
    store.client.query(params)
  )) as typeof store.client.query;
  await run(client);
  queries = 0;
  const ms: number[] = [];
  for (let i = 0; i < reps; i++) {
    const t = performance.now();
    await run(client);
    ms.push(performance.now() - t);
  }
  ms.sort((a, b) => a - b);
  return {
    queries: queries / reps,
    p50_ms: Math.round(ms[Math.floor((ms.length - 1) / 2)]! * 10) / 10,
    max_ms: Math.round(ms.at(-1)! * 10) / 10,
  };
}
/** Six weeks of billing up to today's midnight (UTC), as queryMetrics is called directly. */
const sixWeeks = (interval: '30m' | '1d'): MetricsQuery => ({
  queue: 'billing',
  from: Date.parse(sixWeeksAgo),
  to: Date.parse(today),
  interval,
  now: Date.now(),
});
// The rollup's answers against the from-scratch computation, same request, same now.
const sameAsFromScratch: Record<string, boolean> = {};
for (const interval of ['30m', '1d'] as const) {
  const q = sixWeeks(interval);
  const [rolled, reference] = [await queryMetrics(store.client, q), await queryMetricsFromScratch(store.client, q)];
  sameAsFromScratch[interval] = isDeepStrictEqual(rolled, reference);
}
// The same six-week request with the rollup and from scratch, interleaved request by request so
// both see the same load (on a shared machine the timed runs above may not).
async function interleaved() {
  const out: Record<string, { rollup_p50_ms: number; from_scratch_p50_ms: number; rounds: number }> = {};
  const rounds = Math.min(reps, 5);
  for (const interval of ['30m', '1d'] as const) {
    const q = sixWeeks(interval);
    const rolled: number[] = [];
    const scratch: number[] = [];
    for (let i = 0; i < rounds; i++) {
      let t = performance.now();
      await queryMetrics(store.client, q);
      rolled.push(performance.now() - t);
      t = performance.now();
      await queryMetricsFromScratch(store.client, q);
      scratch.push(performance.now() - t);
    }
    const p50 = (ms: number[]) => Math.round(ms.sort((a, b) => a - b)[Math.floor((ms.length - 1) / 2)]! * 10) / 10;
    out[interval] = { rollup_p50_ms: p50(rolled), from_scratch_p50_ms: p50(scratch), rounds };
  }
  return out;
}
const metricsInterleaved = values.rollup ? await interleaved() : null;
const realtimeAllQueues = {
  same_answer: isDeepStrictEqual(await snapshotAll(store.client, now), await referenceSnapshotAll(store.client, now)),
  snapshot_all: await timeSnapshot((c) => snapshotAll(c, now)),
  per_queue_reference: await timeSnapshot((c) => referenceSnapshotAll(c, now)),
};

const stored = Object.fromEntries(
  sizes.map((s) => [s.table, { rows: Number(s.rows), bytes_on_disk: Number(s.bytes) }]),
);
const rawEvents = ['contact_events', 'survey_events', 'agent_state_events'].reduce(
  (n, t) => n + (stored[t]?.rows ?? 0),
  0,
);
process.stdout.write(
  `${JSON.stringify(
    {
      engine: 'embedded chDB',
      loadavg_at_start: loadavgAtStart,
      events_requested: events,
      events_stored: rawEvents,
      contacts,
      days,
      queues: 5,
      generated_now: fresh,
      generate_seconds: Math.round(generateSeconds),
      merged_contact_state: values.merge,
      merge_seconds: Math.round(mergeSeconds),
      rollup: values.rollup
        ? { first_roll: rollups[0], steady_reroll: rollups[1], same_as_from_scratch: sameAsFromScratch }
        : null,
      tables: stored,
      reps,
      target_p95_ms: 50,
      results,
      realtimeAllQueues,
      metrics_interleaved: metricsInterleaved,
      loadavg: loadavg(),
    },
    null,
    2,
  )}\n`,
);
await app.close();
await store.close();
