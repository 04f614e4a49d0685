// The planner's-loop alert rules end to end on the embedded engine: a queue whose forecast (10 a
// half-hour, edited +20 % by a planner → 12) sees 90 contacts from 09:00 to 11:00 against 48,
// runs short of agents in the half-hour from 11:00, and whose rostered team leaves its plan.
// The evaluator replays 11:00 … 11:27; episodes open, hold and resolve as worked out by hand,
// once each, and reach a webhook receiver.
//
// Forecast deviation at 11:00: 90 against 4 × 12 = 48 (the half-hour in progress adds 12 × 0/30),
// NB(48, size 200): P(X ≥ 90) = 1.2187e-6 < 0.001 → opens "above"; stays open (still far above).
// Staffing gap, half-hour from 11:00: R = 90 ÷ 48 = 1.875, weight 4 ÷ (4 + 4), factor 1.4375;
// 12 × 1.4375 = 17.25 contacts of 240 s, A = 2.3; Erlang C (20 s, 80 %): N = 4 → SL 0.7778,
// N = 5 → 0.9217: 5 required. Logged in: 11:00 1 (a1 on break), 11:01 2, 11:02 2 → short by
// 4, 3, 3: opens at 11:02; 11:10 4 (short 1, hold); 11:20, 11:24, 11:25 7 (clear ×3) → resolves 11:25.
// Team adherence (a1, a2 rostered 09:00–17:00; a1 on break 10:40–11:01), 30-minute window:
// 11:00 40/60 = 0.667 opens; 11:01 39/60; 11:02 39/60; 11:10 39/60; 11:20 49/60 = 0.817;
// 11:24 53/60 = 0.883 (hold); 11:25 54/60 = 0.9, 11:26 55/60, 11:27 56/60 (clear ×3) → resolves 11:27.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AlertEvaluator } from '../../src/alerts/evaluator.js';
import { windowAdherence } from '../../src/alerts/plan-data.js';
import { WebhookSender } from '../../src/alerts/webhooks.js';
import { publishRoster } from '../../src/agents/roster.js';
import { addAdjustment } from '../../forecasts/job/adjustments.js';
import { openTempStore, type TempStore } from '../support/temp-store.js';
import { seedFlatForecastRun } from '../support/flat-forecast-run.js';
import { metricsApp } from '../api/helpers.js';
import { until } from '../support/poll.js';

const DAY = '2026-11-02';
const at = (hhmm: string, s = 0) => Date.parse(`${DAY}T${hhmm}:00Z`) + s * 1000;
const iso = (ms: number) => new Date(ms).toISOString();
const SLOTS = ['09:00', '09:30', '10:00', '10:30', '11:00', '11:30'];

let temp: TempStore;
let app: Awaited<ReturnType<typeof metricsApp>>;
let server: Server;
const received: Array<{ type: string; alert: { rule: string; subject: string; opened_at: string } }> = [];
let n = 0;
const id = () => `00000000-0000-4000-9100-${(++n).toString(16).padStart(12, '0')}`;

function contact(queuedAt: number): object[] {
  const c = `c${n}`;
  return [
    { event_id: id(), type: 'contact.queued', occurred_at: iso(queuedAt), contact_id: c, queue: 'q', channel: 'voice' },
    { event_id: id(), type: 'contact.answered', occurred_at: iso(queuedAt + 5000), contact_id: c, agent_id: 'a2' },
    {
      event_id: id(),
      type: 'contact.completed',
      occurred_at: iso(queuedAt + 65_000),
      contact_id: c,
      agent_id: 'a2',
      talk_s: 50,
      hold_s: 0,
      wrap_s: 10,
    },
  ];
}
const state = (agent: string, hhmm: string, s: string) => ({
  event_id: id(),
  type: 'agent.state',
  occurred_at: iso(at(hhmm)),
  agent_id: agent,
  state: s,
  queues: ['q'],
});

async function post(events: object[]) {
  const r = await app.inject({ method: 'POST', url: '/v1/events', payload: events });
  expect(r.statusCode, r.body).toBe(200);
}

