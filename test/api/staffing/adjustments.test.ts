// Forecast edits: +20 % over 09:00–11:00 of a day whose statistical forecast is 10 contacts of
// 240 s every half-hour changes the forecast, the staffing and the accuracy record as worked by
// hand (Erlang C, T = 20 s, 80 %, occupancy ≤ 0.85, shrinkage 0.3):
//  - 10 contacts: A = 1.333; N = 2 → SL 0.495, N = 3 → SL 0.843: 3 agents, ⌈3 ÷ 0.7⌉ = 5 scheduled.
//  - 12 contacts: A = 1.6; N = 3 → SL 0.756, N = 4 → SL 0.926: 4 agents, ⌈4 ÷ 0.7⌉ = 6 scheduled.
// Actuals: 12 contacts in each of the four edited half-hours, 10 in the other 44 (488 in all).
// Raw: forecast 480, |error| 4 × 2 = 8; edited: forecast 488, |error| 0.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTempStore, type TempStore } from '../../support/temp-store.js';
import { metricsApp } from '../helpers.js';

const DAY = Date.parse('2026-10-05T00:00:00Z');
const HALF = 1_800_000;
let t: TempStore;
const apps: Awaited<ReturnType<typeof metricsApp>>[] = [];
const at = async (iso: string) => {
  const app = await metricsApp(t.store, { now: () => Date.parse(iso) });
  apps.push(app);
  return async (method: 'GET' | 'POST' | 'DELETE', url: string, payload?: unknown) => {
    const r = await app.inject({ method, url, ...(payload ? { payload: payload as Record<string, unknown> } : {}) });
    return { status: r.statusCode, body: r.json() as Record<string, any> };
  };
};

beforeAll(async () => {
  t = await openTempStore();
  await t.store.client.insert({
    table: 'forecast_runs',
    format: 'JSONEachRow',
    values: [
      {
        run_id: 'ed-run',
        queue: 'ed',
        channel: 'voice',
        model: 'snaive_week',
        weight: 1,
        ensemble: 'snaive_week',
        history_start: DAY / 1000 - 7 * 86_400,
        origin: DAY / 1000,
        horizon: 48,
        backtest_origins: 0,
        backtest_horizon: 0,
        started_at: '2026-10-04 00:00:00.000',
        finished_at: '2026-10-04 00:00:00.000',
        status: 'ok',
        error: '',
      },
    ],
  });
  const slots = Array.from({ length: 48 }, (_, i) => DAY / 1000 + i * 1800);
  await t.store.client.insert({
    table: 'forecasts',
    format: 'JSONEachRow',
    values: slots.map((s) => ({
      run_id: 'ed-run',
      queue: 'ed',
      channel: 'voice',
      interval_start: s,
      volume: 10,
      aht: 240,
      lo80: 8,
      hi80: 12,
      lo95: 7,
      hi95: 13,
      model: 'snaive_week',
    })),
  });
  await t.store.client.insert({
    table: 'staffing_requirements',
    format: 'JSONEachRow',
    values: slots.map((s) => ({
      run_id: 'ed-run',
      queue: 'ed',
      channel: 'voice',
      interval_start: s,
      volume: 10,
      aht: 240,
      required: 3,
      scheduled_needed: 5,
      expected_sl: 0.8427,
      asa: 0,
      occupancy: 0.444,
      abandon: 0,
      target_met: true,
      model: 'erlang-c',
      threshold_s: 20,
      sl_target: 0.8,
      max_occupancy: 0.85,
      shrinkage: 0.3,
      patience_s: null,
      concurrency: 1,
      erlang_c_required: 3,
    })),
  });
  const events = [];
  for (let i = 0; i < 48; i++) {
    const n = i >= 18 && i < 22 ? 12 : 10;
    for (let k = 0; k < n; k++) events.push({ t: DAY + i * HALF + 60_000 + k * 1000 });
  }
  events.push({ t: DAY + 86_400_000 + 600_000 }); // the next day: actuals have reached the whole of 5 October
  await t.store.client.insert({
    table: 'contact_events',
    format: 'JSONEachRow',
    values: events.map((e) => ({
      event_id: randomUUID(),
      type: 'contact.queued',
      occurred_at: new Date(e.t).toISOString().replace('T', ' ').replace('Z', ''),
      contact_id: randomUUID(),
      queue: 'ed',
      channel: 'voice',
    })),
  });
}, 120_000);
afterAll(async () => {
  for (const a of apps) await a.close();
  await t?.cleanup();
});

