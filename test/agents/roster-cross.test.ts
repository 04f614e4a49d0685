// An agent on two published plans whose shifts overlap in time is double-booked: a roster is
// refused (400 naming the row, agent_id and the other plan) unless the overlap is with an earlier
// version of its own plan, which it replaces. Shifts of queues in different time zones are
// compared as instants. Every case worked by hand.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTempStore, type TempStore } from '../support/temp-store.js';
import { metricsApp } from '../api/helpers.js';
import { checkAcrossRosters, type Assignment, type OtherRoster } from '../../src/agents/roster.js';

const a = (agent_id: string, date: string, start: string, end: string, skills = ['care']): Assignment => ({
  agent_id,
  skills,
  date,
  start,
  end,
  breaks: [],
});
// care (UTC), week of Monday 2026-11-02, version 1: ann on Tuesday 09:00–17:00 UTC and on
// Sunday night 22:00–06:00 (ending Monday 2026-11-09 06:00 UTC, in the next week).
const CARE: OtherRoster = {
  queue: 'care',
  week: '2026-11-02',
  version: 1,
  tz: 'UTC',
  assignments: [a('ann', '2026-11-03', '09:00', '17:00'), a('ann', '2026-11-08', '22:00', '06:00')],
};
const refusal = (queue: string, week: string, assignments: Assignment[], tz: string, row?: (i: number) => string) => {
  try {
    checkAcrossRosters(queue, week, assignments, tz, [CARE], row);
    return null;
  } catch (error) {
    return { field: (error as { field: string }).field, message: (error as Error).message };
  }
};

describe('checkAcrossRosters', () => {
  it('refuses a shift overlapping the same agent on another plan, naming the row, agent_id and that plan', () => {
    // sales Tuesday 16:00–24:00 UTC overlaps care's 09:00–17:00 from 16:00 to 17:00.
    expect(
      refusal(
        'sales',
        '2026-11-02',
        [a('bob', '2026-11-03', '09:00', '17:00'), a('ann', '2026-11-03', '16:00', '24:00')],
        'UTC',
      ),
    ).toEqual({
      field: 'assignments[1].agent_id',
      message:
        'assignments[1].agent_id: agent ann is already on the roster of queue care week 2026-11-02 (version 1) ' +
        'on 2026-11-03 09:00-17:00, which overlaps 2026-11-03 16:00-24:00',
    });
  });

  it('accepts shifts that only touch, and other agents at the same time', () => {
    expect(refusal('sales', '2026-11-02', [a('ann', '2026-11-03', '17:00', '24:00')], 'UTC')).toBeNull();
    expect(refusal('sales', '2026-11-02', [a('bob', '2026-11-03', '09:00', '17:00')], 'UTC')).toBeNull();
  });

  it('compares instants across time zones', () => {
    // Tokyo (UTC+9) Wednesday 01:00–09:00 = Tuesday 16:00–24:00 UTC: overlaps 16:00–17:00.
    expect(refusal('sales', '2026-11-02', [a('ann', '2026-11-04', '01:00', '09:00')], 'Asia/Tokyo')?.message).toBe(
      'assignments[0].agent_id: agent ann is already on the roster of queue care week 2026-11-02 (version 1) ' +
        'on 2026-11-03 09:00-17:00 (UTC), which overlaps 2026-11-04 01:00-09:00 (Asia/Tokyo)',
    );
    // Wednesday 02:00–10:00 in Tokyo = Tuesday 17:00 – Wednesday 01:00 UTC: only touches.
    expect(refusal('sales', '2026-11-02', [a('ann', '2026-11-04', '02:00', '10:00')], 'Asia/Tokyo')).toBeNull();
  });

  it("ignores the plan being replaced (the same queue and week), not the same queue's next week", () => {
    expect(refusal('care', '2026-11-02', [a('ann', '2026-11-03', '09:00', '17:00')], 'UTC')).toBeNull();
    // care's next week: Monday 05:00–13:00 overlaps the Sunday night shift until 06:00.
    expect(refusal('care', '2026-11-09', [a('ann', '2026-11-09', '05:00', '13:00')], 'UTC')).toEqual({
      field: 'assignments[0].agent_id',
      message:
        'assignments[0].agent_id: agent ann is already on the roster of queue care week 2026-11-02 (version 1) ' +
        'on 2026-11-08 22:00-06:00, which overlaps 2026-11-09 05:00-13:00',
    });
  });

  it('names a CSV line when given one', () => {
    const row = (i: number) => `csv line ${i + 2}: `;
    expect(refusal('sales', '2026-11-02', [a('ann', '2026-11-03', '16:00', '24:00')], 'UTC', row)?.message).toMatch(
      /^assignments\[0\]\.agent_id: csv line 2: agent ann is already on the roster of queue care week 2026-11-02/,
    );
  });
});