beforeAll(async () => {
  temp = await openTempStore();
  app = await metricsApp(temp.store, { now: () => at('08:00') });
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      received.push(JSON.parse(body) as (typeof received)[number]);
      res.writeHead(200).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));

  // 22, 22, 23 and 23 contacts in the four half-hours from 09:00, one a minute, answered in 5 s.
  const contacts: object[] = [];
  [22, 22, 23, 23].forEach((k, i) => {
    for (let j = 0; j < k; j++) contacts.push(...contact(at(SLOTS[i]!) + j * 60_000));
  });
  await post(contacts);
  await post([
    state('a1', '08:55', 'available'),
    state('a1', '10:40', 'break'),
    state('a1', '11:01', 'available'),
    state('a2', '08:55', 'available'),
    ...['a3', 'a4'].map((a) => state(a, '11:10', 'available')),
    ...['a5', 'a6', 'a7'].map((a) => state(a, '11:20', 'available')),
  ]);
  const shift = (agent: string) => ({
    agent_id: agent,
    skills: ['q'],
    date: DAY,
    start: '09:00',
    end: '17:00',
    breaks: [],
  });
  await publishRoster(temp.store.client, 'q', DAY, [shift('a1'), shift('a2')], 'manager', at('08:00'));

  // The latest run: 10 contacts of 240 s in each half-hour from 09:00, sized with T = 20 s, 80 %.
  const c = temp.store.client;
  await seedFlatForecastRun(c, {
    runId: 'r1',
    queue: 'q',
    day: DAY,
    slots: SLOTS,
    historyStart: '2026-10-01 00:00:00',
  });
  await addAdjustment(c, {
    queue: 'q',
    channel: '',
    fromMs: at('09:00'),
    toMs: at('12:00'),
    kind: 'percent',
    value: 20,
    reason: 'promotion mailing',
    createdBy: 'planner',
    createdAt: at('08:00'),
  });
}, 180_000);

afterAll(async () => {
  await app?.close();
  await new Promise((resolve) => server?.close(resolve));
  await temp?.cleanup();
});

