// API keys (hashed at rest), roles, 401/403 messages, rate limits, and the open paths.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTempStore, type TempStore } from '../support/temp-store.js';
import { queued } from '../support/events.js';
import { KeyFileError, hashKey, loadKeyFile, parseKeyFile, watchKeyFile } from '../../src/api/auth/keys.js';
import { metricsApp } from './helpers.js';

const KEYS = { ingest: 'k-ingest-1', viewer: 'k-viewer-1', planner: 'k-planner-1', admin: 'k-admin-1' } as const;

let temp: TempStore;
let app: Awaited<ReturnType<typeof metricsApp>>;

beforeAll(async () => {
  temp = await openTempStore();
  const dir = mkdtempSync(join(tmpdir(), 'callcast-keys-'));
  const file = join(dir, 'keys.json');
  writeFileSync(
    file,
    JSON.stringify({
      keys: Object.entries(KEYS).map(([role, key]) => ({ name: `${role}-key`, role, sha256: hashKey(key) })),
    }),
  );
  app = await metricsApp(temp.store, { apiKeys: loadKeyFile(file), rateLimitPerMinute: 30 });
});
afterAll(async () => {
  await app?.close();
  await temp?.cleanup();
});

const call = (method: 'GET' | 'POST' | 'PUT', url: string, key?: string, payload?: unknown, header = 'authorization') =>
  app.inject({
    method,
    url,
    payload: payload as never,
    headers: key ? { [header]: header === 'authorization' ? `Bearer ${key}` : key } : {},
  });

describe('key file', () => {
  it('stores hashes only and refuses a malformed file naming the entry', () => {
    expect(hashKey('k-viewer-1')).toMatch(/^[0-9a-f]{64}$/);
    expect(() => parseKeyFile('{"keys": [{"name": "a", "role": "root", "sha256": "00"}]}', 'keys.json')).toThrow(
      new KeyFileError('keys.json: keys[0].role: expected one of ingest, viewer, planner, admin'),
    );
    expect(() => parseKeyFile('{"keys": [{"name": "a", "role": "viewer", "key": "plain"}]}', 'keys.json')).toThrow(
      'keys[0].sha256: expected 64 hex digits',
    );
    expect(() => parseKeyFile('[]', 'keys.json')).toThrow('expected {"keys": [...]}');
  });
});

