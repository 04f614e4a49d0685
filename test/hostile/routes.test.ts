// Every route the app registers (collected while it is built, so routes added later are covered)
// gets generated paths, query strings, headers and bodies, then the extremes: 16 MB+ bodies,
// 10,000-deep JSON, invalid UTF-8, wrong content types. Never a 5xx; a 4xx says what is wrong;
// a refused request stores nothing; the process stays up.
import { mkdirSync, writeFileSync } from 'node:fs';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTempStore, type TempStore } from '../support/temp-store.js';
import { appWithRoutes, grown, send, tableCounts, type RouteInfo, type Sent, type TestApp } from './support/app.js';
import { CONTENT_TYPES, requestFor, type GeneratedRequest } from './request-arbitraries.js';

let temp: TempStore;
let app: TestApp;
let routes: RouteInfo[];
const statuses = new Map<string, Record<number, number>>();
const reasons = new Map<string, Set<string>>();
let total = 0;

beforeAll(async () => {
  temp = await openTempStore();
  ({ app, routes } = await appWithRoutes(temp.store));
});
afterAll(async () => {
  mkdirSync('test-artifacts', { recursive: true });
  writeFileSync(
    'test-artifacts/hostile-routes.json',
    `${JSON.stringify({ requests: total, routes: Object.fromEntries(statuses), reasons: Object.fromEntries([...reasons].map(([k, v]) => [k, [...v]])) }, null, 2)}\n`,
  );
  await app?.close();
  await temp?.cleanup();
});

const MUTATING = (r: RouteInfo) => !['GET', 'HEAD', 'OPTIONS'].includes(r.method);

/** The checks every answer must pass; `before` = table counts taken just before the request. */
async function judge(
  route: RouteInfo,
  request: GeneratedRequest,
  answer: Sent,
  before?: Record<string, number>,
): Promise<void> {
  total++;
  const key = `${route.method} ${route.url}`;
  const seen = statuses.get(key) ?? {};
  seen[answer.status] = (seen[answer.status] ?? 0) + 1;
  statuses.set(key, seen);
  const label = `${request.method} ${request.url.slice(0, 300)} [${request.headers['content-type'] ?? '-'}] ${String(request.payload ?? '').slice(0, 300)} → ${answer.status} ${answer.body.slice(0, 300)}`;
  expect(answer.status, label).toBeLessThan(500);
  if (answer.status >= 400 && request.method !== 'HEAD') {
    // { error } everywhere; POST /v1/events lists a reason per refused item instead.
    const body = JSON.parse(answer.body) as {
      error?: unknown;
      message?: unknown;
      field?: unknown;
      errors?: { error?: unknown }[];
    };
    const said = [body.error, body.message, ...(body.errors ?? []).map((e) => e.error)]
      .filter((x) => typeof x === 'string')
      .join(' ');
    expect(said.length, label).toBeGreaterThan(0);
    // 400 and 415 say which field, header, body or URL is wrong
    // (a field named in `field` may hold any character, ':' included: the message starts with it)
    const namesItsField = typeof body.field === 'string' && said.startsWith(`${body.field}: `);
    if ((answer.status === 400 || answer.status === 415) && !namesItsField) {
      expect(said, label).toMatch(
        /(^|\s)[^\s:]+: |missing required field \S+|an event must be a JSON object|is not a valid url component/,
      );
    }
    const kept = reasons.get(`${key} ${answer.status}`) ?? new Set<string>();
    if (kept.size < 6) kept.add(said.slice(0, 160));
    reasons.set(`${key} ${answer.status}`, kept);
  }
  if (before && answer.status >= 400) {
    const after = await tableCounts(temp.store);
    const more = grown(before, after);
    // A refused ingest keeps each refused event as a dead letter, by design; nothing else may grow.
    const rejected =
      route.url === '/v1/events' && answer.status === 400
        ? Number((JSON.parse(answer.body) as { rejected?: number }).rejected ?? 0)
        : 0;
    if (rejected > 0) {
      expect(more, label).toEqual(['dead_letters']);
      expect(after.dead_letters! - before.dead_letters!, label).toBe(rejected);
    } else expect(more, label).toEqual([]);
  }
}

