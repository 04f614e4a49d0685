// /v1/metrics, /v1/queues, settings and /v1/realtime over the hand-built scenario of
// test/metrics (expected values worked out there; repeated here where the API adds something).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTempStore, type TempStore } from '../support/temp-store.js';
import { BILLING_DAY, LATER_CONTACTS } from '../metrics/scenario.js';
import { metricsApp } from './helpers.js';

let temp: TempStore;
let app: Awaited<ReturnType<typeof metricsApp>>;
let now = Date.parse('2026-11-23T00:00:00Z');

const get = (url: string) => app.inject({ method: 'GET', url });
const put = (url: string, payload: object) =>
  app.inject({ method: 'PUT', url, payload: payload as Record<string, unknown> });

beforeAll(async () => {
  temp = await openTempStore();
  app = await metricsApp(temp.store, { now: () => now });
  for (const batch of [LATER_CONTACTS, BILLING_DAY]) {
    const response = await app.inject({ method: 'POST', url: '/v1/events', payload: batch });
    expect(response.statusCode).toBe(200);
  }
});
afterAll(async () => {
  await app?.close();
  await temp?.cleanup();
});

describe('settings', () => {
  it('GET /v1/queues lists queues seen in contacts, with the default settings (version 0)', async () => {
    const response = await get('/v1/queues');
    expect(response.statusCode).toBe(200);
    const body = response.json();
    expect(body.queues.map((q: { queue: string }) => q.queue)).toEqual(['billing', 'sales']);
    expect(body.queues[0].settings).toMatchObject({
      version: 0,
      settings: {
        threshold_s: 20,
        sl_target: 0.8,
        short_abandon_s: 5,
        sl_formula: 'answered_within_t_over_offered',
        fcr_window_days: 7,
        time_zone: 'UTC',
      },
    });
  });

  it('PUT records versions with who, when and the old values; GET shows them all', async () => {
    let response = await put('/v1/queues/billing/settings', {
      time_zone: 'Europe/London',
      effective_from: '2000-01-01T00:00:00Z',
    });
    expect(response.statusCode).toBe(200);
    response = await put('/v1/queues/billing/settings', {
      threshold_s: 45,
      sl_formula: 'answered_within_t_over_answered_and_abandoned_after_t',
      effective_from: '2026-10-25T01:00:00Z',
    });
    expect(response.statusCode).toBe(200);
    const body = (await get('/v1/queues/billing/settings')).json();
    expect(body.versions.map((v: { version: number }) => v.version)).toEqual([0, 1, 2]);
    expect(body.current).toMatchObject({
      version: 2,
      effective_from: '2026-10-25T01:00:00.000Z',
      changed_by: 'anonymous (open API)',
      changed_at: '2026-11-23T00:00:00.000Z',
      settings: {
        threshold_s: 45,
        time_zone: 'Europe/London',
        sl_formula: 'answered_within_t_over_answered_and_abandoned_after_t',
      },
      previous: { threshold_s: 20, time_zone: 'Europe/London' },
    });
  });

  it('answers 400 naming the field for a bad setting', async () => {
    const tz = await put('/v1/queues/billing/settings', { time_zone: 'Mars/Olympus' });
    expect(tz.statusCode).toBe(400);
    expect(tz.json()).toMatchObject({ field: 'time_zone', error: 'time_zone: unknown time zone "Mars/Olympus"' });
    const formula = await put('/v1/queues/billing/settings', { sl_formula: 'vendor_magic' });
    expect(formula.statusCode).toBe(400);
    expect(formula.json().field).toBe('sl_formula');
    const target = await put('/v1/queues/billing/settings', { sl_target: 80 });
    expect(target.statusCode).toBe(400);
    expect(target.json().field).toBe('sl_target');
    const extra = await put('/v1/queues/billing/settings', { treshold_s: 30 });
    expect(extra.statusCode).toBe(400);
    expect(extra.json().field).toBe('treshold_s');
    expect((await get('/v1/queues/billing/settings')).json().versions).toHaveLength(3); // nothing was recorded
  });
});

