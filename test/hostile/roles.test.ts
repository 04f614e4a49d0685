// Each role against every route it must not reach (the matrix comes from the route list the app
// registers and the rules in src/api/auth/access.ts, so new routes are covered): 403 naming the
// rule; 401 with no key, an unknown, expired or revoked key; the same for percent-encoded paths;
// nothing changes in the store. Roles that may reach a route get past the gate.
import fc from 'fast-check';
import type { InjectOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROLES, hashKey, parseKeyFile } from '../../src/api/auth/keys.js';
import { openTempStore, type TempStore } from '../support/temp-store.js';
import { appWithRoutes, grown, send, tableCounts, type RouteInfo, type TestApp } from './support/app.js';

const NOW = Date.parse('2026-11-23T12:00:00Z');
const keyOf = (role: string) => `k-${role}`;

let temp: TempStore;
let app: TestApp;
let guarded: (RouteInfo & { access: { open: false; roles: readonly string[]; what: string } })[];
let before: Record<string, number>;
let requests = 0;

beforeAll(async () => {
  temp = await openTempStore();
  const keys = parseKeyFile(
    JSON.stringify({
      keys: [
        ...ROLES.map((role) => ({ name: `${role}-key`, role, sha256: hashKey(keyOf(role)) })),
        { name: 'old-admin', role: 'admin', sha256: hashKey('k-expired'), expires_at: '2026-11-01T00:00:00Z' },
        { name: 'lost-admin', role: 'admin', sha256: hashKey('k-revoked'), revoked: true },
      ],
    }),
  );
  const built = await appWithRoutes(temp.store, { apiKeys: keys, now: () => NOW });
  app = built.app;
  guarded = built.routes.filter((r): r is (typeof guarded)[number] => !r.access.open);
  before = await tableCounts(temp.store);
});
afterAll(async () => {
  await app?.close();
  await temp?.cleanup();
});

const pathOf = (route: RouteInfo) => route.url.replace(/:\w+/g, 'billing').replace('*', 'x');
const withBody = (route: RouteInfo) => !['GET', 'HEAD', 'OPTIONS'].includes(route.method);

async function call(route: RouteInfo, url: string, headers: Record<string, string>, payload = '{"queue":"billing"}') {
  requests++;
  return send(app, {
    method: route.method as InjectOptions['method'],
    url,
    headers: { ...headers, ...(withBody(route) ? { 'content-type': 'application/json' } : {}) },
    ...(withBody(route) ? { payload } : {}),
  });
}

describe('the role matrix', () => {
  it('covers the routes: every /v1 route is guarded, and every role is refused somewhere', () => {
    expect(guarded.length).toBeGreaterThanOrEqual(20);
    expect(guarded.every((r) => r.url.startsWith('/v1/'))).toBe(true);
    for (const role of ROLES.filter((r) => r !== 'admin'))
      expect(
        guarded.some((r) => !r.access.roles.includes(role)),
        role,
      ).toBe(true);
  });

  it('403 for each role on each route it must not reach, naming the key, the role and what it needs', async () => {
    let refused = 0;
    for (const route of guarded) {
      for (const role of ROLES.filter((r) => !route.access.roles.includes(r))) {
        const answer = await call(route, pathOf(route), { authorization: `Bearer ${keyOf(role)}` });
        const label = `${role} ${route.method} ${route.url}`;
        expect(answer.status, label).toBe(403);
        if (route.method !== 'HEAD') {
          expect(JSON.parse(answer.body).error, label).toBe(
            `key "${role}-key" has role ${role}, which may not ${route.access.what} (${route.method} ${route.url} needs ${route.access.roles.join(' or ')})`,
          );
        }
        refused++;
      }
    }
    expect(refused).toBeGreaterThan(20);
  });

  it('401 with no key, an unknown key, an expired key or a revoked key — on every guarded route, in header, X-API-Key or ?api_key=', async () => {
    const cases: [string, Record<string, string>, string, string][] = [
      ['none', {}, '', 'missing API key: send it as "Authorization: Bearer <key>" (or X-API-Key)'],
      ['unknown', { authorization: 'Bearer k-nobody' }, '', 'unknown API key'],
      ['expired', { 'x-api-key': 'k-expired' }, '', 'API key expired at 2026-11-01T00:00:00.000Z'],
      ['revoked', {}, 'api_key=k-revoked', 'API key revoked'],
    ];
    for (const route of guarded) {
      for (const [what, headers, query, error] of cases) {
        const url = query ? `${pathOf(route)}?${query}` : pathOf(route);
        const answer = await call(route, url, headers);
        expect(answer.status, `${what} ${route.method} ${route.url}`).toBe(401);
        if (route.method !== 'HEAD') expect(JSON.parse(answer.body).error).toBe(error);
      }
    }
  });

  it('percent-encoding any characters of the path changes nothing: same 401 / 403 as the plain path', async () => {
    const refusals = guarded.flatMap((route) =>
      ROLES.filter((r) => !route.access.roles.includes(r)).map((role) => ({ route, role })),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...refusals),
        fc.array(fc.boolean(), { minLength: 64, maxLength: 64 }),
        fc.boolean(),
        async ({ route, role }, mask, anonymous) => {
          const path = pathOf(route);
          const encoded = [...path]
            .map((c, i) => (c !== '/' && mask[i % 64] ? `%${c.charCodeAt(0).toString(16).padStart(2, '0')}` : c))
            .join('');
          const answer = await call(route, encoded, anonymous ? {} : { authorization: `Bearer ${keyOf(role)}` });
          // 404 only when the encoding produced a path no route has (e.g. an encoded slash)
          expect([anonymous ? 401 : 403], `${role} ${route.method} ${encoded}`).toContain(answer.status);
        },
      ),
      { numRuns: 150 },
    );
  });

  it('nothing reached the store through any refused request', async () => {
    const after = await tableCounts(temp.store);
    expect(grown(before, after)).toEqual([]);
    expect(requests).toBeGreaterThan(0);
  });

  it('roles that may reach a route get past the gate (the body is then refused as XML, so nothing runs)', async () => {
    for (const route of guarded) {
      for (const role of route.access.roles) {
        const answer = await send(app, {
          method: route.method as InjectOptions['method'],
          url: pathOf(route),
          headers: {
            authorization: `Bearer ${keyOf(role)}`,
            ...(withBody(route) ? { 'content-type': 'application/xml' } : {}),
          },
          ...(withBody(route) ? { payload: '<x/>' } : {}),
        });
        expect(
          [401, 403, 500, 502, 503],
          `${role} ${route.method} ${route.url} → ${answer.status} ${answer.body.slice(0, 200)}`,
        ).not.toContain(answer.status);
      }
    }
  });
});