describe('authentication and roles', () => {
  it('401 without a key, with a message that says how to send one', async () => {
    const response = await call('GET', '/v1/metrics');
    expect(response.statusCode).toBe(401);
    expect(response.json().error).toBe('missing API key: send it as "Authorization: Bearer <key>" (or X-API-Key)');
    expect(response.headers['www-authenticate']).toContain('Bearer');
  });

  it('401 for an unknown key', async () => {
    const response = await call('GET', '/v1/queues', 'not-a-key');
    expect(response.statusCode).toBe(401);
    expect(response.json().error).toBe('unknown API key');
  });

  it('ingest may only POST events', async () => {
    expect((await call('POST', '/v1/events', KEYS.ingest, [queued(1)])).statusCode).toBe(200);
    const read = await call('GET', '/v1/queues', KEYS.ingest);
    expect(read.statusCode).toBe(403);
    expect(read.json().error).toBe(
      'key "ingest-key" has role ingest, which may not read metrics (GET /v1/queues needs viewer or planner or admin)',
    );
  });

  it('viewer reads (header, X-API-Key or ?api_key=) but may not ingest or change settings', async () => {
    expect((await call('GET', '/v1/queues', KEYS.viewer)).statusCode).toBe(200);
    expect((await call('GET', '/v1/queues', KEYS.viewer, undefined, 'x-api-key')).statusCode).toBe(200);
    expect((await call('GET', `/v1/realtime?api_key=${KEYS.viewer}`)).statusCode).toBe(200);
    const post = await call('POST', '/v1/events', KEYS.viewer, [queued(2)]);
    expect(post.statusCode).toBe(403);
    expect(post.json().error).toBe(
      'key "viewer-key" has role viewer, which may not ingest events (POST /v1/events needs ingest or admin)',
    );
    expect((await call('PUT', '/v1/queues/billing/settings', KEYS.viewer, { threshold_s: 30 })).statusCode).toBe(403);
    expect((await call('PUT', '/v1/queues/billing/settings', KEYS.planner, { threshold_s: 30 })).statusCode).toBe(403);
  });

  it('admin changes settings, and the version records the key name', async () => {
    const response = await call('PUT', '/v1/queues/billing/settings', KEYS.admin, { threshold_s: 30 });
    expect(response.statusCode).toBe(200);
    expect(response.json().versions.at(-1)).toMatchObject({
      version: 1,
      changed_by: 'admin-key',
      settings: { threshold_s: 30 },
    });
    expect((await call('POST', '/v1/events', KEYS.admin, [queued(3)])).statusCode).toBe(200);
  });

  it('planner-only paths refuse viewers', async () => {
    const response = await call('GET', '/v1/forecasts?queue=billing', KEYS.viewer);
    expect(response.statusCode).toBe(403);
    expect(response.json().error).toContain('needs planner or admin');
  });

  it('health, readiness, Prometheus metrics, docs and the wallboard page stay open', async () => {
    for (const url of ['/healthz', '/readyz', '/metrics', '/docs/json', '/']) {
      expect((await call('GET', url)).statusCode, url).toBe(200);
    }
  });

  it('rate-limits each key (30 a minute here) with 429', async () => {
    let last = 0;
    for (let i = 0; i < 31; i++) last = (await call('GET', '/v1/queues/billing/settings', KEYS.planner)).statusCode;
    expect(last).toBe(429);
    // An encoded path is the same route and the same quota.
    expect((await call('GET', '/%761/queues/billing/settings', KEYS.planner)).statusCode).toBe(429);
    // Another key has its own quota.
    expect((await call('GET', '/v1/queues/billing/settings', KEYS.admin)).statusCode).toBe(200);
  });
});

describe('percent-encoded paths', () => {
  // The router decodes %76 to v: the rules must follow the route that is reached, not the text.
  it('an encoded /v1 needs a key and the right role like the plain one', async () => {
    const anonymous = await call('GET', '/%761/queues');
    expect(anonymous.statusCode).toBe(401);
    const put = await call('PUT', '/%761/queues/billing/settings', KEYS.viewer, { threshold_s: 45 });
    expect(put.statusCode).toBe(403);
    expect(put.json().error).toBe(
      'key "viewer-key" has role viewer, which may not change settings (PUT /v1/queues/:id/settings needs admin)',
    );
    const post = await call('POST', '/v1/%65vents', KEYS.viewer, [queued(4)]);
    expect(post.statusCode).toBe(403);
    expect(post.json().error).toBe(
      'key "viewer-key" has role viewer, which may not ingest events (POST /v1/events needs ingest or admin)',
    );
    expect(
      await temp.count('SELECT count() FROM contact_events FINAL WHERE contact_id = {c:String}', { c: 'c4' }),
    ).toBe(0);
  });
});

