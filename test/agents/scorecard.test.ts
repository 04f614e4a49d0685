// Agent scorecards on the real embedded engine: figures worked out by hand for one agent, a
// scorecard equal to the queue figures (GET /v1/metrics) where that agent handled all of a
// queue's contacts, a team total equal to the queue's handled-side figures, a week, and CSV.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTempStore, type TempStore } from '../support/temp-store.js';
import { metricsApp } from '../api/helpers.js';
import { charsSql, type Scorecard, type TeamScorecards } from '../../src/agents/scorecard.js';

let temp: TempStore;
let app: Awaited<ReturnType<typeof metricsApp>>;
const NOW = Date.parse('2026-11-20T12:00:00Z');

let n = 0;
const id = () => `00000000-0000-4000-9000-${(++n).toString(16).padStart(12, '0')}`;
const t = (hms: string, day = '2026-11-02') => `${day}T${hms}Z`;

function contact(
  c: string,
  queue: string,
  queuedAt: string,
  agent: string,
  o: { talk: number; hold: number; wrap: number; done: string; xfer?: boolean; customer?: string },
) {
  return [
    {
      event_id: id(),
      type: 'contact.queued',
      occurred_at: queuedAt,
      contact_id: c,
      queue,
      channel: 'voice',
      ...(o.customer ? { customer_id: o.customer } : {}),
    },
    {
      event_id: id(),
      type: 'contact.answered',
      occurred_at: new Date(Date.parse(queuedAt) + 10_000).toISOString(),
      contact_id: c,
      agent_id: agent,
    },
    {
      event_id: id(),
      type: 'contact.completed',
      occurred_at: o.done,
      contact_id: c,
      agent_id: agent,
      talk_s: o.talk,
      hold_s: o.hold,
      wrap_s: o.wrap,
      transferred: o.xfer ?? false,
    },
  ];
}
const survey = (c: string, nps: number, csat: number, fcr: boolean) => ({
  event_id: id(),
  type: 'survey.submitted',
  occurred_at: t('13:00:00'),
  contact_id: c,
  nps,
  csat,
  fcr,
});
const state = (agent: string, at: string, s: string, queues: string[]) => ({
  event_id: id(),
  type: 'agent.state',
  occurred_at: at,
  agent_id: agent,
  state: s,
  queues,
});

async function get<T>(url: string): Promise<T> {
  const r = await app.inject({ method: 'GET', url });
  expect(r.statusCode, r.body).toBe(200);
  return r.json() as T;
}

beforeAll(async () => {
  temp = await openTempStore();
  app = await metricsApp(temp.store, { now: () => NOW });
  const both = ['billing', 'solo'];
  const events = [
    // a1 (billing and solo): b1 transferred, b3 whose customer comes back on the 4th, s1 in solo.
    ...contact('b1', 'billing', t('09:00:00'), 'a1', {
      talk: 300,
      hold: 20,
      wrap: 40,
      done: t('09:06:00'),
      xfer: true,
      customer: 'cu1',
    }),
    ...contact('b2', 'billing', t('09:10:20'), 'a2', {
      talk: 200,
      hold: 0,
      wrap: 30,
      done: t('09:15:00'),
      customer: 'cu2',
    }),
    ...contact('b3', 'billing', t('09:59:55'), 'a1', {
      talk: 180,
      hold: 0,
      wrap: 60,
      done: t('10:04:00'),
      customer: 'cu3',
    }),
    ...contact('s1', 'solo', t('10:59:50'), 'a1', {
      talk: 100,
      hold: 10,
      wrap: 20,
      done: t('11:05:00'),
      customer: 'cu4',
    }),
    {
      event_id: id(),
      type: 'contact.queued',
      occurred_at: t('09:30:00'),
      contact_id: 'b5',
      queue: 'billing',
      channel: 'voice',
    },
    { event_id: id(), type: 'contact.abandoned', occurred_at: t('09:31:00'), contact_id: 'b5' },
    {
      event_id: id(),
      type: 'contact.queued',
      occurred_at: t('09:00:00', '2026-11-04'),
      contact_id: 'b4',
      queue: 'billing',
      channel: 'voice',
      customer_id: 'cu3',
    },
    survey('b1', 10, 5, true),
    survey('b2', 2, 2, false),
    survey('b3', 7, 4, false),
    survey('s1', 9, 3, true),
    state('a1', t('08:00:00'), 'available', both),
    state('a1', t('09:00:10'), 'on_contact', both),
    state('a1', t('09:05:10'), 'wrap_up', both),
    state('a1', t('09:06:00'), 'available', both),
    state('a1', t('10:00:05'), 'on_contact', both),
    state('a1', t('10:04:00'), 'available', both),
    state('a1', t('11:00:00'), 'on_contact', both),
    state('a1', t('11:05:00'), 'available', both),
    state('a1', t('12:00:00'), 'offline', both),
    state('a2', t('09:00:00'), 'available', ['billing']),
    state('a2', t('09:10:30'), 'on_contact', ['billing']),
    state('a2', t('09:15:00'), 'available', ['billing']),
    state('a2', t('10:00:00'), 'offline', ['billing']),
  ];
  const r = await app.inject({ method: 'POST', url: '/v1/events', payload: events });
  expect(r.statusCode, r.body).toBe(200);
});