describe('planner-loop alerts replayed over a morning', () => {
  it('open, hold and resolve as worked by hand, one episode each, delivered to the webhook', async () => {
    const evaluator = new AlertEvaluator({
      client: temp.store.client,
      queues: ['q'],
      // States are sent on change only: a day's silence limit keeps them in force.
      agentSilenceMs: 86_400_000,
      webhooks: new WebhookSender({ urls: [`http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`] }),
    });
    const log: string[] = [];
    const values: Record<string, Record<string, unknown>> = {};
    for (const t of ['11:00', '11:01', '11:02', '11:10', '11:20', '11:24', '11:25', '11:26', '11:27']) {
      const e = await evaluator.evaluate(at(t));
      for (const c of e.conditions) values[`${t} ${c.rule}${c.subject ? `:${c.subject}` : ''}`] = c.value;
      for (const x of e.opened) log.push(`${t} opened ${x.rule}${x.subject ? `:${x.subject}` : ''}`);
      for (const x of e.resolved) log.push(`${t} resolved ${x.rule}${x.subject ? `:${x.subject}` : ''}`);
    }
    expect(log).toEqual([
      '11:00 opened forecast_deviation:above',
      '11:00 opened team_adherence',
      '11:02 opened staffing_gap',
      '11:25 resolved staffing_gap',
      '11:27 resolved team_adherence',
    ]);
    expect(values['11:00 forecast_deviation:above']).toMatchObject({ observed: 90, expected: 48, ratio: 1.875 });
    expect(values['11:00 forecast_deviation:above']!.p_value as number).toBeCloseTo(1.2187223e-6, 11);
    expect(values['11:10 forecast_deviation:above']).toMatchObject({ observed: 90, expected: 52 });
    expect(values['11:00 staffing_gap']).toMatchObject({ agents_required: 5, agents_logged_in: 1, short_by: 4 });
    expect(values['11:00 staffing_gap']!.reforecast_volume as number).toBeCloseTo(17.25, 12);
    expect(values['11:10 staffing_gap']).toMatchObject({ agents_logged_in: 4, short_by: 1 });
    expect(values['11:20 staffing_gap']).toMatchObject({ agents_logged_in: 7, short_by: -2 });
    const adh = (t: string) => values[`${t} team_adherence`] as { in_adherence_min: number; scheduled_min: number };
    expect(
      ['11:00', '11:01', '11:20', '11:24', '11:25', '11:27'].map((t) => [
        adh(t).in_adherence_min,
        adh(t).scheduled_min,
      ]),
    ).toEqual([
      [40, 60],
      [39, 60],
      [49, 60],
      [53, 60],
      [54, 60],
      [56, 60],
    ]);
    await until('five webhooks', 10_000, () => received.length === 5);
    expect(received.map((r) => `${r.type} ${r.alert.rule}${r.alert.subject ? `:${r.alert.subject}` : ''}`)).toEqual([
      'alert.opened forecast_deviation:above',
      'alert.opened team_adherence',
      'alert.opened staffing_gap',
      'alert.resolved staffing_gap',
      'alert.resolved team_adherence',
    ]);
    await evaluator.stop();
  }, 300_000);

  it('lists the episodes by rule and takes per-queue overrides of the new rules through the rules API', async () => {
    const list = await app.inject({ method: 'GET', url: '/v1/alerts?rule=staffing_gap&queue=q' });
    expect(list.statusCode, list.body).toBe(200);
    expect(
      (list.json() as { alerts: Array<{ opened_at: string; resolved_at: string }> }).alerts.map((a) => [
        a.opened_at,
        a.resolved_at,
      ]),
    ).toEqual([[iso(at('11:02')), iso(at('11:25'))]]);
    const put = await app.inject({
      method: 'PUT',
      url: '/v1/alerts/rules/q',
      payload: { staffing_gap: { short_by: 3 }, team_adherence: { below: 0.8 } },
    });
    expect(put.statusCode, put.body).toBe(200);
    expect((put.json() as { rules: Record<string, unknown> }).rules).toMatchObject({
      staffing_gap: { enabled: true, short_by: 3, for_evaluations: 3, clear_short_by: 0 },
      team_adherence: { below: 0.8, clear_above: 0.9, window_min: 30 },
      forecast_deviation: { p_value: 0.001, clear_p_value: 0.05, dispersion: 200, min_expected: 30 },
    });
    const bad = await app.inject({ method: 'PUT', url: '/v1/alerts/rules/q', payload: { staffing_gap: { short: 3 } } });
    expect(bad.statusCode).toBe(400);
    expect((bad.json() as { field: string }).field).toBe('staffing_gap.short');
  });

  it('a window across local midnight adds the two days: a night shift 22:00–02:00, 10 of 30 minutes at 00:15', async () => {
    // a9 works 22:00–02:00 from 2 Nov; on an unplanned break 23:50–00:10. Window [23:45, 00:15):
    // 2 Nov gives 15 scheduled minutes (23:45–23:59), 5 in adherence; 3 Nov 15 (00:00–00:14), 5 in.
    await publishRoster(
      temp.store.client,
      'night',
      DAY,
      [{ agent_id: 'a9', skills: ['night'], date: DAY, start: '22:00', end: '02:00', breaks: [] }],
      'manager',
      at('08:00'),
    );
    const night = (hhmm: string, s: string, day = DAY) => ({
      ...state('a9', hhmm, s),
      occurred_at: `${day}T${hhmm}:00.000Z`,
      queues: ['night'],
    });
    await post([night('21:55', 'available'), night('23:50', 'break'), night('00:10', 'available', '2026-11-03')]);
    const now = Date.parse('2026-11-03T00:15:00Z');
    expect(await windowAdherence(temp.store.client, 'night', 'UTC', now, 30, 86_400_000)).toEqual({
      window_min: 30,
      scheduled_min: 30,
      in_adherence_min: 10,
      agents: 1,
    });
    // A queue without a roster is not judged.
    expect(await windowAdherence(temp.store.client, 'nobody', 'UTC', now, 30, 86_400_000)).toBeNull();
  });
});
