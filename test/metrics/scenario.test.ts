// Done-when #1: every metric of docs/spec.md over a hand-built scenario (scenario.ts), each expected
// value worked out by hand below. Settings: v1 (from the beginning) Europe/London, T = 20 s,
// short abandon 5 s, formula 1, FCR window 7 days; v2 from 01:00Z: T = 45 s and formula 4.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTempStore, type TempStore } from '../support/temp-store.js';
import { testApp } from '../support/app.js';
import { queryMetrics, type MetricsRow } from '../../src/metrics/query.js';
import { saveSettings } from '../../src/metrics/settings.js';
import { BILLING_DAY, LATER_CONTACTS } from './scenario.js';

let temp: TempStore;
let app: Awaited<ReturnType<typeof testApp>>['app'];
const NOW = Date.parse('2026-11-23T00:00:00Z');
const DAY_FROM = Date.parse('2026-10-24T23:00:00Z'); // local midnight, BST
const DAY_TO = Date.parse('2026-10-26T00:00:00Z'); // next local midnight, GMT: a 25-hour day

async function post(events: unknown[]) {
  const response = await app.inject({ method: 'POST', url: '/v1/events', payload: events });
  expect(response.json()).toMatchObject({ rejected: 0 });
}

const billing = (interval: '30m' | '1h' | '1d', extra: { channel?: string; now?: number } = {}) =>
  queryMetrics(temp.store.client, { queue: 'billing', from: DAY_FROM, to: DAY_TO, interval, now: NOW, ...extra });

beforeAll(async () => {
  temp = await openTempStore();
  ({ app } = await testApp(temp.store));
  await saveSettings(temp.store.client, 'billing', { time_zone: 'Europe/London' }, 'test', 0, NOW);
  await saveSettings(
    temp.store.client,
    'billing',
    { threshold_s: 45, sl_formula: 'answered_within_t_over_answered_and_abandoned_after_t' },
    'test',
    Date.parse('2026-10-25T01:00:00Z'),
    NOW,
  );
  // Arrival order is scrambled on purpose: two batches, the later contacts first.
  await post(LATER_CONTACTS);
  await post(BILLING_DAY.slice(20));
  await post(BILLING_DAY.slice(0, 20));
});
afterAll(async () => {
  await app?.close();
  await temp?.cleanup();
});

