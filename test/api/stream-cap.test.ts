// Open /v1/realtime/stream (and, counted apart, /v1/agents/stream) connections are capped per key
// (per address on an open API): the next one is 429 saying how many are open and what to do;
// closing one frees its place.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queued } from '../support/events.js';
import { until } from '../support/poll.js';
import { openTempStore, type TempStore } from '../support/temp-store.js';
import { metricsApp } from './helpers.js';

let temp: TempStore;
let app: Awaited<ReturnType<typeof metricsApp>>;
let base: string;
const controllers: AbortController[] = [];

beforeAll(async () => {
  temp = await openTempStore();
  app = await metricsApp(temp.store, { maxStreamsPerKey: 2, realtimeIntervalMs: 1000 });
  base = await app.listen({ host: '127.0.0.1', port: 0 });
  expect((await app.inject({ method: 'POST', url: '/v1/events', payload: [queued(1)] })).statusCode).toBe(200);
}, 60_000);
afterAll(async () => {
  for (const c of controllers) c.abort();
  await app?.close();
  await temp?.cleanup();
});

async function open(path = '/v1/realtime/stream?queue=billing') {
  const controller = new AbortController();
  controllers.push(controller);
  const response = await fetch(`${base}${path}`, { signal: controller.signal });
  return { response, controller };
}

describe('streams per key', () => {
  it('the third stream from one address is 429; closing one lets the next in', async () => {
    const first = await open();
    const second = await open('/v1/realtime/stream');
    expect([first.response.status, second.response.status]).toEqual([200, 200]);
    const third = await open();
    expect(third.response.status).toBe(429);
    expect(((await third.response.json()) as { error: string }).error).toBe(
      'address 127.0.0.1 already has 2 open streams (at most 2); close one, or watch every queue on one stream (no queue parameter)',
    );
    first.controller.abort();
    let next: Response | undefined;
    await until('a place to free up', 10_000, async () => {
      const attempt = await open();
      if (attempt.response.status === 200) next = attempt.response;
      else attempt.controller.abort();
      return next !== undefined;
    });
    expect(next!.status).toBe(200);
  });

  it('caps the agents stream the same way, counted apart from the wallboard streams', async () => {
    const first = await open('/v1/agents/stream');
    const second = await open('/v1/agents/stream?queue=billing');
    expect([first.response.status, second.response.status]).toEqual([200, 200]);
    const third = await open('/v1/agents/stream');
    expect(third.response.status).toBe(429);
    expect(((await third.response.json()) as { error: string }).error).toBe(
      'address 127.0.0.1 already has 2 open streams (at most 2); close one, or watch every queue on one stream (no queue parameter)',
    );
    first.controller.abort();
    second.controller.abort();
  });

  it('a stream for an unknown queue is refused before it opens and takes no place', async () => {
    const unknown = await open('/v1/realtime/stream?queue=nope');
    expect(unknown.response.status).toBe(404);
  });
});
