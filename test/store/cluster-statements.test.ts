// The app's own statements against the cluster form of the schema (CLICKHOUSE_CLUSTER), on the
// embedded engine (test/support/cluster-store.ts): a week of simulated events is ingested, the
// rollup, the forecast job and the alert evaluator run once, and every GET route of the API is
// called; each statement is recorded as sent. They all run through Distributed tables over a
// one-shard cluster, with the cluster settings. Then the Distributed tables are pointed at a
// two-shard cluster and each recorded read is planned again (EXPLAIN): with the app's
// distributed_product_mode = 'global' none is refused; with ClickHouse's default ('deny') the
// ones that put IN / JOIN over Distributed tables are, which is what the setting is for.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openClusterStore, TWO_SHARDS, CLUSTER, type ClusterStore } from '../support/cluster-store.js';
import { appWithRoutes, send, type RouteInfo, type TestApp } from '../hostile/support/app.js';
import { seedEvents, START_MS, DAY_MS, DAYS } from '../dashboards/seed.js';
import { reroll } from '../../src/metrics/rollup.js';
import { runForecastJob } from '../../forecasts/job/run.js';
import { AlertEvaluator } from '../../src/alerts/evaluator.js';
import { JobLease } from '../../src/store/lease.js';

const NOW = START_MS + DAYS * DAY_MS + 9 * 3_600_000; // Monday after the simulated week, 09:00 UTC

let cs: ClusterStore;
let app: TestApp;
let routes: RouteInfo[];
const answers: { route: string; url: string; status: number }[] = [];

// Values tried for each query-string or path field a route declares (next one after a 400 on it).
const VALUES: Record<string, string[]> = {
  queue: ['billing'],
  id: ['billing'],
  channel: ['voice'],
  agent_id: ['agent-001'],
  run_id: [], // the forecast run's id, set once it ran
  from: ['2026-11-09', '2026-11-09T00:00:00Z'],
  to: ['2026-11-16', '2026-11-16T00:00:00Z'],
  week: ['2026-W46', '2026-11-16'],
  date: ['2026-11-13'],
  day: ['2026-11-13'],
  interval: ['30m'],
  granularity: ['30m'],
  at: ['2026-11-13T10:00:00Z'],
};

type Schema = { properties?: Record<string, unknown>; required?: string[] };

async function callRoute(route: RouteInfo): Promise<void> {
  const query = ((route.schema?.querystring ?? {}) as Schema).properties ?? {};
  const choice = new Map<string, number>();
  for (const field of Object.keys(query)) if (VALUES[field]) choice.set(field, 0);
  for (let attempt = 0; attempt < 4; attempt++) {
    const path = route.url.replace(/:(\w+)/g, (_, name: string) => encodeURIComponent(VALUES[name]?.[0] ?? 'x'));
    const qs = new URLSearchParams(
      [...choice].filter(([, i]) => i >= 0).map(([f, i]) => [f, VALUES[f]![i]!] as [string, string]),
    ).toString();
    const url = qs ? `${path}?${qs}` : path;
    const answer = await send(app, { method: 'GET', url });
    answers.push({ route: route.url, url, status: answer.status });
    if (answer.status !== 400) return;
    const field = (JSON.parse(answer.body) as { field?: string }).field ?? '';
    const i = choice.get(field);
    if (i === undefined) return;
    // the next value, then without the field
    choice.set(field, i + 1 < VALUES[field]!.length ? i + 1 : -1);
  }
}

