// Identical GETs in flight together share one answer (src/api/coalesce.ts); one that arrives
// after the answer went out computes afresh. The clock counts computations: a realtime snapshot
// reads it once. Both queues are known (offered a contact): an unknown queue answers 404 unread.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTempStore, type TempStore } from '../support/temp-store.js';
import { queued } from '../support/events.js';
import { metricsApp } from './helpers.js';

let temp: TempStore;
let app: Awaited<ReturnType<typeof metricsApp>>;
let clockReads = 0;
const NOW = Date.parse('2026-11-02T09:00:30Z');

beforeAll(async () => {
  temp = await openTempStore();
  app = await metricsApp(temp.store, {
    now: () => {
      clockReads++;
      return NOW;
    },
  });
  expect(
    (await app.inject({ method: 'POST', url: '/v1/events', payload: [queued(1), queued(2, { queue: 'sales' })] }))
      .statusCode,
  ).toBe(200);
});
afterAll(async () => {
  await app?.close();
  await temp?.cleanup();
});

describe('coalesced reads', () => {
  it('five identical concurrent GETs compute once and get the same body', async () => {
    clockReads = 0;
    const answers = await Promise.all(
      Array.from({ length: 5 }, () => app.inject({ method: 'GET', url: '/v1/realtime?queue=billing' })),
    );
    expect(clockReads).toBe(1);
    expect(answers.map((a) => a.statusCode)).toEqual([200, 200, 200, 200, 200]);
    expect(answers.filter((a) => a.headers['x-callcast-shared'] === '1')).toHaveLength(4);
    expect(new Set(answers.map((a) => a.body)).size).toBe(1);
    expect(answers[0]!.json().queues[0]).toMatchObject({ queue: 'billing', waiting_now: 1, longest_wait_s: 30 });
    expect(answers[4]!.headers['content-type']).toBe(answers[0]!.headers['content-type']);
  });

  it('a GET after the answer went out computes afresh; different URLs are not shared', async () => {
    clockReads = 0;
    const first = await app.inject({ method: 'GET', url: '/v1/realtime?queue=billing' });
    const second = await app.inject({ method: 'GET', url: '/v1/realtime?queue=billing' });
    expect(clockReads).toBe(2);
    expect(second.headers['x-callcast-shared']).toBeUndefined();
    clockReads = 0;
    const [billing, sales] = await Promise.all([
      app.inject({ method: 'GET', url: '/v1/realtime?queue=billing' }),
      app.inject({ method: 'GET', url: '/v1/realtime?queue=sales' }),
    ]);
    expect(clockReads).toBe(2);
    expect(billing.json().queues[0].queue).toBe('billing');
    expect(sales.json().queues[0].queue).toBe('sales');
    expect(first.statusCode).toBe(200);
  });

  it('a refused request is shared as refused: the same 400 naming the field', async () => {
    const answers = await Promise.all(
      Array.from({ length: 3 }, () => app.inject({ method: 'GET', url: '/v1/metrics?interval=7m' })),
    );
    expect(answers.map((a) => a.statusCode)).toEqual([400, 400, 400]);
    expect(answers.every((a) => a.json().field === 'interval')).toBe(true);
  });
});