describe('forecast edits', () => {
  it('+20 % on 09:00–11:00 changes the forecast and the staffing as worked by hand', async () => {
    const before = await at('2026-10-04T12:00:00Z');
    const bad = await before('POST', '/v1/forecasts/adjustments', {
      queue: 'ed',
      from: '2026-10-05T09:00:00Z',
      to: '2026-10-05T11:00:00Z',
      percent: 20,
      absolute: 1,
      reason: 'x',
    });
    expect([bad.status, bad.body.field]).toEqual([400, 'absolute']);
    const typo = await before('POST', '/v1/forecasts/adjustments', {
      queue: 'ed',
      from: '2026-10-05T09:00:00Z',
      to: '2026-10-05T11:00:00Z',
      pct: 20,
      reason: 'x',
    });
    expect([typo.status, typo.body.field]).toEqual([400, 'pct']);
    const made = await before('POST', '/v1/forecasts/adjustments', {
      queue: 'ed',
      channel: 'voice',
      from: '2026-10-05T09:00:00Z',
      to: '2026-10-05T11:00:00Z',
      percent: 20,
      reason: 'mailing lands Monday morning',
    });
    expect(made.status).toBe(201);
    expect(made.body).toMatchObject({
      queue: 'ed',
      channel: 'voice',
      from: '2026-10-05T09:00:00.000Z',
      to: '2026-10-05T11:00:00.000Z',
      kind: 'percent',
      value: 20,
      reason: 'mailing lands Monday morning',
      created_at: '2026-10-04T12:00:00.000Z',
      created_by: 'anonymous (open API)',
      deleted_at: null,
    });

    const f = await before('GET', '/v1/forecasts?queue=ed&from=2026-10-05&to=2026-10-05');
    expect(f.body.rows).toHaveLength(48);
    f.body.rows.forEach((r: any, i: number) => {
      expect(r.volume_raw).toBe(10);
      expect(r.volume).toBeCloseTo(i >= 18 && i < 22 ? 12 : 10, 9);
    });
    const s = await before('GET', '/v1/staffing?queue=ed&from=2026-10-05&to=2026-10-05');
    s.body.rows.forEach((r: any, i: number) => {
      const edited = i >= 18 && i < 22;
      expect([r.required, r.scheduled_needed, r.erlang_c_required]).toEqual(edited ? [4, 6, 4] : [3, 5, 3]);
      expect(r.volume_raw).toBe(10);
    });
    expect(s.body.rows[18].expected_sl).toBeCloseTo(0.92574, 4);
  });

  it('an edit made after the half-hour started is shown but not scored; removing it keeps it in the history', async () => {
    const later = await at('2026-10-06T12:00:00Z');
    const late = await later('POST', '/v1/forecasts/adjustments', {
      queue: 'ed',
      from: '2026-10-05T00:00:00Z',
      to: '2026-10-05T00:30:00Z',
      absolute: 5,
      reason: 'hindsight',
    });
    expect(late.status).toBe(201);
    const f = await later('GET', '/v1/forecasts?queue=ed&from=2026-10-05T00:00:00Z&to=2026-10-05T01:00:00Z');
    expect(f.body.rows.map((r: any) => r.volume)).toEqual([15, 10]);

    const acc = await later('GET', '/v1/forecasts/accuracy?queue=ed');
    expect(acc.body.actuals_until).toBe('2026-10-06T00:00:00.000Z');
    expect(acc.body.buckets).toEqual([
      {
        lead_days: 0,
        intervals: 48,
        runs: 1,
        actual: 488,
        forecast: 480,
        abs_error: 8,
        wape: 8 / 488,
        forecast_edited: 488,
        abs_error_edited: 0,
        wape_edited: 0,
        edited_intervals: 4,
      },
    ]);
    expect(acc.body.buckets[0].forecast_edited).toBeCloseTo(488, 9);

    const gone = await later('DELETE', `/v1/forecasts/adjustments/${late.body.id}`);
    expect(gone.body).toMatchObject({ deleted_at: '2026-10-06T12:00:00.000Z', deleted_by: 'anonymous (open API)' });
    const after = await later('GET', '/v1/forecasts?queue=ed&from=2026-10-05T00:00:00Z&to=2026-10-05T01:00:00Z');
    expect(after.body.rows.map((r: any) => r.volume)).toEqual([10, 10]);
    const list = await later('GET', '/v1/forecasts/adjustments?queue=ed');
    expect(list.body.adjustments.map((a: any) => [a.reason, a.deleted_at !== null])).toEqual([
      ['mailing lands Monday morning', false],
      ['hindsight', true],
    ]);
    expect((await later('DELETE', '/v1/forecasts/adjustments/nope')).status).toBe(404);
  });

  it('/v1/realtime shows the current half-hour staffing gap on the edited forecast', async () => {
    // 10:10 on 5 October, with the first test's +20 % edit on 09:00–11:00 in force: the 20
    // completed half-hours were forecast 18 × 10 + 2 × 12 (09:00, 09:30 edited) = 204 and saw 204
    // contacts, so R = 1 and the factor is 1; the current half-hour is edited to 12 contacts of
    // 240 s (1.6 Erlangs): SL at 3 agents 1 − 0.2738 × e^(−1.4 × 20/240) = 0.756 < 0.8, so 4 agents;
    // nobody logged in.
    const now = await at('2026-10-05T10:10:00Z');
    const r = await now('GET', '/v1/realtime?queue=ed');
    expect(r.status).toBe(200);
    const g = r.body.queues[0].staffing;
    expect(g).toMatchObject({
      interval_start: '2026-10-05T10:00:00.000Z',
      forecast_volume: 12,
      agents_required: 4,
      agents_logged_in: 0,
      agents_available: 0,
      gap: -4,
      projected_service_level: 0,
      sl_target: 0.8,
    });
    expect(g.volume_factor).toBeCloseTo(1, 12);
    expect(g.reforecast_volume).toBeCloseTo(12, 9);
  });

  it('CSV: format=csv or Accept: text/csv on forecasts and staffing', async () => {
    const app = await metricsApp(t.store, { now: () => Date.parse('2026-10-06T12:00:00Z') });
    apps.push(app);
    const f = await app.inject({
      method: 'GET',
      url: '/v1/forecasts?queue=ed&from=2026-10-05T08:30:00Z&to=2026-10-05T09:30:00Z&format=csv',
    });
    expect(f.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(f.body).toBe(
      'queue,channel,interval_start,volume,volume_raw,aht,lo80,hi80,lo95,hi95,model\r\n' +
        'ed,voice,2026-10-05T08:30:00Z,10,10,240,8,12,7,13,snaive_week\r\n' +
        'ed,voice,2026-10-05T09:00:00Z,12,10,240,8,12,7,13,snaive_week\r\n',
    );
    const s = await app.inject({
      method: 'GET',
      url: '/v1/staffing?queue=ed&from=2026-10-05T09:00:00Z&to=2026-10-05T09:30:00Z',
      headers: { accept: 'text/csv' },
    });
    const lines = s.body.trimEnd().split('\r\n');
    expect(lines[0]).toBe(
      'channel,interval_start,local_start,volume,volume_raw,aht,required,scheduled_needed,expected_sl,asa,occupancy,abandon,target_met,model,shrinkage,erlang_c_required',
    );
    expect(lines).toHaveLength(2);
    expect(lines[1]!.split(',').slice(0, 8)).toEqual([
      'voice',
      '2026-10-05T09:00:00Z',
      '2026-10-05T09:00:00+00:00',
      '12',
      '10',
      '240',
      '4',
      '6',
    ]);
    const json = await app.inject({
      method: 'GET',
      url: '/v1/staffing?queue=ed&from=2026-10-05&to=2026-10-05&format=json',
      headers: { accept: 'text/csv' },
    });
    expect(json.json().rows).toHaveLength(48);
  });
});