beforeAll(async () => {
  cs = await openClusterStore();
  await seedEvents(cs.store);
  await reroll(cs.store.client, { now: NOW });
  const run = await runForecastJob(cs.store.client, { asOf: NOW, horizonDays: 7, workers: 0, now: () => NOW });
  VALUES.run_id = [run.runId];
  await new AlertEvaluator({ client: cs.store.client, now: () => NOW }).evaluate(NOW);
  const lease = new JobLease(cs.store.client, { job: 'jobs', holder: 'cluster-test', ttlMs: 30_000 });
  if (!(await lease.tryAcquire())) throw new Error('the jobs lease was not taken on an empty store');
  await lease.release();
  ({ app, routes } = await appWithRoutes(cs.store, { now: () => NOW }));
  // The writes the GET routes then read back: a shift plan, a forecast edit, a calendar day.
  const patterns = JSON.parse(readFileSync('examples/staffing/patterns.json', 'utf8')) as unknown;
  const writes: [string, string, unknown][] = [
    ['POST', '/v1/schedule/solve', { queue: 'billing', week: '2026-11-16', patterns }],
    [
      'POST',
      '/v1/forecasts/adjustments',
      { queue: 'billing', from: '2026-11-16T09:00:00Z', to: '2026-11-16T10:00:00Z', percent: 10, reason: 'a test' },
    ],
    ['PUT', '/v1/forecasts/calendar/billing', { days: [{ day: '2026-11-20', kind: 'closed' }] }],
  ];
  for (const [method, url, body] of writes) {
    const answer = await send(app, { method: method as 'POST' | 'PUT', url, payload: body as object });
    answers.push({ route: url, url, status: answer.status });
  }
  for (const r of routes)
    if (r.method === 'GET' && r.url.startsWith('/v1/') && !r.url.endsWith('/stream')) await callRoute(r);
}, 600_000);
afterAll(async () => {
  await app?.close();
  await cs?.cleanup();
});

const isRead = (sql: string) => /^\s*(SELECT|WITH|INSERT INTO \w+(\s*\([^)]*\))?\s+(SELECT|WITH))\b/i.test(sql);
// The ClickHouse error code (ClickHouseError.code, or "Code: N" in the text); -1 when none.
const code = (error: unknown) =>
  Number((error as { code?: string }).code ?? /Code: (\d+)/.exec(String(error))?.[1] ?? -1);