describe('hand-built scenario, billing, Sunday 2026-10-25 (BST ends)', () => {
  it('day total: every count and every ratio', async () => {
    const result = await billing('1d');
    expect(result.time_zone).toBe('Europe/London');
    expect(result.rows).toHaveLength(1);
    const day = result.rows[0]!;
    expect(day.start).toBe('2026-10-24T23:00:00.000Z');
    expect(day.end).toBe('2026-10-26T00:00:00.000Z');
    expect(day.start_local).toBe('2026-10-25T00:00:00+01:00');
    // Offered: c1–c9, c14, c15 = 11 (c10–c13 are in sales).
    // Answered (wait): c1 10, c2 30, c6 20, c7 5, c8 40 = 5 contacts, 105 s.
    // Within T: A uses T = 20 → c1, c6 (20 ≤ 20); B uses T = 45 → c7, c8; c2 (30 > 20) not = 4.
    // Short: c3 (3 s) = 1. Abandoned: c4 15, c5 60, c14 5 (5 is not < 5), c15 120 = 4;
    // within T: c4 (≤20), c14 (≤45) = 2; after T: c5 (>20), c15 (>45) = 2. Waiting: c9.
    // Handled: c1, c2, c6, c7, c8: talk 100+200+60+50+90 = 500, hold 20+10 = 30,
    // wrap 30+40+0+20+30 = 120; transferred: c2.
    // Surveys (by event_id; c2's twice-delivered survey once; c1 answered two):
    // NPS 10, 9, 7, 6, 8 → 2 promoters, 1 detractor of 5; CSAT 5, 2, 4, 3, 1 → 2 of 5;
    // FCR true, false, true, false.
    // Repeats: c1 → c6 same customer, same reason, 25 min later: repeat. c2 → c11 (sales,
    // email) 2 days later, same reason: repeat. c6 → c10 11 days later: outside 7 days, resolved.
    // c7 → c12 other reason (both known): resolved. c8 (reason unknown) → c13: repeat.
    // Agent a1 (billing): available 00:00–00:10, 00:25–00:40 = 25 min; on contact / wrap
    // 00:10–00:25 and 01:00–01:15 = 30 min; break and offline do not count; a2 is sales.
    expect(day.counts).toEqual({
      offered: 11,
      answered: 5,
      answered_within_t: 4,
      short_abandons: 1,
      abandoned: 4,
      abandoned_within_t: 2,
      abandoned_after_t: 2,
      waiting: 1,
      wait_s: 105,
      handled: 5,
      talk_s: 500,
      hold_s: 30,
      wrap_s: 120,
      transferred: 1,
      nps_n: 5,
      promoters: 2,
      detractors: 1,
      csat_n: 5,
      csat_4_5: 2,
      fcr_n: 4,
      fcr_yes: 2,
      fcr_repeat_eligible: 5,
      fcr_repeat_resolved: 2,
      fcr_repeat_pending: 0,
      busy_s: 1800,
      available_s: 1500,
    });
    expect(day.settings_versions).toEqual([1, 2]);
    // The day starts under v1: formula 1, T 20.
    expect(day.threshold_s).toBe(20);
    expect(day.sl_target).toBe(0.8);
    expect(day.service_level).toEqual({
      formula: 'answered_within_t_over_offered',
      definition: 'answered within T ÷ (offered − short abandons)',
      value: 0.4, // 4 / (11 − 1)
    });
    expect(day.service_level_by_formula.answered_within_t_over_offered).toBe(0.4);
    expect(day.service_level_by_formula.answered_within_t_over_answered).toBe(0.8); // 4 / 5
    expect(day.service_level_by_formula.answered_and_abandoned_within_t_over_offered).toBe(0.6); // (4 + 2) / 10
    expect(day.service_level_by_formula.answered_within_t_over_answered_and_abandoned_after_t).toBeCloseTo(4 / 7, 12); // 4 / (5 + 2)
    expect(day.asa_s).toBe(21); // 105 / 5
    expect(day.aht_s).toBe(130); // (500 + 30 + 120) / 5
    expect([day.avg_talk_s, day.avg_hold_s, day.avg_wrap_s]).toEqual([100, 6, 24]);
    expect(day.abandon_rate).toBe(0.4); // 4 / (11 − 1)
    expect(day.transfer_rate).toBe(0.2); // 1 / 5
    expect(day.nps).toBe(20); // 100 × (2 − 1) / 5
    expect(day.csat_pct).toBe(40); // 100 × 2 / 5
    expect(day.fcr_survey).toBe(0.5); // 2 / 4
    expect(day.fcr_repeat).toBe(0.4); // c6, c7 of 5
    expect(day.occupancy).toBeCloseTo(1800 / 3300, 12);
  });

  it('half-hours: 50 on the day BST ends, each contact in the half-hour it was queued', async () => {
    const { rows } = await billing('30m');
    expect(rows).toHaveLength(50);
    expect(rows.map((r) => r.start_local).slice(2, 5)).toEqual([
      '2026-10-25T01:00:00+01:00',
      '2026-10-25T01:30:00+01:00',
      '2026-10-25T01:00:00+00:00',
    ]);
    const byStart = new Map(rows.map((r) => [r.start, r]));
    const a = byStart.get('2026-10-25T00:00:00.000Z')!;
    // A (first 01:00, T 20): c1–c6. Answered c1 10, c2 30, c6 20; within T c1, c6; short c3;
    // abandoned c4 (within), c5 (after). Handled c1, c2, c6: 360 + 20 + 70 = 450.
    expect(a.counts).toMatchObject({
      offered: 6,
      answered: 3,
      answered_within_t: 2,
      short_abandons: 1,
      abandoned: 2,
      abandoned_within_t: 1,
      abandoned_after_t: 1,
      waiting: 0,
      wait_s: 60,
      handled: 3,
      transferred: 1,
      busy_s: 900,
      available_s: 900,
      fcr_repeat_eligible: 3,
      fcr_repeat_resolved: 1,
    });
    expect(a.settings_versions).toEqual([1]);
    expect(a.service_level.value).toBe(0.4); // 2 / (6 − 1)
    expect(a.asa_s).toBe(20); // 60 / 3
    expect(a.aht_s).toBe(150); // 450 / 3
    expect(a.abandon_rate).toBe(0.4); // 2 / 5
    expect(a.transfer_rate).toBeCloseTo(1 / 3, 12);
    expect(a.nps).toBeCloseTo(200 / 3, 12); // 10, 9, 7: 2 promoters of 3
    expect(a.csat_pct).toBe(50); // 5, 2, 4, 3
    expect(a.fcr_survey).toBe(0.5);
    expect(a.fcr_repeat).toBeCloseTo(1 / 3, 12); // only c6
    expect(a.occupancy).toBe(0.5); // 15 min busy, 15 min available

    // 00:30Z: no contacts; a1 available 00:30–00:40, then on break.
    const idle = byStart.get('2026-10-25T00:30:00.000Z')!;
    expect(idle.counts.offered).toBe(0);
    expect(idle.service_level.value).toBeNull();
    expect(idle.asa_s).toBeNull();
    expect(idle.occupancy).toBe(0); // 0 / (0 + 600)

    // B (second 01:00, v2: T 45, formula 4): c7 (5 s, chat) and c8 (40 s).
    const b = byStart.get('2026-10-25T01:00:00.000Z')!;
    expect(b.settings_versions).toEqual([2]);
    expect(b.threshold_s).toBe(45);
    expect(b.counts).toMatchObject({
      offered: 2,
      answered: 2,
      answered_within_t: 2,
      wait_s: 45,
      handled: 2,
      talk_s: 140,
      hold_s: 10,
      wrap_s: 50,
    });
    expect(b.service_level.formula).toBe('answered_within_t_over_answered_and_abandoned_after_t');
    expect(b.service_level.value).toBe(1); // 2 / (2 + 0)
    expect(b.asa_s).toBe(22.5);
    expect(b.aht_s).toBe(100); // 200 / 2
    expect(b.nps).toBe(-50); // 6, 8: 0 promoters, 1 detractor of 2
    expect(b.csat_pct).toBe(0); // 1
    expect(b.fcr_repeat).toBe(0.5); // c7 resolved, c8 repeated
    expect(b.occupancy).toBe(1); // on contact 01:00–01:15, then offline

    // C (10:00Z, T 45): c9 waiting, c14 abandoned within T, c15 after T.
    const c = byStart.get('2026-10-25T10:00:00.000Z')!;
    expect(c.counts).toMatchObject({
      offered: 3,
      waiting: 1,
      short_abandons: 0,
      abandoned: 2,
      abandoned_within_t: 1,
      abandoned_after_t: 1,
    });
    expect(c.service_level.value).toBe(0); // 0 / (0 + 1)
    expect(c.abandon_rate).toBeCloseTo(2 / 3, 12);

    // Every other half-hour is empty of contacts.
    const offered = rows.reduce((s, r) => s + r.counts.offered, 0);
    expect(offered).toBe(11);
  });

  it('hours: 25 on that day; the two 01:00 hours are apart', async () => {
    const { rows } = await billing('1h');
    expect(rows).toHaveLength(25);
    expect(rows[1]!.start_local).toBe('2026-10-25T01:00:00+01:00');
    expect(rows[2]!.start_local).toBe('2026-10-25T01:00:00+00:00');
    expect(rows[1]!.counts.offered).toBe(6);
    expect(rows[2]!.counts.offered).toBe(2);
    expect(rows[1]!.counts.busy_s).toBe(900); // 00:00–01:00Z: busy 15 min, available 10 + 15 min
    expect(rows[1]!.counts.available_s).toBe(1500);
  });

  it('one channel: chat is c7 alone', async () => {
    const day = (await billing('1d', { channel: 'chat' })).rows[0]!;
    expect(day.counts).toMatchObject({
      offered: 1,
      answered: 1,
      answered_within_t: 1,
      wait_s: 5,
      handled: 1,
      nps_n: 1,
      detractors: 1,
      fcr_repeat_resolved: 1,
    });
  });

  it('repeat-contact FCR waits for the window to close', async () => {
    // On the next day no 7-day window has ended: all 5 handled contacts are pending.
    const day = (await billing('1d', { now: Date.parse('2026-10-26T00:00:00Z') })).rows[0]!;
    expect(day.counts).toMatchObject({ fcr_repeat_eligible: 0, fcr_repeat_resolved: 0, fcr_repeat_pending: 5 });
    expect(day.fcr_repeat).toBeNull();
  });

  it('all queues, cut in UTC: a2 (sales) adds 24 h of available time', async () => {
    const all = await queryMetrics(temp.store.client, {
      from: Date.parse('2026-10-25T00:00:00Z'),
      to: Date.parse('2026-10-26T00:00:00Z'),
      interval: '1d',
      now: NOW,
    });
    expect(all.time_zone).toBe('UTC');
    const day = all.rows[0]!;
    expect(day.counts.offered).toBe(11);
    expect(day.counts.answered_within_t).toBe(4); // each contact still uses its queue's settings version
    expect(day.counts.available_s).toBe(1500 + 86_400);
    expect(day.occupancy).toBeCloseTo(1800 / 89_700, 12);
  });

  it('spring forward: 2026-03-29 has 46 half-hours', async () => {
    const { rows } = await queryMetrics(temp.store.client, {
      queue: 'billing',
      from: Date.parse('2026-03-29T00:00:00Z'),
      to: Date.parse('2026-03-29T23:00:00Z'),
      interval: '30m',
      now: NOW,
    });
    expect(rows).toHaveLength(46);
    expect(rows[2]!.start_local).toBe('2026-03-29T02:00:00+01:00'); // 01:00–02:00 local never happened
  });

  it('delivering every event again changes no figure', async () => {
    const before: MetricsRow[] = (await billing('30m')).rows;
    await post(BILLING_DAY);
    await post(LATER_CONTACTS);
    expect((await billing('30m')).rows).toEqual(before);
  });
});
