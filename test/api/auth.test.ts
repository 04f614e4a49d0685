// API keys (hashed at rest), roles, 401/403 messages, rate limits, and the open paths.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTempStore, type TempStore } from '../support/temp-store.js';
import { queued } from '../support/events.js';
import { KeyFileError, hashKey, loadKeyFile, parseKeyFile } from '../../src/api/auth/keys.js';
import { metricsApp } from './helpers.js';

const KEYS = { ingest: 'k-ingest-1', viewer: 'k-viewer-1', planner: 'k-planner-1', admin: 'k-admin-1' } as const;

let temp: TempStore;
let app: Awaited<ReturnType<typeof metricsApp>>;

beforeAll(async () => {
  temp = await openTempStore();
  const dir = mkdtempSync(join(tmpdir(), 'callcast-keys-'));
  const file = join(dir, 'keys.json');
  writeFileSync(file, JSON.stringify({ keys: Object.entries(KEYS).map(([role, key]) => ({ name: `${role}-key`, role, sha256: hashKey(key) })) }));
  app = await metricsApp(temp.store, { apiKeys: loadKeyFile(file), rateLimitPerMinute: 30 });
});
afterAll(async () => {
  await app?.close();
  await temp?.cleanup();
});

const call = (method: 'GET' | 'POST' | 'PUT', url: string, key?: string, payload?: unknown, header = 'authorization') =>
  app.inject({ method, url, payload: payload as never, headers: key ? { [header]: header === 'authorization' ? `Bearer ${key}` : key } : {} });

describe('key file', () => {
  it('stores hashes only and refuses a malformed file naming the entry', () => {
    expect(hashKey('k-viewer-1')).toMatch(/^[0-9a-f]{64}$/);
    expect(() => parseKeyFile('{"keys": [{"name": "a", "role": "root", "sha256": "00"}]}', 'keys.json')).toThrow(
      new KeyFileError('keys.json: keys[0].role: expected one of ingest, viewer, planner, admin'),
    );
    expect(() => parseKeyFile('{"keys": [{"name": "a", "role": "viewer", "key": "plain"}]}', 'keys.json')).toThrow('keys[0].sha256: expected 64 hex digits');
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
    expect(read.json().error).toBe('key "ingest-key" has role ingest, which may not read metrics (GET /v1/queues needs viewer or planner or admin)');
  });

  it('viewer reads (header, X-API-Key or ?api_key=) but may not ingest or change settings', async () => {
    expect((await call('GET', '/v1/queues', KEYS.viewer)).statusCode).toBe(200);
    expect((await call('GET', '/v1/queues', KEYS.viewer, undefined, 'x-api-key')).statusCode).toBe(200);
    expect((await call('GET', `/v1/realtime?api_key=${KEYS.viewer}`)).statusCode).toBe(200);
    const post = await call('POST', '/v1/events', KEYS.viewer, [queued(2)]);
    expect(post.statusCode).toBe(403);
    expect(post.json().error).toBe('key "viewer-key" has role viewer, which may not ingest events (POST /v1/events needs ingest or admin)');
    expect((await call('PUT', '/v1/queues/billing/settings', KEYS.viewer, { threshold_s: 30 })).statusCode).toBe(403);
    expect((await call('PUT', '/v1/queues/billing/settings', KEYS.planner, { threshold_s: 30 })).statusCode).toBe(403);
  });

  it('admin changes settings, and the version records the key name', async () => {
    const response = await call('PUT', '/v1/queues/billing/settings', KEYS.admin, { threshold_s: 30 });
    expect(response.statusCode).toBe(200);
    expect(response.json().versions.at(-1)).toMatchObject({ version: 1, changed_by: 'admin-key', settings: { threshold_s: 30 } });
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
    for (let i = 0; i < 31; i++) last = (await call('GET', '/v1/queues/sales/settings', KEYS.planner)).statusCode;
    expect(last).toBe(429);
    // Another key has its own quota.
    expect((await call('GET', '/v1/queues/sales/settings', KEYS.admin)).statusCode).toBe(200);
  });
});
