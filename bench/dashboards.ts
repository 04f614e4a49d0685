// Latency of every ClickHouse panel query of the Grafana dashboards on the embedded engine,
// over simulated history, expanded as Grafana and the ClickHouse plugin expand them. The settled
// half-hours are rolled up first, the contact rollup and the rollup by reason (the state a running
// service keeps; --no-rollup skips both).
// Prints JSON: p50/p95/max per panel and range, the panels over the 200 ms p95 target, load average.
// Usage: npm run bench:dashboards [-- --days 28 --queues 5 --scale 1 | --events 10000000] [--reps 20] [--no-rollup]
//   [--store DIR] keeps the seeded store in DIR (seeded only when DIR holds none; reused as it is otherwise)
//   [--only TEXT] times only the panels whose title contains TEXT
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { pino } from 'pino';
import { Registry } from 'prom-client';
import { migrate, openStore } from '../src/store/index.js';
import { simulateHistoryBatches } from '../pipelines/simulate/generator.js';
import { storeSink } from '../pipelines/ingest/store-sink.js';
import { BatchWriter } from '../pipelines/ingest/writer.js';
import { createIngestMetrics } from '../pipelines/ingest/prometheus.js';
import { buildAll } from '../dashboards/index.js';
import { reroll } from '../src/metrics/rollup.js';
import { rollReasons } from '../src/metrics/reason-rollup.js';
import { expandPanelSql } from '../test/dashboards/expand.js';

const { values } = parseArgs({
  options: {
    days: { type: 'string', default: '28' },
    queues: { type: 'string', default: '5' },
    scale: { type: 'string', default: '1' },
    // About this many events: sets --scale from the simulator's volume at scale 1.
    events: { type: 'string' },
    reps: { type: 'string', default: '20' },
    rollup: { type: 'boolean', default: true },
    store: { type: 'string' },
    only: { type: 'string' },
  },
  allowNegative: true,
});
/** Events the simulator writes per queue and day at volume scale 1 (369,835 over 14 days × 5 queues). */
const EVENTS_PER_QUEUE_DAY = 5_283;
const TARGET_P95_MS = 200;
const days = Number(values.days);
const reps = Number(values.reps);
const scale = values.events
  ? Math.min(100, Number(values.events) / (EVENTS_PER_QUEUE_DAY * days * Number(values.queues)))
  : Number(values.scale);
const DAY = 86_400_000;
const end = Date.UTC(2026, 10, 2); // a Monday, so the history is whole weeks
const start = end - days * DAY;

const keep = values.store !== undefined;
const reuse = keep && existsSync(join(values.store!, 'store'));
const dir = values.store ?? mkdtempSync(join(tmpdir(), 'callcast-bench-dashboards-'));
const store = await openStore({ kind: 'embedded', dataDir: join(dir, 'store'), database: 'default' });
try {
  await migrate(store.client);
  const writer = new BatchWriter(store, createIngestMetrics(new Registry()), pino({ level: 'silent' }));
  const sink = storeSink(writer);
  let events = 0;
  const seedStart = performance.now();
  for (const batch of reuse
    ? []
    : simulateHistoryBatches(
        {
          days,
          queues: Number(values.queues),
          seed: 3,
          start: new Date(start).toISOString(),
          volumeScale: scale,
        },
        50_000,
      )) {
    await sink.send(batch);
    events += batch.length;
  }
  const seedSeconds = (performance.now() - seedStart) / 1000;
  // A reused store: its events, as the seeding counted them (raw rows, duplicates included).
  if (reuse)
    events = Number(
      (
        await (
          await store.client.query({
            query: `SELECT (SELECT count() FROM contact_events) + (SELECT count() FROM survey_events)
              + (SELECT count() FROM agent_state_events) AS n`,
            format: 'JSONEachRow',
          })
        ).json<{ n: string }>()
      )[0]!.n,
    );
  const rollStart = performance.now();
  const rolled = values.rollup && !reuse ? await reroll(store.client) : null;
  const rollSeconds = (performance.now() - rollStart) / 1000;
  // The rollup by reason follows the contact rollup (a reused store catches up on what it lacks).
  const reasons = values.rollup ? await rollReasons(store.client) : null;
  process.stderr.write(
    `seeded ${events} events in ${seedSeconds.toFixed(0)} s; rolled in ${rollSeconds.toFixed(0)} s\n`,
  );
  const queues = (
    await (
      await store.client.query({
        query: 'SELECT DISTINCT queue FROM queues_seen ORDER BY queue',
        format: 'JSONEachRow',
      })
    ).json<{ queue: string }>()
  ).map((r) => r.queue);

  const ranges = {
    last_day: [end - DAY, end],
    last_7_days: [end - 7 * DAY, end],
    [`all_${days}_days`]: [start, end],
  } as const;
  const results: {
    dashboard: string;
    panel: string;
    refId: string;
    range: string;
    rows: number;
    p50_ms: number;
    p95_ms: number;
    max_ms: number;
  }[] = [];
  const pick = (sorted: number[], q: number) =>
    Math.round(sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!);
  for (const q of buildAll()
    .flatMap((b) => b.queries)
    .filter((x) => values.only === undefined || x.panel.includes(values.only))) {
    for (const [range, [fromMs, toMs]] of Object.entries(ranges)) {
      const sql = expandPanelSql(q.sql, {
        fromMs: fromMs!,
        toMs: toMs!,
        intervalMs: 1_800_000,
        variables: {
          queue: q.dashboard === 'callcast-live' ? queues[0]! : queues,
          channel: ['voice', 'chat', 'email', 'messaging'],
          tz: 'UTC',
        },
      });
      const times: number[] = [];
      let rows = 0;
      for (let i = 0; i <= reps; i++) {
        const t0 = performance.now();
        rows = (await (await store.client.query({ query: sql, format: 'JSONEachRow' })).json()).length;
        if (i > 0) times.push(performance.now() - t0); // the first run warms caches
      }
      times.sort((a, b) => a - b);
      results.push({
        dashboard: q.dashboard,
        panel: q.panel,
        refId: q.refId,
        range,
        rows,
        p50_ms: pick(times, 0.5),
        p95_ms: pick(times, 0.95),
        max_ms: Math.round(times.at(-1)!),
      });
    }
  }
  const slowest = [...results].sort((a, b) => b.p95_ms - a.p95_ms).slice(0, 8);
  const overTarget = results.filter((r) => r.p95_ms > TARGET_P95_MS);
  const summary = {
    events,
    days,
    queues: queues.length,
    scale: Math.round(scale * 1000) / 1000,
    seed_seconds: Math.round(seedSeconds * 10) / 10,
    rollup: rolled && { ...rolled, seconds: Math.round(rollSeconds * 10) / 10 },
    reason_rollup: reasons && { ...reasons, seconds: Math.round(reasons.seconds * 10) / 10 },
    reps,
    loadavg_end: loadavg().map((l) => Math.round(l * 100) / 100),
    target_p95_ms: TARGET_P95_MS,
    over_target: overTarget.length,
    queries: results.length,
    slowest,
  };
  process.stdout.write(`${JSON.stringify({ ...summary, results }, null, 2)}\n`);
} finally {
  await store.close();
  if (!keep) rmSync(dir, { recursive: true, force: true });
}