afterAll(async () => {
  await app?.close();
  await temp?.cleanup();
});

const HANDLED_SIDE = [
  'handled',
  'talk_s',
  'hold_s',
  'wrap_s',
  'transferred',
  'nps_n',
  'promoters',
  'detractors',
  'csat_n',
  'csat_4_5',
  'fcr_n',
  'fcr_yes',
  'fcr_repeat_eligible',
  'fcr_repeat_resolved',
  'fcr_repeat_pending',
  'busy_s',
  'available_s',
] as const;
const pick = (c: Record<string, number>, keys: readonly string[]) => Object.fromEntries(keys.map((k) => [k, c[k]]));

describe('agent scorecards', () => {
  it("gives one agent's day in one queue, worked out by hand", async () => {
    const s = await get<Scorecard>('/v1/agents/a1/scorecard?period=day&date=2026-11-02&queue=billing');
    expect(s.from).toBe('2026-11-02T00:00:00.000Z');
    expect(s.to).toBe('2026-11-03T00:00:00.000Z');
    // b1 and b3: talk 480, hold 20, wrap 100 → AHT 600 / 2; one transferred of 2.
    expect(s.handled).toBe(2);
    expect(s.aht_s).toEqual({ value: 300, handle_s: 600, handled: 2 });
    expect(s.avg_talk_s).toEqual({ value: 240, talk_s: 480, handled: 2 });
    expect(s.avg_hold_s).toEqual({ value: 10, hold_s: 20, handled: 2 });
    expect(s.avg_wrap_s).toEqual({ value: 50, wrap_s: 100, handled: 2 });
    expect(s.transfer_rate).toEqual({ value: 0.5, transferred: 1, handled: 2 });
    // Surveys 10/5/yes and 7/4/no: NPS (1 − 0) / 2 = 50; CSAT 2 of 2; survey FCR 1 of 2.
    expect(s.nps).toEqual({ value: 50, promoters: 1, detractors: 0, answers: 2 });
    expect(s.csat_pct).toEqual({ value: 100, satisfied: 2, answers: 2 });
    expect(s.fcr_survey).toEqual({ value: 0.5, yes: 1, answers: 2 });
    // cu3 came back on the 4th (within 7 days of b3): 1 of 2 resolved.
    expect(s.fcr_repeat).toEqual({ value: 0.5, resolved: 1, eligible: 2, pending: 0 });
    // Busy 09:00:10–09:06 (350 s), 10:00:05–10:04 (235 s), 11:00–11:05 (300 s) = 885 s; available
    // 08:00–09:00:10 (3,610), 09:06–10:00:05 (3,245), 10:04–11:00 (3,360), 11:05–12:00 (3,300) = 13,515 s.
    expect(s.occupancy).toEqual({ value: 885 / 14_400, busy_s: 885, available_s: 13_515 });
  });

  it('equals the queue figures where the agent handled all of the queue', async () => {
    const s = await get<Scorecard>('/v1/agents/a1/scorecard?period=day&date=2026-11-02&queue=solo');
    const m = await get<{ total: { counts: Record<string, number>; aht_s: number; nps: number; occupancy: number } }>(
      '/v1/metrics?queue=solo&from=2026-11-02&to=2026-11-02&interval=1d',
    );
    expect(s.counts).toEqual(m.total.counts);
    expect(s.handled).toBe(1);
    expect(s.aht_s.value).toBe(m.total.aht_s);
    expect(s.nps.value).toBe(m.total.nps);
    expect(s.occupancy.value).toBe(m.total.occupancy);
  });

  it("gives a team view whose total equals the queue's handled-side figures, and CSV", async () => {
    const team = await get<TeamScorecards>('/v1/agents/scorecards?period=day&date=2026-11-02&queue=billing');
    expect(team.agents.map((a) => [a.agent_id, a.handled])).toEqual([
      ['a1', 2],
      ['a2', 1],
    ]);
    const m = await get<{ total: { counts: Record<string, number> } }>(
      '/v1/metrics?queue=billing&from=2026-11-02&to=2026-11-02&interval=1d',
    );
    expect(pick(team.team.counts, HANDLED_SIDE)).toEqual(pick(m.total.counts, HANDLED_SIDE));
    expect(team.team.agents).toEqual(['a1', 'a2']);
    // a2: b2 alone: talk 200, wrap 30; NPS 2 → −100; busy 09:10:30–09:15 (270 s), available
    // 09:00–09:10:30 (630 s) + 09:15–10:00 (2,700 s).
    const a2 = team.agents[1]!;
    expect(a2.aht_s).toEqual({ value: 230, handle_s: 230, handled: 1 });
    expect(a2.nps).toEqual({ value: -100, promoters: 0, detractors: 1, answers: 1 });
    expect(a2.occupancy).toEqual({ value: 270 / 3600, busy_s: 270, available_s: 3330 });
    const csv = await app.inject({
      method: 'GET',
      url: '/v1/agents/scorecards?period=day&date=2026-11-02&queue=billing&format=csv',
    });
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-type']).toContain('text/csv');
    const lines = csv.body.trim().split('\n');
    expect(lines).toHaveLength(4);
    const head = lines[0]!.split(',');
    const row = (i: number) => Object.fromEntries(lines[i]!.split(',').map((v, k) => [head[k], v]));
    expect(row(1)).toMatchObject({ agent_id: 'a1', handled: '2', aht_s: '300', transfer_rate: '0.5', nps: '50' });
    expect(row(3)).toMatchObject({ agent_id: 'team', handled: '3', talk_s: '680', nps_answers: '3' });
  });

  it('gives a week in local time, across queues', async () => {
    const s = await get<Scorecard>('/v1/agents/a1/scorecard?period=week&date=2026-11-04');
    expect([s.from, s.to]).toEqual(['2026-11-02T00:00:00.000Z', '2026-11-09T00:00:00.000Z']);
    expect(s.handled).toBe(3);
    expect(s.aht_s).toEqual({ value: 730 / 3, handle_s: 730, handled: 3 });
    const tokyo = await get<Scorecard>('/v1/agents/a1/scorecard?period=day&date=2026-11-02&tz=Asia/Tokyo');
    // Tokyo's 2 November is 1 November 15:00Z – 2 November 15:00Z: all three contacts.
    expect([tokyo.from, tokyo.handled]).toEqual(['2026-11-01T15:00:00.000Z', 3]);
    const none = await get<Scorecard>('/v1/agents/nobody/scorecard?period=day&date=2026-11-02');
    expect(none.handled).toBe(0);
    expect(none.aht_s).toEqual({ value: null, handle_s: 0, handled: 0 });
  });

  it('writes agent ids into the filter as byte codes only', () => {
    expect(charsSql('a1')).toBe('char(97, 49)');
    expect(charsSql("x'); DROP")).toBe('char(120, 39, 41, 59, 32, 68, 82, 79, 80)');
  });
});
