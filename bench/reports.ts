// Times the weekly VOC report on simulated history (default: the demo's eight weeks × five
// queues plus the report week): building it from the store (all queues, one queue), and
// rendering HTML (with the ECharts SVG) and Markdown. Prints JSON.
// Usage: npm run bench:reports [-- --weeks 9 --queues 5 --scale 1]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { pino } from 'pino';
import { Registry } from 'prom-client';
import { migrate, openStore } from '../src/store/index.js';
import { simulateHistoryBatches, parseSurge } from '../pipelines/simulate/generator.js';
import { storeSink } from '../pipelines/ingest/store-sink.js';
import { BatchWriter } from '../pipelines/ingest/writer.js';
import { createIngestMetrics } from '../pipelines/ingest/prometheus.js';
import { buildVocReport } from '../src/reports/build.js';
import { renderHtml } from '../src/reports/html.js';
import { renderMarkdown } from '../src/reports/markdown.js';

const { values } = parseArgs({
  options: {
    weeks: { type: 'string', default: '9' },
    queues: { type: 'string', default: '5' },
    scale: { type: 'string', default: '1' },
  },
});
const weeks = Number(values.weeks);
const start = Date.parse('2026-11-16T00:00:00Z') - (weeks - 1) * 7 * 86_400_000; // the last week is 2026-W47
const dir = mkdtempSync(join(tmpdir(), 'callcast-bench-reports-'));
const store = await openStore({ kind: 'embedded', dataDir: dir, database: 'default' });
await migrate(store.client);
const sink = storeSink(new BatchWriter(store, createIngestMetrics(new Registry()), pino({ level: 'silent' })));
let events = 0;
const t0 = performance.now();
for (const batch of simulateHistoryBatches(
  {
    days: weeks * 7,
    queues: Number(values.queues),
    seed: 11,
    start,
    volumeScale: Number(values.scale),
    surges: [parseSurge('payment failed:2:2026-11-18T00:00:00Z')],
  },
  50_000,
)) {
  await sink.send(batch);
  events += batch.length;
}
const seedMs = performance.now() - t0;

const now = Date.parse('2026-12-01T00:00:00Z');
const week = { year: 2026, week: 47 };
async function timed<T>(work: () => Promise<T> | T): Promise<[T, number]> {
  const t = performance.now();
  const out = await work();
  return [out, Math.round(performance.now() - t)];
}
const [all, allMs] = await timed(() => buildVocReport(store.client, { week, now }));
const [, allAgainMs] = await timed(() => buildVocReport(store.client, { week, now }));
const [, oneMs] = await timed(() => buildVocReport(store.client, { week, queue: 'billing', now }));
const [html, htmlMs] = await timed(() => renderHtml(all));
const [md, mdMs] = await timed(() => renderMarkdown(all));
process.stdout.write(
  `${JSON.stringify(
    {
      history: {
        weeks,
        queues: Number(values.queues),
        scale: Number(values.scale),
        events,
        seed_s: Math.round(seedMs / 100) / 10,
      },
      week_offered: all.trend.at(-1)!.counts.offered,
      surges: all.surges.map((s) => s.reason),
      build_all_queues_ms: [allMs, allAgainMs],
      build_one_queue_ms: oneMs,
      render_html_ms: htmlMs,
      html_bytes: Buffer.byteLength(html),
      render_md_ms: mdMs,
      md_bytes: Buffer.byteLength(md),
    },
    null,
    2,
  )}\n`,
);
await store.close();
rmSync(dir, { recursive: true, force: true });