describe('GET /v1/metrics', () => {
  it('a date range in the queue time zone: the day of the scenario, every figure', async () => {
    const response = await get('/v1/metrics?queue=billing&from=2026-10-25&to=2026-10-25&interval=1d');
    expect(response.statusCode).toBe(200);
    const body = response.json();
    expect(body).toMatchObject({
      queue: 'billing',
      channel: null,
      interval: '1d',
      time_zone: 'Europe/London',
      from: '2026-10-24T23:00:00.000Z',
      to: '2026-10-26T00:00:00.000Z',
    });
    const day = body.rows[0];
    expect(day.counts).toMatchObject({
      offered: 11,
      answered: 5,
      answered_within_t: 4,
      short_abandons: 1,
      abandoned: 4,
      fcr_repeat_eligible: 5,
      fcr_repeat_resolved: 2,
    });
    expect(day.service_level).toEqual({
      formula: 'answered_within_t_over_offered',
      definition: 'answered within T ÷ (offered − short abandons)',
      value: 0.4,
    });
    expect([
      day.asa_s,
      day.aht_s,
      day.abandon_rate,
      day.transfer_rate,
      day.nps,
      day.csat_pct,
      day.fcr_survey,
      day.fcr_repeat,
    ]).toEqual([21, 130, 0.4, 0.2, 20, 40, 0.5, 0.4]);
    expect(body.total.counts.offered).toBe(11);
  });

  it('half-hours of the DST day: 50 rows; channel filter', async () => {
    const body = (await get('/v1/metrics?queue=billing&from=2026-10-25&to=2026-10-25&interval=30m')).json();
    expect(body.rows).toHaveLength(50);
    const chat = (await get('/v1/metrics?queue=billing&channel=chat&from=2026-10-25&to=2026-10-25&interval=1d')).json();
    expect(chat.rows[0].counts.offered).toBe(1);
  });

  it('a week: Monday-to-Monday local, one row', async () => {
    const body = (await get('/v1/metrics?queue=billing&from=2026-10-19&to=2026-10-25&interval=1w')).json();
    expect(body.rows).toHaveLength(1);
    expect(body.rows[0].start_local).toBe('2026-10-19T00:00:00+01:00');
    expect(body.rows[0].counts.offered).toBe(11);
  });

  it('400 naming the field for bad parameters', async () => {
    const cases: Array<[string, string]> = [
      ['/v1/metrics?queue=billing&interval=5m', 'interval'],
      ['/v1/metrics?queue=billing&channel=pigeon', 'channel'],
      ['/v1/metrics?queue=billing&from=yesterday', 'from'],
      ['/v1/metrics?queue=billing&from=2026-10-26&to=2026-10-20', 'to'],
      ['/v1/metrics?queue=billing&tz=Nowhere/Land', 'tz'],
    ];
    for (const [url, field] of cases) {
      const response = await get(url);
      expect(response.statusCode, url).toBe(400);
      expect(response.json().field, url).toBe(field);
      expect(response.json().error, url).toMatch(new RegExp(`^${field}: `));
    }
  });
});

