// Forecast and staffing routes via inject over a temp store with simulated history and a job
// run whose history ends 2026-10-05; the clock is 2026-10-07 11:00 UTC, so actuals have
// arrived for two and a half days of the forecast.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTempStore, type TempStore } from '../../support/temp-store.js';
import { metricsApp } from '../helpers.js';
import { seedHistory } from '../../forecasts/job/seed.js';
import { runForecastJob, type ForecastJobResult } from '../../../forecasts/job/run.js';
import { runnerFor } from '../../../forecasts/job/runner.js';
import type { Store } from '../../../src/store/index.js';

const NOW = Date.parse('2026-10-07T11:00:00Z');
let t: TempStore;
let app: Awaited<ReturnType<typeof metricsApp>>;
let run: ForecastJobResult;

beforeAll(async () => {
  t = await openTempStore();
  await seedHistory(t.store);
  run = await runForecastJob(t.store.client, { asOf: Date.parse('2026-10-05T06:00:00Z'), workers: 0 });
  app = await metricsApp(t.store, { now: () => NOW });
}, 120_000);
afterAll(async () => {
  await app?.close();
  await t?.cleanup();
});

const get = async (url: string) => {
  const r = await app.inject({ method: 'GET', url });
  return { status: r.statusCode, body: r.json() as Record<string, any> };
};
const post = async (url: string, payload: unknown) => {
  const r = await app.inject({ method: 'POST', url, payload: payload as Record<string, unknown> });
  return { status: r.statusCode, body: r.json() as Record<string, any> };
};
const tableCounts = () =>
  t.rows(
    `SELECT (SELECT count() FROM forecasts) AS f, (SELECT count() FROM forecast_runs) AS r, (SELECT count() FROM staffing_requirements) AS s, (SELECT count() FROM shift_plans) AS p`,
  );

describe('GET /v1/forecasts and /v1/staffing', () => {
  it('return the latest run: 2016 half-hours of forecast, requirements with their settings', async () => {
    expect(run.origin).toBe('2026-10-05T00:00:00.000Z');
    const f = await get('/v1/forecasts?queue=billing&channel=voice');
    expect(f.status).toBe(200);
    expect(f.body.run_id).toBe(run.runId);
    expect(f.body.rows).toHaveLength(2016);
    expect(f.body.rows[0]).toMatchObject({
      queue: 'billing',
      channel: 'voice',
      interval_start: '2026-10-05T00:00:00Z',
    });
    expect(Object.keys(f.body.rows[0]).sort()).toEqual([
      'aht',
      'channel',
      'hi80',
      'hi95',
      'interval_start',
      'lo80',
      'lo95',
      'model',
      'queue',
      'volume',
      'volume_raw',
    ]);

    const s = await get('/v1/staffing?queue=billing&from=2026-10-06&to=2026-10-06');
    expect(s.status).toBe(200);
    expect(s.body.settings.map((x: any) => x.channel)).toEqual(['chat', 'email', 'messaging', 'voice']);
    expect(s.body.settings[3]).toMatchObject({
      channel: 'voice',
      model: 'erlang-a',
      threshold_s: 20,
      sl_target: 0.8,
      max_occupancy: 0.85,
      shrinkage: 0.3,
    });
    expect(s.body.rows).toHaveLength(4 * 48);
    const db = await t.rows<{ required: number }>(
      `SELECT required FROM staffing_requirements WHERE queue = 'billing' AND toDate(interval_start) = '2026-10-06' ORDER BY channel, interval_start`,
    );
    expect(s.body.rows.map((r: any) => r.required)).toEqual(db.map((r) => Number(r.required)));
  });

  it('answer 400 naming the field, 404 for an unknown queue', async () => {
    expect((await get('/v1/staffing')).body.field).toBe('queue');
    const bad = await get('/v1/staffing?queue=billing&from=yesterday');
    expect([bad.status, bad.body.field]).toEqual([400, 'from']);
    const order = await get('/v1/forecasts?from=2026-10-06&to=2026-10-01');
    expect([order.status, order.body.field]).toEqual([400, 'to']);
    expect((await get('/v1/staffing?queue=nope')).status).toBe(404);
  });
});

