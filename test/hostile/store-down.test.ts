// The same generated requests against every route while the (real, embedded) store is closed:
// the only 5xx allowed is 503, and every answer comes within the deadlines — no hang, no crash.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTempStore, type TempStore } from '../support/temp-store.js';
import { appWithRoutes, send, type RouteInfo, type TestApp } from './support/app.js';
import { requestFor } from './request-arbitraries.js';

let temp: TempStore;
let app: TestApp;
let routes: RouteInfo[];
const seen: Record<number, number> = {};

beforeAll(async () => {
  temp = await openTempStore();
  ({ app, routes } = await appWithRoutes(temp.store, { queryTimeoutMs: 300, ingestTimeoutMs: 300 }));
  await temp.store.close();
});
afterAll(async () => {
  await app?.close();
  await temp?.cleanup().catch(() => {});
});

describe('store down', () => {
  it('every route answers 503 or a 4xx within 5 s (deadlines 300 ms), and the process stays up', async () => {
    for (const route of routes) {
      await fc.assert(
        fc.asyncProperty(requestFor(route), async (request) => {
          const started = performance.now();
          const answer = await send(app, request);
          const label = `${request.method} ${request.url.slice(0, 200)} → ${answer.status} ${answer.body.slice(0, 200)}`;
          seen[answer.status] = (seen[answer.status] ?? 0) + 1;
          expect(answer.status >= 500 ? answer.status : 503, label).toBe(503);
          expect(performance.now() - started, label).toBeLessThan(5_000);
        }),
        { numRuns: route.method === 'HEAD' ? 2 : 6, endOnFailure: true },
      );
    }
    expect(seen[503]).toBeGreaterThan(0);
    expect((await app.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);
    const ready = await app.inject({ method: 'GET', url: '/readyz' });
    expect([ready.statusCode, ready.json().store.reachable]).toEqual([503, false]);
  });
});