describe('expiry and revocation', () => {
  const NOW = Date.parse('2026-11-23T12:00:00Z');
  const entry = (name: string, key: string, more: Record<string, unknown> = {}) => ({
    name,
    role: 'viewer',
    sha256: hashKey(key),
    ...more,
  });

  it('refuses malformed expires_at / revoked_at / revoked naming the entry', () => {
    const one = (more: Record<string, unknown>) => () =>
      parseKeyFile(JSON.stringify({ keys: [entry('a', 'ka', more)] }), 'keys.json');
    expect(one({ expires_at: '2027-01-01' })).toThrow(
      new KeyFileError(
        'keys.json: keys[0].expires_at: expected an ISO-8601 time with offset, like 2027-01-01T00:00:00Z',
      ),
    );
    expect(one({ revoked_at: 12 })).toThrow(
      new KeyFileError(
        'keys.json: keys[0].revoked_at: expected an ISO-8601 time with offset, like 2027-01-01T00:00:00Z',
      ),
    );
    expect(one({ revoked: 'yes' })).toThrow(new KeyFileError('keys.json: keys[0].revoked: expected true or false'));
  });

  it('401 "expired" / "revoked" from the stated instant; a future expiry or revocation still works', async () => {
    const ring = parseKeyFile(
      JSON.stringify({
        keys: [
          entry('old', 'k-old', { expires_at: '2026-11-01T00:00:00Z' }),
          entry('soon', 'k-soon', { expires_at: '2026-11-23T12:00:00.001Z', revoked_at: '2026-12-01T00:00:00+01:00' }),
          entry('gone', 'k-gone', { revoked: true }),
          entry('cut', 'k-cut', { revoked_at: '2026-11-23T11:59:59Z', expires_at: '2026-11-01T00:00:00Z' }),
        ],
      }),
    );
    const timed = await metricsApp(temp.store, { apiKeys: ring, now: () => NOW });
    try {
      const get = (key: string) =>
        timed.inject({ method: 'GET', url: '/v1/queues', headers: { authorization: `Bearer ${key}` } });
      const old = await get('k-old');
      expect(old.statusCode).toBe(401);
      expect(old.json().error).toBe('API key expired at 2026-11-01T00:00:00.000Z');
      expect((await get('k-gone')).json().error).toBe('API key revoked');
      // revocation wins over expiry when both have passed
      expect((await get('k-cut')).json().error).toBe('API key revoked at 2026-11-23T11:59:59.000Z');
      expect((await get('k-soon')).statusCode).toBe(200);
      expect((await get('k-unknown')).json().error).toBe('unknown API key');
    } finally {
      await timed.close();
    }
  });

  it('a change to the file applies within a second, without a restart; a broken edit keeps the previous keys', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'callcast-keys-'));
    const file = join(dir, 'keys.json');
    writeFileSync(file, JSON.stringify({ keys: [entry('tv', 'k-tv'), entry('desk', 'k-desk')] }));
    let clock = 0;
    const reloads: number[] = [];
    const failures: string[] = [];
    const ring = watchKeyFile(file, {
      clock: () => clock,
      onReload: (n) => reloads.push(n),
      onReloadError: (e) => failures.push(e.message),
    });
    const live = await metricsApp(temp.store, { apiKeys: ring });
    try {
      const get = (key: string) =>
        live.inject({ method: 'GET', url: '/v1/queues', headers: { authorization: `Bearer ${key}` } });
      expect((await get('k-tv')).statusCode).toBe(200);
      writeFileSync(file, JSON.stringify({ keys: [entry('tv', 'k-tv', { revoked: true }), entry('desk', 'k-desk')] }));
      clock = 999; // the file is looked at no more than once a second
      expect((await get('k-tv')).statusCode).toBe(200);
      clock = 1000;
      const revoked = await get('k-tv');
      expect(revoked.statusCode).toBe(401);
      expect(revoked.json().error).toBe('API key revoked');
      expect(reloads).toEqual([2]);

      writeFileSync(file, '{"keys": [ {"name": "desk", "role": "viewer"');
      clock = 2000;
      expect((await get('k-desk')).statusCode).toBe(200);
      expect((await get('k-tv')).statusCode).toBe(401);
      expect(failures).toHaveLength(1);
      expect(failures[0]).toMatch(new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: not valid JSON`));

      rmSync(file);
      clock = 3000;
      expect((await get('k-desk')).statusCode).toBe(200);
      expect(failures).toHaveLength(2);
      expect(failures[1]).toContain('ENOENT');
    } finally {
      await live.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
