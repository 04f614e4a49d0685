// Latency of GET /v1/agents (the live agents view) on the embedded engine. Generates a day of
// agent states and contacts for N agents in SQL (INSERT … SELECT FROM numbers(), through the
// same materialized views as ingest), then times sequential warm requests through the real
// Fastify app (each computed afresh: a plain GET shares only a computation in progress). Then the
// view computed in-process request by request, interleaved, with its contacts read from
// agent_contacts (what the route does) and from one pass over contact_events (the reference), so
// both see the same load. Prints JSON.
// Usage: npm run bench:agents [-- --agents 2000 --contacts 30 --reps 50 --dir /tmp/callcast-bench-agents]
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { pino } from 'pino';
import { Registry } from 'prom-client';
import { buildApp } from '../src/api/app.js';
import { liveAgents } from '../src/agents/live.js';
import { chTime, migrate, openStore } from '../src/store/index.js';
import { createIngestMetrics } from '../pipelines/ingest/prometheus.js';
import { BatchWriter } from '../pipelines/ingest/writer.js';

const { values } = parseArgs({
  options: {
    agents: { type: 'string', default: '2000' },
    contacts: { type: 'string', default: '30' },
    reps: { type: 'string', default: '50' },
    dir: { type: 'string' },
  },
});
const agents = Number(values.agents);
const perAgent = Number(values.contacts);
const reps = Number(values.reps);
const dir = values.dir ?? mkdtempSync(join(tmpdir(), 'callcast-bench-agents-'));
const store = await openStore({ kind: 'embedded', dataDir: dir, database: 'default' });
await migrate(store.client);

const now = Date.now();
// Ten minutes before a day ago, so the last contact's completion (6 min 10 s after its queue
// time) is not stamped after the requests' now.
const day = now - 86_400_000 - 600_000;
const QUEUES = `['billing', 'tech-support', 'sales', 'retention', 'general']`;
const params = { start: chTime(day), agents, per: perAgent, step: Math.floor(86_400_000 / perAgent) };

// Agent a's k-th contact: queued at start + k × step + (a × 7 s mod step), so every event lies
// in the past, answered 10 s later, completed
// 6 minutes later, except each agent's last contact (still open). States: on a contact when
// answered, wrap-up 5 minutes later, available at completion; the agents whose number ends in 7
// go on a break at their last completion, those ending in 3 fall silent an hour ago.
const contactTime = `toDateTime64({start:DateTime64(3)}, 3, 'UTC') + toIntervalMillisecond(k * {step:UInt64} + (a * 7000) % {step:UInt64})`;
const gen = `FROM (SELECT number % {agents:UInt64} AS a, intDiv(number, {agents:UInt64}) AS k FROM numbers({agents:UInt64} * {per:UInt64}))`;
const statements = [
  `INSERT INTO contact_events (event_id, type, occurred_at, contact_id, queue, channel, agent_id, _source)
   SELECT generateUUIDv4(), 'contact.queued', ${contactTime}, concat('c', toString(a), '-', toString(k)),
     ${QUEUES}[a % 5 + 1], 'voice', '', 'bench' ${gen}`,
  `INSERT INTO contact_events (event_id, type, occurred_at, contact_id, agent_id, _source)
   SELECT generateUUIDv4(), 'contact.answered', ${contactTime} + INTERVAL 10 SECOND, concat('c', toString(a), '-', toString(k)),
     concat('agent-', toString(a)), 'bench' ${gen}`,
  `INSERT INTO contact_events (event_id, type, occurred_at, contact_id, agent_id, talk_s, hold_s, wrap_s, _source)
   SELECT generateUUIDv4(), 'contact.completed', ${contactTime} + INTERVAL 370 SECOND, concat('c', toString(a), '-', toString(k)),
     concat('agent-', toString(a)), 280, 20, 60, 'bench' ${gen} WHERE k + 1 < {per:UInt64}`,
  `INSERT INTO agent_state_events (event_id, occurred_at, agent_id, state, queues, _source)
   SELECT generateUUIDv4(), ${contactTime} + toIntervalSecond(s.2), concat('agent-', toString(a)), s.1, [${QUEUES}[a % 5 + 1]], 'bench'
   ${gen} ARRAY JOIN [('on_contact', 10), ('wrap_up', 310), (if(a % 10 = 7 AND k + 2 = {per:UInt64}, 'break', 'available'), 370)] AS s
   WHERE (k + 1 < {per:UInt64} OR s.1 = 'on_contact') AND (a % 10 != 3 OR ${contactTime} < now64(3) - INTERVAL 1 HOUR)`,
];
const loadStart = performance.now();
for (const query of statements) await store.client.command({ query, query_params: params });
const loadMs = performance.now() - loadStart;
// The generating inserts leave each table in a few large parts that background merges would
// combine in time (agent_contacts: a row per event until its parts merge to one per contact and
// day); the requests are timed on the merged tables, as a store that has been running reads them.
const mergeStart = performance.now();
for (const table of ['contact_events', 'agent_contacts', 'agent_names', 'agent_state_events', 'agent_current'])
  await store.client.command({ query: `OPTIMIZE TABLE ${table} FINAL` });
