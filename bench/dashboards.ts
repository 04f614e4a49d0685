// Latency of every ClickHouse panel query of the Grafana dashboards on the embedded engine,
// over simulated history, expanded as Grafana and the ClickHouse plugin expand them. Prints JSON.
// Usage: npm run bench:dashboards [-- --days 28 --queues 5 --scale 1 --reps 5]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
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
import { expandPanelSql } from '../test/dashboards/expand.js';

const { values } = parseArgs({
  options: {
    days: { type: 'string', default: '28' },
    queues: { type: 'string', default: '5' },
    scale: { type: 'string', default: '1' },
    reps: { type: 'string', default: '5' },
  },
});
const days = Number(values.days);
const reps = Number(values.reps);
const DAY = 86_400_000;
const end = Date.UTC(2026, 10, 2); // a Monday, so the history is whole weeks
const start = end - days * DAY;

const dir = mkdtempSync(join(tmpdir(), 'callcast-bench-dashboards-'));
const store = await openStore({ kind: 'embedded', dataDir: dir, database: 'default' });
try {
  await migrate(store.client);
  const writer = new BatchWriter(store, createIngestMetrics(new Registry()), pino({ level: 'silent' }));
  const sink = storeSink(writer);
  let events = 0;
  const seedStart = performance.now();
  for (const batch of simulateHistoryBatches(
    {
      days,
      queues: Number(values.queues),
      seed: 3,
      start: new Date(start).toISOString(),
      volumeScale: Number(values.scale),
    },
    50_000,
  )) {
    await sink.send(batch);
    events += batch.length;
  }
  const seedSeconds = (performance.now() - seedStart) / 1000;
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
    max_ms: number;
  }[] = [];
  for (const q of buildAll().flatMap((b) => b.queries)) {
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
        p50_ms: Math.round(times[Math.floor(times.length / 2)]!),
        max_ms: Math.round(times.at(-1)!),
      });
    }
  }
  const slowest = [...results].sort((a, b) => b.p50_ms - a.p50_ms).slice(0, 5);
  process.stdout.write(
    `${JSON.stringify({ events, days, queues: queues.length, seed_seconds: Math.round(seedSeconds * 10) / 10, reps, slowest, results }, null, 2)}\n`,
  );
} finally {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
}
