// The process's cache of rolled half-hours (src/metrics/rolled-cache.ts): a range read once is
// brought up to date from the rows rolled since, so late events, late agent states and late
// surveys show after their re-roll, and a settings change reads the range afresh. One contact
// and one agent on Monday 2026-11-02 (UTC, the default zone); values worked by hand.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTempStore, type TempStore } from '../support/temp-store.js';
import { testApp } from '../support/app.js';
import { queryMetrics, queryMetricsFromScratch, type MetricsQuery } from '../../src/metrics/query.js';
import { reroll } from '../../src/metrics/rollup.js';
import { saveSettings } from '../../src/metrics/settings.js';

let temp: TempStore;
let app: Awaited<ReturnType<typeof testApp>>['app'];
let n = 0;
const id = () => `00000000-0000-4000-9000-${(++n).toString(16).padStart(12, '0')}`;
const at = (hhmmss: string) => `2026-11-02T${hhmmss}Z`;
const ROLL_NOW = Date.parse(at('20:00:00'));
const q: MetricsQuery = {
  queue: 'cache-q',
  from: Date.parse(at('00:00:00')),
  to: Date.parse('2026-11-03T00:00:00Z'),
  interval: '1d',
  now: ROLL_NOW,
};

async function post(events: object[]) {
  const response = await app.inject({ method: 'POST', url: '/v1/events', payload: events });
  expect(response.json()).toMatchObject({ rejected: 0 });
}
const contact = (type: string, time: string, extra: object = {}) => ({
  event_id: id(),
  type,
  occurred_at: at(time),
  contact_id: 'k1',
  ...extra,
});
const agent = (time: string, state: string) => ({
  event_id: id(),
  type: 'agent.state',
  occurred_at: at(time),
  agent_id: 'ka1',
  state,
  queues: ['cache-q'],
});

/** The day's total row, after checking it equals the from-scratch computation. */
async function day() {
  const answer = await queryMetrics(temp.store.client, q);
  expect(answer).toEqual(await queryMetricsFromScratch(temp.store.client, q));
  return answer.total;
}

beforeAll(async () => {
  temp = await openTempStore();
  ({ app } = await testApp(temp.store));
});
afterAll(async () => {
  await app?.close();
  await temp?.cleanup();
});

describe('cache of rolled half-hours', () => {
  it('follows late events, late agent states, late surveys and a settings change', async () => {
    // Queued 10:00, nothing else yet; agent available 09:00–11:00.
    await post([
      contact('contact.queued', '10:00:00', { queue: 'cache-q', channel: 'voice', customer_id: 'kc1' }),
      agent('09:00:00', 'available'),
      agent('11:00:00', 'offline'),
    ]);
    await reroll(temp.store.client, { now: ROLL_NOW });
    let total = await day();
    expect(total.counts).toMatchObject({ offered: 1, answered: 0, waiting: 1, available_s: 7200, busy_s: 0 });

    // Late: answered after 30 s, completed at 10:05 (talk 200, hold 10, wrap 30); on a contact
    // 10:00–11:00, which cuts the available hour in two. Not in the rollup until re-rolled.
    await post([
      contact('contact.answered', '10:00:30', { agent_id: 'ka1' }),
      contact('contact.completed', '10:05:00', { agent_id: 'ka1', talk_s: 200, hold_s: 10, wrap_s: 30 }),
      agent('10:00:00', 'on_contact'),
    ]);
    await reroll(temp.store.client, { now: ROLL_NOW });
    total = await day();
    expect(total.counts).toMatchObject({
      offered: 1,
      answered: 1,
      answered_within_t: 0, // 30 s > T = 20 s (the default)
      waiting: 0,
      handled: 1,
      wait_s: 30,
      talk_s: 200,
      hold_s: 10,
      wrap_s: 30,
      available_s: 3600,
      busy_s: 3600,
    });
    expect(total.occupancy).toBe(0.5);

    // A late survey: NPS 10 is one promoter.
    await post([{ event_id: id(), type: 'survey.submitted', occurred_at: at('10:20:00'), contact_id: 'k1', nps: 10 }]);
    await reroll(temp.store.client, { now: ROLL_NOW });
    total = await day();
    expect(total.counts).toMatchObject({ nps_n: 1, promoters: 1, detractors: 0 });
    expect(total.nps).toBe(100);

    // T = 45 s from the start of the day, with no re-roll: the 30 s wait is now within T.
    await saveSettings(temp.store.client, 'cache-q', { threshold_s: 45 }, 'test', q.from, ROLL_NOW);
    total = await day();
    expect(total.counts.answered_within_t).toBe(1);
    expect(total.threshold_s).toBe(45);
  });
});