describe('GET /v1/realtime', () => {
  it('at 10:20Z on the scenario day: c9 waiting 20 min, a1 offline, today so far', async () => {
    now = Date.parse('2026-10-25T10:20:00Z');
    const response = await get('/v1/realtime?queue=billing');
    expect(response.statusCode).toBe(200);
    const [q] = response.json().queues;
    expect(q).toMatchObject({
      queue: 'billing',
      generated_at: '2026-10-25T10:20:00.000Z',
      time_zone: 'Europe/London',
      settings_version: 2,
      waiting_now: 1,
      longest_wait_s: 1200,
      agents: { available: 0, on_contact: 0, wrap_up: 0, break: 0, training: 0, offline: 1 },
      below_target: true, // formula of the version in force at the day's start: 4 / 10 < 0.8
    });
    expect(q.today.counts).toMatchObject({
      offered: 11,
      answered_within_t: 4,
      fcr_repeat_eligible: 0,
      fcr_repeat_pending: 5,
    });
    expect(q.today.service_level.value).toBe(0.4);
    // Every half-hour of the 25-hour local day; no forecast has run.
    expect(q.half_hours).toHaveLength(50);
    expect(q.half_hours[2]).toEqual({
      start: '2026-10-25T00:00:00.000Z',
      start_local: '2026-10-25T01:00:00+01:00',
      offered: 6,
      service_level: 0.4,
      forecast_offered: null,
    });
  });

  it('at 00:11Z: c4 waiting since 00:12 is not yet queued; c3 gone; a1 on contact', async () => {
    now = Date.parse('2026-10-25T00:11:00Z');
    const [q] = (await get('/v1/realtime?queue=billing')).json().queues;
    // Queued by 00:11: c1 (done), c2 (answered 00:05:30), c3 (abandoned 00:10:03): nobody waits.
    expect(q.waiting_now).toBe(0);
    expect(q.longest_wait_s).toBeNull();
    expect(q.agents).toMatchObject({ on_contact: 1, available: 0 });
    now = Date.parse('2026-10-25T00:12:10Z'); // c4 queued 00:12:00, abandons at 00:12:15
    const [later] = (await get('/v1/realtime?queue=billing')).json().queues;
    expect(later.waiting_now).toBe(1);
    expect(later.longest_wait_s).toBe(10);
  });

  it('half-hours carry the latest successful forecast run, summed over channels', async () => {
    now = Date.parse('2026-10-25T10:20:00Z');
    const runs = [
      {
        run_id: 'r1',
        queue: 'billing',
        channel: 'voice',
        model: 'ensemble',
        finished_at: '2026-10-20 00:00:00.000',
        status: 'ok',
      },
      {
        run_id: 'r2',
        queue: 'billing',
        channel: 'voice',
        model: 'ensemble',
        finished_at: '2026-10-24 00:00:00.000',
        status: 'ok',
      },
      {
        run_id: 'r3',
        queue: 'billing',
        channel: 'chat',
        model: 'ensemble',
        finished_at: '2026-10-24 00:00:00.000',
        status: 'ok',
      },
      {
        run_id: 'r4',
        queue: 'billing',
        channel: 'voice',
        model: 'ensemble',
        finished_at: '2026-10-24 12:00:00.000',
        status: 'failed',
      },
    ];
    await temp.store.client.insert({ table: 'forecast_runs', values: runs, format: 'JSONEachRow' });
    const at = '2026-10-25 00:00:00';
    await temp.store.client.insert({
      table: 'forecasts',
      values: [
        { run_id: 'r1', queue: 'billing', channel: 'voice', interval_start: at, volume: 99 }, // superseded by r2
        { run_id: 'r2', queue: 'billing', channel: 'voice', interval_start: at, volume: 4.5 },
        { run_id: 'r3', queue: 'billing', channel: 'chat', interval_start: at, volume: 1.5 },
        { run_id: 'r4', queue: 'billing', channel: 'voice', interval_start: at, volume: 1000 }, // failed run
      ],
      format: 'JSONEachRow',
    });
    const [q] = (await get('/v1/realtime?queue=billing')).json().queues;
    expect(q.half_hours[2]).toMatchObject({ start: '2026-10-25T00:00:00.000Z', offered: 6, forecast_offered: 6 }); // 4.5 + 1.5
    expect(q.half_hours.filter((h: { forecast_offered: number | null }) => h.forecast_offered !== null)).toHaveLength(
      1,
    );
  });

  it('every queue when none is named', async () => {
    now = Date.parse('2026-11-23T00:00:00Z');
    const body = (await get('/v1/realtime')).json();
    expect(body.queues.map((q: { queue: string }) => q.queue)).toEqual(['billing', 'sales']);
  });
});
