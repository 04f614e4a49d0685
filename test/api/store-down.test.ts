// A store that stops answering: 503 with the reason within the deadline, never a hang.
import { describe, expect, it } from 'vitest';
import type { Store } from '../../src/store/index.js';
import { metricsApp } from './helpers.js';

const hanging = new Promise<never>(() => {});
const deadStore = {
  kind: 'server',
  client: {
    query: () => hanging,
    insert: () => hanging,
    command: () => hanging,
    ping: () => hanging,
    close: async () => {},
  },
  ping: async () => false,
  close: async () => {},
} as unknown as Store;

const refusingStore = {
  ...deadStore,
  client: {
    ...deadStore.client,
    query: () =>
      Promise.reject(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:8123'), { code: 'ECONNREFUSED' })),
  },
} as unknown as Store;

describe('store down', () => {
  it('answers 503 naming the reason when the store hangs, within the deadline', async () => {
    const app = await metricsApp(deadStore, { queryTimeoutMs: 300 });
    for (const url of ['/v1/metrics?queue=billing', '/v1/realtime', '/v1/queues', '/v1/queues/billing/settings']) {
      const started = Date.now();
      const response = await app.inject({ method: 'GET', url });
      expect(response.statusCode, url).toBe(503);
      expect(response.json().error, url).toBe('store unavailable: the store did not answer within 300 ms');
      expect(Date.now() - started).toBeLessThan(3_000);
    }
    await app.close();
  });

  it('answers 503 when the store refuses connections', async () => {
    const app = await metricsApp(refusingStore, { queryTimeoutMs: 300 });
    const response = await app.inject({ method: 'GET', url: '/v1/metrics?queue=billing&from=2026-10-25&interval=1d' });
    expect(response.statusCode).toBe(503);
    expect(response.json().error).toBe('store unavailable: connect ECONNREFUSED 127.0.0.1:8123');
    await app.close();
  });
});