describe('POST /v1/staffing/whatif', () => {
  it('+10 % volume never lowers required agents, and writes nothing', async () => {
    const before = await tableCounts();
    const r = await post('/v1/staffing/whatif', {
      queue: 'billing',
      from: '2026-10-06',
      to: '2026-10-07',
      volume_pct: 10,
    });
    expect(r.status).toBe(200);
    expect(r.body.channels).toHaveLength(4);
    let raised = 0;
    for (const ch of r.body.channels) {
      expect(ch.rows).toHaveLength(96);
      for (const row of ch.rows) {
        expect(row.required).toBeGreaterThanOrEqual(row.baseline_required);
        if (row.required > row.baseline_required) raised++;
      }
      expect(ch.scenario.requiredHours).toBeGreaterThanOrEqual(ch.baseline.requiredHours);
    }
    expect(raised).toBeGreaterThan(0);
    // baseline = the stored requirement
    const stored = await t.count(
      `SELECT sum(required) / 2 FROM staffing_requirements WHERE queue = 'billing' AND interval_start >= '2026-10-06 00:00:00' AND interval_start < '2026-10-08 00:00:00'`,
    );
    expect(r.body.channels.reduce((a: number, c: any) => a + c.baseline.requiredHours, 0)).toBeCloseTo(stored, 9);
    expect(await tableCounts()).toEqual(before);
  });

  it('a stricter SL target needs at least as many agents; bad values name the field', async () => {
    const r = await post('/v1/staffing/whatif', {
      queue: 'billing',
      channel: 'voice',
      from: '2026-10-06',
      to: '2026-10-06',
      sl_target: 0.95,
      shrinkage: 0.4,
    });
    expect(r.status).toBe(200);
    const v = r.body.channels[0];
    expect(v.channel).toBe('voice');
    for (const row of v.rows) {
      expect(row.required).toBeGreaterThanOrEqual(row.baseline_required);
      expect(row.scheduled_needed).toBe(row.required === 0 ? 0 : Math.ceil(row.required / 0.6 - 1e-9));
    }
    const bad = await post('/v1/staffing/whatif', { queue: 'billing', shrinkage: 1.5 });
    expect([bad.status, bad.body.field]).toEqual([400, 'shrinkage']);
    const noQueue = await post('/v1/staffing/whatif', { volume_pct: 5 });
    expect([noQueue.status, noQueue.body.field]).toEqual([400, 'queue']);
  });
});

