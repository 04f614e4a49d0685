// Rosters and adherence on the real embedded engine: a day of state events for 3 rostered agents
// (and one who is not on the roster) against a roster with breaks, worked out to the minute,
// including a state change exactly on a boundary and events that arrive late; roster versions and
// the CSV import.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTempStore, type TempStore } from '../support/temp-store.js';
import { metricsApp } from '../api/helpers.js';
import type { DayAdherence } from '../../src/agents/adherence.js';

let temp: TempStore;
let app: Awaited<ReturnType<typeof metricsApp>>;
const NOW = Date.parse('2026-11-04T00:00:00Z');

let n = 0;
const id = () => `00000000-0000-4000-9000-${(++n).toString(16).padStart(12, '0')}`;
const state = (agent: string, hhmm: string, s: string) => ({
  event_id: id(),
  type: 'agent.state',
  occurred_at: `2026-11-03T${hhmm}:00.000Z`,
  agent_id: agent,
  state: s,
  queues: ['care'],
});

async function post(events: object[]) {
  const r = await app.inject({ method: 'POST', url: '/v1/events', payload: events });
  expect(r.statusCode, r.body).toBe(200);
}
async function adherence(query = ''): Promise<DayAdherence> {
  const r = await app.inject({ method: 'GET', url: `/v1/adherence?queue=care&date=2026-11-03${query}` });
  expect(r.statusCode, r.body).toBe(200);
  return r.json() as DayAdherence;
}
const shift = (agent: string, start: string, end: string, breaks: Array<[string, string]> = []) => ({
  agent_id: agent,
  skills: ['care'],
  date: '2026-11-03',
  start,
  end,
  breaks: breaks.map(([s, e]) => ({ start: s, end: e })),
});

// The plans solved for care's weeks, which the rosters below are checked against.
async function solvedPlan(week: string, shifts: Array<[string, string, string, number]>) {
  const plan = {
    status: 'optimal',
    shifts: shifts.map(([date, start, end, agents]) => ({ date, start, end, agents })),
  };
  await temp.store.client.insert({
    table: 'shift_plans',
    format: 'JSONEachRow',
    values: [
      {
        queue: 'care',
        week,
        channel: 'voice',
        run_id: 'r1',
        solved_at: '2026-11-01 00:00:00.000',
        patterns: '[]',
        plan: JSON.stringify(plan),
      },
    ],
  });
}

beforeAll(async () => {
  temp = await openTempStore();
  // States are sent on change only in this day: a 12-hour silence limit keeps them in force.
  app = await metricsApp(temp.store, { now: () => NOW, agentSilenceMs: 12 * 3_600_000 });
  await solvedPlan('2026-11-02', [
    ['2026-11-03', '09:00', '12:00', 1],
    ['2026-11-03', '09:00', '11:00', 1],
    ['2026-11-03', '10:00', '12:00', 1],
  ]);
  await solvedPlan('2026-11-09', [
    ['2026-11-10', '22:00', '06:00', 1],
    ['2026-11-11', '08:00', '16:00', 2],
  ]);
  const v1 = [
    shift('ann', '09:00', '12:00', [['10:30', '10:45']]),
    shift('bob', '09:00', '11:00', [['10:00', '10:15']]),
    shift('cat', '10:00', '12:00', [['11:00', '11:15']]),
  ];
  for (const assignments of [v1, [v1[0], v1[1], shift('cat', '10:00', '12:00')]]) {
    const r = await app.inject({
      method: 'POST',
      url: '/v1/schedules/care/roster',
      payload: { week: '2026-11-02', assignments },
    });
    expect(r.statusCode, r.body).toBe(200);
  }
  await post([
    state('ann', '08:55', 'available'),
    state('ann', '10:30', 'break'), // exactly on the break's first minute
    state('ann', '10:47', 'available'),
    state('ann', '12:00', 'offline'),
    state('bob', '09:02', 'available'),
    state('bob', '10:00', 'break'),
    state('bob', '10:15', 'available'),
    state('bob', '11:00', 'offline'),
    state('cat', '10:00', 'training'),
    state('cat', '10:20', 'available'),
    state('cat', '11:58', 'offline'),
    // dan is on no roster.
    state('dan', '09:00', 'available'),
    state('dan', '10:00', 'offline'),
  ]);
});

