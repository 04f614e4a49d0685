// GET /v1/realtime/stream: Server-Sent Events, a fresh snapshot every interval; the store
// going away shows as an "unavailable" event, not a silent hang.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTempStore, type TempStore } from '../support/temp-store.js';
import { queued } from '../support/events.js';
import { metricsApp } from './helpers.js';

let temp: TempStore;
let app: Awaited<ReturnType<typeof metricsApp>>;
let base: string;
let clock = Date.parse('2026-11-02T09:00:30Z');

/** Reads SSE events until `count` have arrived, then disconnects. */
async function readEvents(url: string, count: number): Promise<Array<{ event: string; data: unknown }>> {
  const controller = new AbortController();
  const response = await fetch(url, { signal: controller.signal });
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
  const events: Array<{ event: string; data: unknown }> = [];
  const decoder = new TextDecoder();
  let buffer = '';
  for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
    buffer += decoder.decode(chunk, { stream: true });
    let cut: number;
    while ((cut = buffer.indexOf('\n\n')) >= 0) {
      const block = buffer.slice(0, cut);
      buffer = buffer.slice(cut + 2);
      const event = /^event: (.*)$/m.exec(block)?.[1];
      const data = /^data: (.*)$/m.exec(block)?.[1];
      if (event && data) events.push({ event, data: JSON.parse(data) });
    }
    if (events.length >= count) break;
  }
  controller.abort();
  return events;
}

beforeAll(async () => {
  temp = await openTempStore();
  app = await metricsApp(temp.store, { now: () => clock });
  base = await app.listen({ host: '127.0.0.1', port: 0 });
  expect((await app.inject({ method: 'POST', url: '/v1/events', payload: [queued(1)] })).statusCode).toBe(200);
});
afterAll(async () => {
  await app?.close();
  await temp?.cleanup();
});

describe('GET /v1/realtime/stream', () => {
  it('sends a snapshot at once and then every interval, each fresh', async () => {
    const started = Date.now();
    const events = await readEvents(`${base}/v1/realtime/stream?queue=billing&interval_ms=250`, 3);
    for (const e of events) {
      expect(e.event).toBe('snapshot');
      const body = e.data as { queues: Array<{ queue: string; waiting_now: number; longest_wait_s: number }> };
      expect(body.queues[0]).toMatchObject({ queue: 'billing', waiting_now: 1, longest_wait_s: 30 }); // queued 09:00:00, now 09:00:30
    }
    expect(Date.now() - started).toBeGreaterThanOrEqual(500); // the first at once, then two periods of 250 ms
  });

  it('wallboards opened together share one snapshot computation', async () => {
    const live = await metricsApp(temp.store); // the real clock: separate computations would differ in generated_at
    const url = await live.listen({ host: '127.0.0.1', port: 0 });
    // The longest period: the second stream shares a snapshot up to 30 s old, however slow the
    // machine is between the two connections.
    const [a] = await readEvents(`${url}/v1/realtime/stream?queue=billing&interval_ms=60000`, 1);
    const [b] = await readEvents(`${url}/v1/realtime/stream?queue=billing&interval_ms=60000`, 1);
    expect((b!.data as { generated_at: string }).generated_at).toBe((a!.data as { generated_at: string }).generated_at);
    // A plain GET always computes afresh.
    const fresh = (await live.inject({ method: 'GET', url: '/v1/realtime?queue=billing' })).json();
    expect(fresh.generated_at).not.toBe((a!.data as { generated_at: string }).generated_at);
    await live.close();
  });

  it('rejects an interval below 250 ms naming the field', async () => {
    const response = await app.inject({ method: 'GET', url: '/v1/realtime/stream?interval_ms=10' });
    expect(response.statusCode).toBe(400);
    expect(response.json().field).toBe('interval_ms');
  });

  it('reports the store going away as an "unavailable" event', async () => {
    clock = Date.parse('2026-11-02T09:01:00Z');
    const failing = await metricsApp(
      {
        ...temp.store,
        client: {
          ...temp.store.client,
          query: () => Promise.reject(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' })),
        },
      } as never,
      { queryTimeoutMs: 200 },
    );
    const url = await failing.listen({ host: '127.0.0.1', port: 0 });
    const [first] = await readEvents(`${url}/v1/realtime/stream?interval_ms=250`, 1);
    expect(first).toEqual({ event: 'unavailable', data: { error: 'store unavailable: connect ECONNREFUSED' } });
    await failing.close();
  });
});