describe('the app on the cluster schema', () => {
  it('is the generated cluster form: each MergeTree table a local table behind a Distributed one', async () => {
    const engines = Object.fromEntries(
      (await cs.raw(`SELECT name, engine FROM system.tables WHERE database = 'default' ORDER BY name`))
        .trim()
        .split('\n')
        .map((l) => l.split('\t')),
    ) as Record<string, string>;
    expect(engines.contact_events).toBe('Distributed');
    expect(engines.contact_events_local).toBe('ReplacingMergeTree');
    expect(engines.contact_state).toBe('Distributed');
    expect(engines.contact_state_mv).toBe('MaterializedView');
    const distributed = Object.keys(engines).filter((t) => engines[t] === 'Distributed');
    for (const t of distributed) expect(engines[`${t}_local`], t).toMatch(/MergeTree$/);
    // the events went through the Distributed table into the local one, the view filled contact_state_local
    const local = Number(await cs.raw('SELECT count() FROM contact_events_local'));
    expect(local).toBeGreaterThan(1000);
    expect(Number(await cs.raw('SELECT count() FROM contact_events'))).toBe(local);
    expect(Number(await cs.raw('SELECT uniqExact(contact_id) FROM contact_state_local'))).toBeGreaterThan(100);
  });

  it('runs every statement the ingest, jobs and API send, through the Distributed tables', () => {
    const failed = cs.log.filter((e) => e.error !== undefined).map((e) => `${e.sql.slice(0, 120)} → ${e.error}`);
    expect(failed).toEqual([]);
    const server = answers.filter((a) => a.status >= 500).map((a) => `${a.url} → ${a.status}`);
    expect(server).toEqual([]);
    expect(answers.slice(0, 3).map((a) => a.status)).toEqual([200, 201, 200]);
    // the GET routes answered from the store; 404 for a run this instance did not start (kept in
    // memory, not the store) and for a roster nobody published
    const answered = new Set(answers.filter((a) => a.status === 200).map((a) => a.route));
    const missed = [...new Set(answers.map((a) => a.route))].filter((r) => !answered.has(r));
    expect(missed).toEqual(['/v1/forecasts/runs/:run_id', '/v1/schedules/:id/roster']);
  });

  it('plans every read on two shards with the app settings; ClickHouse default refuses the IN/JOIN ones', async () => {
    // Point each Distributed table at the two-shard cluster (same name, same local table).
    const distributed = cs.ddl.filter((s) => /ENGINE = Distributed\(/.test(s));
    for (const s of distributed) {
      const name = /^CREATE TABLE (?:IF NOT EXISTS )?(\w+)/.exec(s)![1]!;
      await cs.raw(`DROP TABLE ${name}`);
      await cs.raw(s.replace(`Distributed(${CLUSTER},`, `Distributed(${TWO_SHARDS},`));
    }
    expect(
      (await cs.raw(`SELECT count() FROM system.clusters WHERE cluster = '${TWO_SHARDS}' AND is_local = 0`)).trim(),
    ).toBe('2');

    expect(
      await cs.raw(`SELECT engine_full FROM system.tables WHERE database = 'default' AND name = 'contact_events'`),
    ).toContain(TWO_SHARDS);
    const reads = new Map<string, Record<string, unknown>>();
    for (const e of cs.log) if (e.kind !== 'insert' && isRead(e.sql) && !reads.has(e.sql)) reads.set(e.sql, e.params);
    const plan = async (sql: string, params: Record<string, unknown>, mode: 'global' | 'deny') => {
      try {
        await cs.raw(`EXPLAIN ${sql}`, params, { distributed_product_mode: mode, insert_distributed_sync: 1 });
        return 0;
      } catch (error) {
        return code(error);
      }
    };
    // 279/210: the plan was accepted up to sending the subquery or the read to the shards, which
    // no server here answers.
    const UNREACHABLE = new Set([210, 279]);
    const refusedGlobal: string[] = [];
    const refusedDeny: string[] = [];
    const codes: string[] = [];
    for (const [sql, params] of reads) {
      // EXPLAIN takes the SELECT of an INSERT … SELECT (the insert itself ran in the step above).
      // EXPLAIN answers in its own format: a statement's FORMAT clause is dropped.
      const select = sql.replace(/^\s*INSERT INTO \w+(\s*\([^)]*\))?\s+/i, '').replace(/\s+FORMAT\s+\w+\s*$/i, '');
      const g = await plan(select, params, 'global');
      if (g !== 0 && !UNREACHABLE.has(g)) refusedGlobal.push(`${g}: ${sql.replace(/\s+/g, ' ')}`);
      const d = await plan(select, params, 'deny');
      if (d === 288) refusedDeny.push(sql.replace(/\s+/g, ' '));
      codes.push(`${g} ${d} ${sql.replace(/\s+/g, ' ').slice(0, 100)}`);
    }
    // The check bites: a plain IN over a Distributed table in a query over one.
    const probe = `SELECT count() FROM contact_events WHERE contact_id IN (SELECT contact_id FROM contact_state)`;
    expect(await plan(probe, {}, 'deny')).toBe(288);
    expect(await plan(probe, {}, 'global')).toBe(279);
    mkdirSync('test-artifacts', { recursive: true });
    writeFileSync(
      'test-artifacts/cluster-statements.json',
      `${JSON.stringify(
        {
          statements: cs.log.length,
          distinct_reads: reads.size,
          routes_called: new Set(answers.map((a) => a.route)).size,
          answers,
          refused_with_deny: refusedDeny.length,
          refused_with_deny_sql: refusedDeny.map((s) => s.slice(0, 200)),
          codes,
        },
        null,
        2,
      )}\n`,
    );
    expect(reads.size).toBeGreaterThan(30);
    expect(refusedGlobal).toEqual([]);
    // The repeat-contact FCR joins contacts of one customer across shards: refused without 'global'.
    expect(refusedDeny.some((s) => /customer_id/.test(s))).toBe(true);
  });
});