afterAll(async () => {
  await app?.close();
  await temp?.cleanup();
});

const out = (from: string, to: string, minutes: number, planned: string, actual: string) => ({
  from: `2026-11-03T${from}:00.000Z`,
  to: `2026-11-03T${to}:00.000Z`,
  minutes,
  planned,
  actual,
});

describe('adherence against the published roster', () => {
  it('judges every minute by the state in force at its start, boundary included', async () => {
    const a = await adherence();
    expect(a.roster).toMatchObject({ week: '2026-11-02', version: 2 });
    expect([a.from, a.to, a.judged_to]).toEqual([
      '2026-11-03T00:00:00.000Z',
      '2026-11-04T00:00:00.000Z',
      '2026-11-04T00:00:00.000Z',
    ]);
    const by = Object.fromEntries(a.agents.map((x) => [x.agent_id, x]));
    expect(a.agents.map((x) => x.agent_id)).toEqual(['ann', 'bob', 'cat', 'dan']);
    // ann: 180 scheduled; work 09:00–10:30 (90, available), break 10:30–10:45 (15, on a break from
    // 10:30:00 exactly), work 10:45–12:00: on a break until 10:47 (2 out), then 73 available.
    // Worked: 08:55–10:30 (95) + 10:47–12:00 (73) = 168 of 165 planned.
    expect(by.ann).toEqual({
      agent_id: 'ann',
      rostered: true,
      scheduled_min: 180,
      in_adherence_min: 178,
      adherence: 178 / 180,
      planned_work_min: 165,
      worked_min: 168,
      conformance: 168 / 165,
      out_of_adherence: [out('10:45', '10:47', 2, 'work', 'break')],
    });
    // cat (version 2: no break): training until 10:20 (20 out), available until 11:58, offline
    // for the last 2 minutes: 98 of 120.
    expect(by.cat).toMatchObject({
      scheduled_min: 120,
      in_adherence_min: 98,
      planned_work_min: 120,
      worked_min: 98,
      out_of_adherence: [out('10:00', '10:20', 20, 'work', 'training'), out('11:58', '12:00', 2, 'work', 'offline')],
    });
    // dan is not on the roster: shown as unplanned, nothing scheduled.
    expect(by.dan).toMatchObject({
      rostered: false,
      scheduled_min: 0,
      adherence: null,
      worked_min: 60,
      conformance: null,
      out_of_adherence: [],
    });
  });

  it('counts late events where they belong', async () => {
    // bob before the late events: unknown until his 09:02 login (2 out), then in adherence.
    let bob = (await adherence()).agents.find((x) => x.agent_id === 'bob')!;
    expect(bob).toMatchObject({
      scheduled_min: 120,
      in_adherence_min: 118,
      planned_work_min: 105,
      worked_min: 103,
      out_of_adherence: [out('09:00', '09:02', 2, 'work', 'unknown')],
    });
    // Arriving late: bob took an unplanned break 09:40–09:45.
    await post([state('bob', '09:40', 'break'), state('bob', '09:45', 'available')]);
    const a = await adherence();
    bob = a.agents.find((x) => x.agent_id === 'bob')!;
    expect(bob).toEqual({
      agent_id: 'bob',
      rostered: true,
      scheduled_min: 120,
      in_adherence_min: 113,
      adherence: 113 / 120,
      planned_work_min: 105,
      worked_min: 98,
      conformance: 98 / 105,
      out_of_adherence: [out('09:00', '09:02', 2, 'work', 'unknown'), out('09:40', '09:45', 5, 'work', 'break')],
    });
    // Team: 178 + 113 + 98 of 420 scheduled; worked by rostered agents 168 + 98 + 98 of 390.
    expect(a.team).toEqual({
      agents: 4,
      scheduled_min: 420,
      in_adherence_min: 389,
      adherence: 389 / 420,
      planned_work_min: 390,
      worked_min: 364,
      conformance: 364 / 390,
    });
  });

  it('reads an earlier roster version on request', async () => {
    // Version 1 gave cat a break 11:00–11:15, which cat worked through: 15 more minutes out.
    const cat = (await adherence('&version=1')).agents.find((x) => x.agent_id === 'cat')!;
    expect(cat).toMatchObject({
      scheduled_min: 120,
      in_adherence_min: 83,
      planned_work_min: 105,
      out_of_adherence: [
        out('10:00', '10:20', 20, 'work', 'training'),
        out('11:00', '11:15', 15, 'break', 'available'),
        out('11:58', '12:00', 2, 'work', 'offline'),
      ],
    });
    const r = await app.inject({ method: 'GET', url: '/v1/schedules/care/roster?week=2026-11-02' });
    expect(r.statusCode).toBe(200);
    const body = r.json() as { versions: number[]; roster: { version: number; assignments: unknown[] } };
    expect(body.versions).toEqual([1, 2]);
    expect(body.roster.version).toBe(2);
    expect(body.roster.assignments).toHaveLength(3);
  });

  it('imports a roster CSV and refuses a break outside its shift', async () => {
    const csv =
      'agent_id,skills,date,start,end,breaks\nann,care|sales,2026-11-10,22:00,06:00,02:00-02:30\nbob,care,2026-11-11,08:00,16:00,\n';
    const r = await app.inject({
      method: 'POST',
      url: '/v1/schedules/care/roster?week=2026-11-09',
      headers: { 'content-type': 'text/csv' },
      payload: csv,
    });
    expect(r.statusCode, r.body).toBe(200);
    expect(r.json()).toMatchObject({
      week: '2026-11-09',
      version: 1,
      assignments: [
        {
          agent_id: 'ann',
          skills: ['care', 'sales'],
          start: '22:00',
          end: '06:00',
          breaks: [{ start: '02:00', end: '02:30' }],
        },
        { agent_id: 'bob', skills: ['care'], breaks: [] },
      ],
    });
    const bad = await app.inject({
      method: 'POST',
      url: '/v1/schedules/care/roster',
      payload: { week: '2026-11-02', assignments: [shift('eve', '09:00', '10:00', [['10:00', '10:30']])] },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ field: 'assignments[0].breaks[0]' });
    const notMonday = await app.inject({
      method: 'POST',
      url: '/v1/schedules/care/roster',
      payload: { week: '2026-11-10', assignments: [] },
    });
    expect(notMonday.statusCode).toBe(400);
  });

  it('puts adherence on the scorecards of the queue', async () => {
    const r = await app.inject({
      method: 'GET',
      url: '/v1/agents/ann/scorecard?period=day&date=2026-11-03&queue=care',
    });
    expect(r.statusCode, r.body).toBe(200);
    expect((r.json() as { adherence: unknown }).adherence).toEqual({
      scheduled_min: 180,
      in_adherence_min: 178,
      adherence: 178 / 180,
      planned_work_min: 165,
      worked_min: 168,
      conformance: 168 / 165,
    });
    // In the week of the 3rd only the 3rd has shifts: the week's adherence is that day's.
    const team = await app.inject({
      method: 'GET',
      url: '/v1/agents/scorecards?period=week&date=2026-11-03&queue=care&agents=ann,bob,cat',
    });
    expect(team.statusCode, team.body).toBe(200);
    const body = team.json() as {
      agents: Array<{ adherence: { in_adherence_min: number } }>;
      team: { adherence: unknown };
    };
    expect(body.agents.map((a) => a.adherence.in_adherence_min)).toEqual([178, 113, 98]);
    expect(body.team.adherence).toEqual({
      scheduled_min: 420,
      in_adherence_min: 389,
      adherence: 389 / 420,
      planned_work_min: 390,
      worked_min: 364,
      conformance: 364 / 390,
    });
  });
});
