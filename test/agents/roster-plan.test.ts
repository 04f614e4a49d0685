// A roster is checked against the plan solved for its queue's week: each assignment is one of
// the plan's shifts, no shift gets more agents than planned, the queue is among each agent's
// skills, and no agent is on two overlapping shifts. Refusals are 400 naming the row and field.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTempStore, type TempStore } from '../support/temp-store.js';
import { metricsApp } from '../api/helpers.js';
import { checkAgainstPlan, type Assignment } from '../../src/agents/roster.js';

const a = (agent_id: string, date: string, start: string, end: string, skills = ['care']): Assignment => ({
  agent_id,
  skills,
  date,
  start,
  end,
  breaks: [],
});
// The plan: Tuesday 09:00–17:00 for two agents (two patterns of the same hours, one agent each),
// Wednesday 16:00–24:00 (the plan writes midnight as 00:00) for one.
const PLAN = [
  { date: '2026-11-03', start: '09:00', end: '17:00', agents: 1 },
  { date: '2026-11-03', start: '09:00', end: '17:00', agents: 1 },
  { date: '2026-11-04', start: '16:00', end: '00:00', agents: 1 },
];
const refusal = (assignments: Assignment[]) => {
  try {
    checkAgainstPlan('care', '2026-11-02', assignments, PLAN);
    return null;
  } catch (error) {
    return { field: (error as { field: string }).field, message: (error as Error).message };
  }
};

describe('checkAgainstPlan', () => {
  it('accepts the plan filled exactly, midnight written as 24:00 too', () => {
    expect(
      refusal([
        a('ann', '2026-11-03', '09:00', '17:00'),
        a('bob', '2026-11-03', '09:00', '17:00', ['sales', 'care']),
        a('cat', '2026-11-04', '16:00', '24:00'),
      ]),
    ).toBeNull();
  });

  it('refuses a third agent on a shift the plan staffs with two', () => {
    expect(
      refusal([
        a('ann', '2026-11-03', '09:00', '17:00'),
        a('bob', '2026-11-03', '09:00', '17:00'),
        a('cat', '2026-11-03', '09:00', '17:00'),
      ]),
    ).toEqual({
      field: 'assignments[2]',
      message: 'assignments[2]: shift 2026-11-03 09:00-17:00 has 2 agents in the plan; agent cat would be number 3',
    });
  });

  it('refuses a shift the plan does not have, naming that day’s shifts', () => {
    expect(refusal([a('ann', '2026-11-03', '08:00', '16:00')])).toEqual({
      field: 'assignments[0]',
      message:
        'assignments[0]: no shift 2026-11-03 08:00-16:00 in the plan solved for care week 2026-11-02 (that day: 09:00-17:00)',
    });
    expect(refusal([a('ann', '2026-11-05', '09:00', '17:00')])?.message).toBe(
      'assignments[0]: no shift 2026-11-05 09:00-17:00 in the plan solved for care week 2026-11-02 (none that day)',
    );
  });

  it('refuses an agent without the queue among its skills', () => {
    expect(
      refusal([a('ann', '2026-11-03', '09:00', '17:00'), a('bob', '2026-11-03', '09:00', '17:00', ['sales'])]),
    ).toEqual({
      field: 'assignments[1].skills',
      message: 'assignments[1].skills: agent bob does not have care among its skills (sales); the plan staffs care',
    });
  });
});

describe('POST /v1/schedules/:id/roster against the solved plan', () => {
  let temp: TempStore;
  let app: Awaited<ReturnType<typeof metricsApp>>;
  const post = (week: string, assignments: Assignment[]) =>
    app.inject({ method: 'POST', url: '/v1/schedules/care/roster', payload: { week, assignments } });

  beforeAll(async () => {
    temp = await openTempStore();
    app = await metricsApp(temp.store, { now: () => Date.parse('2026-11-01T00:00:00Z') });
    await temp.store.client.insert({
      table: 'shift_plans',
      format: 'JSONEachRow',
      values: [
        {
          queue: 'care',
          week: '2026-11-02',
          channel: 'voice',
          run_id: 'r1',
          solved_at: '2026-11-01 00:00:00.000',
          patterns: '[]',
          plan: JSON.stringify({ status: 'optimal', shifts: PLAN }),
        },
      ],
    });
  });
  afterAll(async () => {
    await app?.close();
    await temp?.cleanup();
  });

  it('publishes a roster inside the plan', async () => {
    const r = await post('2026-11-02', [a('ann', '2026-11-03', '09:00', '17:00')]);
    expect(r.statusCode, r.body).toBe(200);
    expect(r.json()).toMatchObject({ queue: 'care', week: '2026-11-02', version: 1 });
  });

  it('refuses with 400 naming the row: over the plan, a missing skill, a double booking, no plan', async () => {
    const over = await post('2026-11-02', [
      a('ann', '2026-11-03', '09:00', '17:00'),
      a('bob', '2026-11-03', '09:00', '17:00'),
      a('cat', '2026-11-03', '09:00', '17:00'),
    ]);
    expect(over.statusCode).toBe(400);
    expect(over.json()).toMatchObject({ field: 'assignments[2]' });
    const skill = await post('2026-11-02', [a('ann', '2026-11-03', '09:00', '17:00', ['sales'])]);
    expect(skill.json()).toMatchObject({ field: 'assignments[0].skills' });
    // ann on Tuesday 09:00–17:00 and Wednesday's 16:00 shift would not overlap; twice on Tuesday does.
    const twice = await post('2026-11-02', [
      a('ann', '2026-11-03', '09:00', '17:00'),
      a('ann', '2026-11-03', '09:00', '17:00'),
    ]);
    expect(twice.statusCode).toBe(400);
    expect(twice.json()).toMatchObject({ field: 'assignments[1]' });
    const noPlan = await post('2026-11-09', [a('ann', '2026-11-10', '09:00', '17:00')]);
    expect(noPlan.statusCode).toBe(400);
    expect(noPlan.json()).toMatchObject({
      field: 'week',
      error: expect.stringContaining('no plan solved for queue care week 2026-11-09'),
    });
  });
});