describe('schedule', () => {
  // A hand-checkable week: queue "tiny" needs 2 voice + 1 chat agents Monday 09:00–13:00, nothing else.
  beforeAll(async () => {
    await t.store.client.insert({
      table: 'forecast_runs',
      format: 'JSONEachRow',
      values: [
        {
          run_id: 'tiny-run',
          queue: 'tiny',
          channel: 'voice',
          model: 'snaive_week',
          weight: 1,
          ensemble: 'snaive_week',
          history_start: 1_790_000_000,
          origin: 1_791_000_000,
          horizon: 336,
          backtest_origins: 0,
          backtest_horizon: 0,
          started_at: '2026-10-01 00:00:00.000',
          finished_at: '2026-10-01 00:00:00.000',
          status: 'ok',
          error: '',
        },
      ],
    });
    const rows = [];
    for (let slot = 0; slot < 336; slot++) {
      const start = Date.parse('2026-10-12T00:00:00Z') / 1000 + slot * 1800;
      const busy = slot >= 18 && slot < 26;
      for (const [channel, n] of [
        ['voice', 2],
        ['chat', 1],
      ] as const) {
        rows.push({
          run_id: 'tiny-run',
          queue: 'tiny',
          channel,
          interval_start: start,
          volume: busy ? 5 : 0,
          aht: 300,
          required: busy ? n : 0,
          scheduled_needed: busy ? n : 0,
          expected_sl: 1,
          asa: 0,
          occupancy: 0,
          abandon: 0,
          target_met: true,
          model: 'erlang-c',
          threshold_s: 20,
          sl_target: 0.8,
          max_occupancy: 0.85,
          shrinkage: 0,
          patience_s: null,
        });
      }
    }
    await t.store.client.insert({ table: 'staffing_requirements', format: 'JSONEachRow', values: rows });
  });
  const patterns = {
    openingHours: { start: '08:00', end: '20:00' },
    patterns: [{ name: 'half-day', lengthHours: 4, costPerHour: 10 }],
  };

  it('solves the week: 3 four-hour shifts at 09:00 Monday, cost 120, exact coverage; GET returns the stored plan', async () => {
    const r = await post('/v1/schedule/solve', { queue: 'tiny', week: '2026-10-12', patterns });
    expect(r.status).toBe(200);
    expect(r.body.run_id).toBe('tiny-run');
    const plan = r.body.plan;
    expect([
      plan.status,
      plan.objective,
      plan.shiftCost,
      plan.agentsStarted,
      plan.overstaffedHalfHours,
      plan.understaffedHalfHours,
    ]).toEqual(['optimal', 120, 120, 3, 0, 0]);
    expect(plan.shifts).toEqual([
      {
        pattern: 'half-day',
        date: '2026-10-12',
        day: 'mon',
        start: '09:00',
        end: '13:00',
        breaks: [],
        agents: 3,
        costPerAgent: 40,
      },
    ]);
    const stored = await get('/v1/schedule?queue=tiny&week=2026-10-12');
    expect(stored.status).toBe(200);
    expect(stored.body.plan).toEqual(plan);
    // voice alone: 2 agents
    const voice = await post('/v1/schedule/solve', { queue: 'tiny', week: '2026-10-12', channel: 'voice', patterns });
    expect(voice.body.plan.agentsStarted).toBe(2);
    expect((await get('/v1/schedule?queue=tiny&week=2026-10-12')).body.plan.agentsStarted).toBe(2);
  });

  it('400 naming the field for a bad week or pattern, 404 without requirements or plan', async () => {
    const notMonday = await post('/v1/schedule/solve', { queue: 'tiny', week: '2026-10-13', patterns });
    expect([notMonday.status, notMonday.body.field]).toEqual([400, 'week']);
    const badPattern = await post('/v1/schedule/solve', {
      queue: 'tiny',
      week: '2026-10-12',
      patterns: { patterns: [{ name: 'x', lengthHours: 0, costPerHour: 1 }] },
    });
    expect([badPattern.status, badPattern.body.field]).toEqual([400, 'patterns.patterns[0].lengthHours']);
    expect((await post('/v1/schedule/solve', { queue: 'tiny', week: '2026-10-19', patterns })).status).toBe(404);
    expect((await get('/v1/schedule?queue=tiny&week=2026-10-19')).status).toBe(404);
  });
});