describe('POST /v1/schedules/:id/roster across plans', () => {
  let temp: TempStore;
  let app: Awaited<ReturnType<typeof metricsApp>>;
  const post = (queue: string, assignments: Assignment[]) =>
    app.inject({ method: 'POST', url: `/v1/schedules/${queue}/roster`, payload: { week: '2026-11-02', assignments } });
  const plan = (queue: string, shifts: Array<[string, string, string, number]>) => ({
    queue,
    week: '2026-11-02',
    channel: 'voice',
    run_id: `r-${queue}`,
    solved_at: '2026-11-01 00:00:00.000',
    patterns: '[]',
    plan: JSON.stringify({
      status: 'optimal',
      shifts: shifts.map(([date, start, end, agents]) => ({ date, start, end, agents })),
    }),
  });
  const sales = (agent: string, start: string, end: string) => a(agent, '2026-11-04', start, end, ['sales']);

  beforeAll(async () => {
    temp = await openTempStore();
    app = await metricsApp(temp.store, { now: () => Date.parse('2026-11-01T00:00:00Z') });
    const tz = await app.inject({
      method: 'PUT',
      url: '/v1/queues/sales/settings',
      payload: { time_zone: 'Asia/Tokyo', effective_from: '2000-01-01T00:00:00Z' },
    });
    expect(tz.statusCode, tz.body).toBe(200);
    // care (UTC): Tuesday 09:00–17:00 for two. sales (Tokyo): Wednesday 01:00–09:00 and 02:00–10:00, one each.
    await temp.store.client.insert({
      table: 'shift_plans',
      format: 'JSONEachRow',
      values: [
        plan('care', [['2026-11-03', '09:00', '17:00', 2]]),
        plan('sales', [
          ['2026-11-04', '01:00', '09:00', 1],
          ['2026-11-04', '02:00', '10:00', 1],
        ]),
      ],
    });
  });
  afterAll(async () => {
    await app?.close();
    await temp?.cleanup();
  });

  it('refuses the double booking as JSON and as CSV, and accepts the same agent when the shifts do not overlap', async () => {
    expect((await post('care', [a('ann', '2026-11-03', '09:00', '17:00')])).json()).toMatchObject({ version: 1 });
    // ann on sales Wednesday 01:00–09:00 Tokyo = Tuesday 16:00–24:00 UTC, during her care shift.
    const json = await post('sales', [sales('bob', '02:00', '10:00'), sales('ann', '01:00', '09:00')]);
    expect(json.statusCode).toBe(400);
    expect(json.json()).toMatchObject({
      field: 'assignments[1].agent_id',
      error:
        'assignments[1].agent_id: agent ann is already on the roster of queue care week 2026-11-02 (version 1) ' +
        'on 2026-11-03 09:00-17:00 (UTC), which overlaps 2026-11-04 01:00-09:00 (Asia/Tokyo)',
    });
    const csv = await app.inject({
      method: 'POST',
      url: '/v1/schedules/sales/roster?week=2026-11-02',
      headers: { 'content-type': 'text/csv' },
      payload:
        'agent_id,skills,date,start,end,breaks\nbob,sales,2026-11-04,02:00,10:00,\nann,sales,2026-11-04,01:00,09:00,\n',
    });
    expect(csv.statusCode).toBe(400);
    expect(csv.json()).toMatchObject({
      field: 'assignments[1].agent_id',
      error: expect.stringMatching(
        /^assignments\[1\]\.agent_id: csv line 3: agent ann is already on the roster of queue care week 2026-11-02 \(version 1\)/,
      ),
    });
    // 02:00–10:00 Tokyo starts at 17:00 UTC, when her care shift ends.
    const fine = await post('sales', [sales('bob', '01:00', '09:00'), sales('ann', '02:00', '10:00')]);
    expect(fine.statusCode, fine.body).toBe(200);
    expect(fine.json()).toMatchObject({ queue: 'sales', version: 1 });
  });

  it("a new version replaces its plan's earlier ones: they neither block it nor block other plans", async () => {
    // care version 2 keeps ann on the hours version 1 gave her.
    const again = await post('care', [
      a('ann', '2026-11-03', '09:00', '17:00'),
      a('cat', '2026-11-03', '09:00', '17:00'),
    ]);
    expect(again.statusCode, again.body).toBe(200);
    expect(again.json()).toMatchObject({ version: 2 });
    // care version 3 drops ann, so sales version 2 may put her on Tuesday 16:00–24:00 UTC.
    expect((await post('care', [a('cat', '2026-11-03', '09:00', '17:00')])).json()).toMatchObject({ version: 3 });
    const moved = await post('sales', [sales('ann', '01:00', '09:00'), sales('bob', '02:00', '10:00')]);
    expect(moved.statusCode, moved.body).toBe(200);
    expect(moved.json()).toMatchObject({ version: 2 });
    // Now care cannot take her back for Tuesday 09:00–17:00: sales version 2 has her from 16:00 UTC.
    const back = await post('care', [
      a('cat', '2026-11-03', '09:00', '17:00'),
      a('ann', '2026-11-03', '09:00', '17:00'),
    ]);
    expect(back.statusCode).toBe(400);
    expect(back.json()).toMatchObject({
      field: 'assignments[1].agent_id',
      error:
        'assignments[1].agent_id: agent ann is already on the roster of queue sales week 2026-11-02 (version 2) ' +
        'on 2026-11-04 01:00-09:00 (Asia/Tokyo), which overlaps 2026-11-03 09:00-17:00 (UTC)',
    });
  });
});