/**
 * After an accepted write, waits until no table has grown for half a second: some answers
 * (202 forecast runs) keep writing in the background, which would be blamed on the next request.
 */
async function settle(): Promise<void> {
  let last = await tableCounts(temp.store);
  for (let i = 0; i < 40; i++) {
    await new Promise((resolve) => setTimeout(resolve, 500));
    const now = await tableCounts(temp.store);
    if (grown(last, now).length === 0) return;
    last = now;
  }
}

describe('every route', () => {
  it('was found: the app registered its routes under /v1 and outside', () => {
    const urls = new Set(routes.map((r) => `${r.method} ${r.url}`));
    for (const known of [
      'POST /v1/events',
      'GET /v1/metrics',
      'PUT /v1/queues/:id/settings',
      'GET /v1/realtime/stream',
      'GET /healthz',
    ])
      expect(urls).toContain(known);
  });

  it('answers generated requests with no 5xx, a reason for each 4xx, and stores nothing it refuses', async () => {
    for (const route of routes) {
      const runs = route.method === 'HEAD' ? 4 : MUTATING(route) ? 20 : 12;
      await fc.assert(
        fc.asyncProperty(requestFor(route), async (request) => {
          const before = MUTATING(route) ? await tableCounts(temp.store) : undefined;
          const answer = await send(app, request);
          await judge(route, request, answer, before);
          if (before && answer.status < 300) await settle();
        }),
        { numRuns: runs, endOnFailure: true },
      );
    }
  });

  it('refuses Object.prototype member names as settings, storing nothing (constructor slipped past the unknown-field check)', async () => {
    // __proto__ is refused earlier, by Fastify's JSON parser, as a body error
    for (const [name, field] of [
      ['constructor', 'constructor'],
      ['toString', 'toString'],
      ['__proto__', 'body'],
    ] as const) {
      const before = await tableCounts(temp.store);
      const answer = await send(app, {
        method: 'PUT',
        url: '/v1/queues/billing/settings',
        headers: { 'content-type': 'application/json' },
        payload: `{"${name}": 1}`,
      });
      expect([answer.status, JSON.parse(answer.body).field], name).toEqual([400, field]);
      expect(grown(before, await tableCounts(temp.store))).toEqual([]);
    }
  });

  it('survives 16 MB+ bodies, 10,000-deep JSON, invalid UTF-8 and wrong content types on every route that takes a body', async () => {
    const deep = `${'['.repeat(10_000)}${']'.repeat(10_000)}`;
    const deepObject = `${'{"a":'.repeat(10_000)}1${'}'.repeat(10_000)}`;
    const huge = Buffer.alloc(16 * 1024 * 1024 + 1, 0x20);
    huge.write('[', 0);
    huge.write(']', huge.length - 1);
    const invalidUtf8 = Buffer.from([
      0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0xc0, 0xaf, 0xed, 0xa0, 0x80, 0x22, 0x7d,
    ]);
    const bodies: [string, string | Buffer, string][] = [
      ['deep array', deep, 'application/json'],
      ['deep object', deepObject, 'application/json'],
      ['deep ndjson', deep, 'application/x-ndjson'],
      ['invalid UTF-8', invalidUtf8, 'application/json'],
      ['16 MB + 1 byte', huge, 'application/json'],
      ...CONTENT_TYPES.map((type): [string, string, string] => [
        `as ${type || 'no type'}`,
        '{"queue":"billing"}',
        type,
      ]),
    ];
    for (const route of routes.filter(MUTATING)) {
      for (const [what, payload, type] of bodies) {
        const request = {
          method: route.method,
          url: route.url.replace(/:\w+/g, 'billing'),
          headers: type ? { 'content-type': type } : {},
          payload,
        };
        const before = await tableCounts(temp.store);
        const answer = await send(app, request);
        await judge(
          route,
          { ...request, headers: { ...request.headers }, payload: `(${what})` } as GeneratedRequest,
          answer,
          before,
        );
        if (answer.status < 300) await settle();
        if (what === '16 MB + 1 byte') expect(answer.status, `${route.method} ${route.url}`).toBe(413);
      }
    }
    expect((await app.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);
  });
});