const mergeMs = performance.now() - mergeStart;
const count = async (sql: string) =>
  Number(
    (await (await store.client.query({ query: sql, format: 'JSONEachRow' })).json<Record<string, string>>())[0]!.n,
  );
const rows = {
  agent_state_events: await count('SELECT count() AS n FROM agent_state_events'),
  contact_events: await count('SELECT count() AS n FROM contact_events'),
};

const logger = pino({ level: 'silent' });
const registry = new Registry();
const ingestMetrics = createIngestMetrics(registry);
const writer = new BatchWriter(store, ingestMetrics, logger);
const app = await buildApp({ store, writer, ingestMetrics, registry, logger });

async function time(url: string) {
  const samples: number[] = [];
  let body: { agents: unknown[]; counts: Record<string, number> } | undefined;
  for (let i = 0; i < reps + 3; i++) {
    const t0 = performance.now();
    const r = await app.inject({ method: 'GET', url });
    const ms = performance.now() - t0;
    if (r.statusCode !== 200) throw new Error(`${url}: HTTP ${r.statusCode} ${r.body.slice(0, 300)}`);
    body = r.json();
    if (i >= 3) samples.push(ms); // the first three warm the engine's caches
  }
  samples.sort((a, b) => a - b);
  const pick = (q: number) =>
    Number(samples[Math.min(samples.length - 1, Math.ceil(q * samples.length) - 1)]!.toFixed(1));
  return {
    url,
    agents_listed: body!.agents.length,
    counts: body!.counts,
    p50_ms: pick(0.5),
    p95_ms: pick(0.95),
    max_ms: pick(1),
  };
}

const pick = (samples: number[], q: number) =>
  Number(samples[Math.min(samples.length - 1, Math.ceil(q * samples.length) - 1)]!.toFixed(1));
const summary = (samples: number[]) => {
  samples.sort((a, b) => a - b);
  return { p50_ms: pick(samples, 0.5), p95_ms: pick(samples, 0.95), max_ms: pick(samples, 1) };
};

// The live view in-process, its contacts from agent_contacts and from the raw events, alternately.
async function interleaved() {
  const load = loadavg().map((x) => Number(x.toFixed(2)));
  const samples = { table: [] as number[], raw: [] as number[] };
  for (let i = 0; i < reps + 3; i++)
    for (const contacts of ['table', 'raw'] as const) {
      const t0 = performance.now();
      await liveAgents(store.client, Date.now(), { silenceMs: 900_000, contacts });
      if (i >= 3) samples[contacts].push(performance.now() - t0);
    }
  return {
    load_average_before: load,
    contacts_from_agent_contacts: summary(samples.table),
    contacts_from_raw_events: summary(samples.raw),
  };
}

const loadBefore = loadavg().map((x) => Number(x.toFixed(2)));
const all = await time('/v1/agents');
const one = await time('/v1/agents?queue=billing');
const loadRoutes = loadavg().map((x) => Number(x.toFixed(2)));
const inProcess = await interleaved();
await app.close();
if (!values.dir) rmSync(dir, { recursive: true, force: true });
console.log(
  JSON.stringify(
    {
      bench: 'agents',
      engine: 'embedded (chDB)',
      agents,
      contacts_per_agent: perAgent,
      rows,
      load_ms: Math.round(loadMs),
      merge_ms: Math.round(mergeMs),
      reps,
      target_p95_ms: 100,
      // The machine's load average (1, 5, 15 min) before and after the timed requests.
      load_average: { before: loadBefore, after_routes: loadRoutes, after: loadavg().map((x) => Number(x.toFixed(2))) },
      results: [all, one],
      // liveAgents in-process (no HTTP, no serialisation), the two contact reads alternating.
      in_process_interleaved: inProcess,
    },
    null,
    2,
  ),
);