describe('accuracy and intraday (clock 2026-10-07 11:00 UTC)', () => {
  it('accuracy by lead day compares the forecast with actual offered so far', async () => {
    const r = await get('/v1/forecasts/accuracy?queue=billing');
    expect(r.status).toBe(200);
    expect(r.body.actuals_until).toBe('2026-10-07T11:00:00.000Z');
    expect(r.body.buckets.map((b: any) => [b.lead_days, b.intervals, b.runs])).toEqual([
      [0, 192, 1],
      [1, 192, 1],
      [2, 88, 1],
    ]);
    const actual0 = await t.count(
      `SELECT uniqExact(contact_id) FROM contact_events WHERE type = 'contact.queued' AND queue = 'billing' AND toDate(occurred_at) = '2026-10-05'`,
    );
    const forecast0 = await t.count(
      `SELECT sum(volume) FROM forecasts WHERE queue = 'billing' AND toDate(interval_start) = '2026-10-05'`,
    );
    const b0 = r.body.buckets[0];
    expect(b0.actual).toBe(actual0);
    expect(b0.forecast).toBeCloseTo(forecast0, 6);
    expect(b0.wape).toBeCloseTo(b0.abs_error / b0.actual, 12);
    expect(b0.abs_error).toBeGreaterThanOrEqual(Math.abs(b0.forecast - b0.actual) - 1e-9);
  });

  it('intraday scales the rest of today by the damped actual ÷ forecast so far', async () => {
    const r = await get('/v1/staffing/intraday?queue=billing&channel=voice');
    expect(r.status).toBe(200);
    expect([r.body.day, r.body.channels.length]).toEqual(['2026-10-07', 1]);
    const v = r.body.channels[0];
    expect(v.completed_intervals).toBe(22);
    expect(v.remaining).toHaveLength(26);
    const actual = await t.count(
      `SELECT uniqExact(contact_id) FROM contact_events WHERE type = 'contact.queued' AND queue = 'billing' AND channel = 'voice' AND occurred_at >= '2026-10-07 00:00:00' AND occurred_at < '2026-10-07 11:00:00'`,
    );
    const fc = await t.rows<{ s: number; k: string }>(
      `SELECT sum(volume) AS s, countIf(volume > 0) AS k FROM forecasts WHERE queue = 'billing' AND channel = 'voice' AND interval_start >= '2026-10-07 00:00:00' AND interval_start < '2026-10-07 11:00:00'`,
    );
    expect(v.volume_ratio).toBeCloseTo(actual / fc[0]!.s, 9);
    const k = Number(fc[0]!.k);
    expect(v.weight).toBeCloseTo(k / (k + 4), 12);
    expect(v.volume_factor).toBeCloseTo(1 + v.weight * (Math.min(2, Math.max(0.5, v.volume_ratio)) - 1), 12);
    const later = await t.rows<{ volume: number }>(
      `SELECT volume FROM forecasts WHERE queue = 'billing' AND channel = 'voice' AND interval_start >= '2026-10-07 11:00:00' AND interval_start < '2026-10-08 00:00:00' ORDER BY interval_start`,
    );
    v.remaining.forEach((row: any, i: number) => expect(row.volume).toBeCloseTo(later[i]!.volume * v.volume_factor, 9));
  });
});

describe('POST /v1/forecasts/run', () => {
  it('starts one run at a time (202), which then writes a run readable by run_id', async () => {
    const bad = await post('/v1/forecasts/run', { horizon_days: 0 });
    expect([bad.status, bad.body.field]).toEqual([400, 'horizon_days']);
    const a = await post('/v1/forecasts/run', { queues: ['tech-support'], horizon_days: 7 });
    const noBody = await app.inject({ method: 'POST', url: '/v1/forecasts/run' });
    const b = { status: noBody.statusCode, body: noBody.json() as Record<string, any> };
    expect([a.status, a.body.status, b.status, b.body.status, b.body.run_id]).toEqual([
      202,
      'started',
      202,
      'already_running',
      a.body.run_id,
    ]);
    await runnerFor(t.store.client).idle();
    const status = await get(`/v1/forecasts/runs/${a.body.run_id}`);
    expect([status.body.status, status.body.origin]).toEqual(['ok', '2026-10-07T00:00:00.000Z']);
    const rows = await get(`/v1/forecasts?run_id=${a.body.run_id}&channel=voice`);
    expect(rows.body.rows).toHaveLength(336);
    expect(new Set(rows.body.rows.map((x: any) => x.queue))).toEqual(new Set(['tech-support']));
  });
});

describe('store down', () => {
  it('answers 503 with the reason', async () => {
    const client = new Proxy(t.store.client, {
      get(target, prop) {
        if (prop === 'query' || prop === 'insert' || prop === 'exec')
          return () => Promise.reject(new Error('connect ECONNREFUSED 127.0.0.1:8123'));
        const v = Reflect.get(target, prop);
        return typeof v === 'function' ? v.bind(target) : v;
      },
    });
    const down = await metricsApp({ ...t.store, client } as Store, { now: () => NOW });
    const r = await down.inject({ method: 'GET', url: '/v1/staffing?queue=billing' });
    expect(r.statusCode).toBe(503);
    expect(r.json().error).toMatch(/ECONNREFUSED/);
    await down.close();
  });
});
