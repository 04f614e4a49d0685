// CSAT is reported as `csat` on the 0–1 scale like every other ratio; `csat_pct` (0–100) stays
// beside it for existing clients (deprecated). Same values on /v1/metrics and /v1/realtime.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queued, uuidFor } from '../support/events.js';
import { openTempStore, type TempStore } from '../support/temp-store.js';
import { metricsApp } from './helpers.js';

let temp: TempStore;
let app: Awaited<ReturnType<typeof metricsApp>>;
const NOW = Date.parse('2026-11-02T12:00:00Z');

beforeAll(async () => {
  temp = await openTempStore();
  app = await metricsApp(temp.store, { now: () => NOW });
  const survey = (n: number, contact: string, csat: number) => ({
    event_id: uuidFor(n),
    type: 'survey.submitted',
    occurred_at: '2026-11-02T09:30:00Z',
    contact_id: contact,
    csat,
  });
  const response = await app.inject({
    method: 'POST',
    url: '/v1/events',
    payload: [
      queued(1),
      queued(2, { contact_id: 'c2' }),
      queued(3, { contact_id: 'c3' }),
      survey(11, 'c1', 5),
      survey(12, 'c2', 4),
      survey(13, 'c3', 2),
    ],
  });
  expect(response.statusCode).toBe(200);
}, 60_000);
afterAll(async () => {
  await app?.close();
  await temp?.cleanup();
});

describe('CSAT units', () => {
  it('csat is 0–1 (2 of 3 answers are 4–5) and csat_pct the same × 100', async () => {
    const metrics = await app.inject({ url: '/v1/metrics?queue=billing&from=2026-11-02&to=2026-11-02&interval=1d' });
    const total = metrics.json<{
      total: { csat: number; csat_pct: number; counts: { csat_n: number; csat_4_5: number } };
    }>().total;
    expect(total.counts.csat_n).toBe(3);
    expect(total.counts.csat_4_5).toBe(2);
    expect(total.csat).toBe(2 / 3);
    expect(total.csat_pct).toBe(200 / 3);
    const realtime = await app.inject({ url: '/v1/realtime?queue=billing' });
    const today = realtime.json<{ queues: { today: { csat: number; csat_pct: number } }[] }>().queues[0]!.today;
    expect([today.csat, today.csat_pct]).toEqual([2 / 3, 200 / 3]);
  });
});
