// A queue with no contacts, no settings and no alert-rule override is unknown: every read about
// it answers 404 naming it (never 200 with zeros), streams for it are refused before they open,
// and a VOC report for it is never built or stored. Admin writes (settings, alert rules)
// register a queue. Viewers' reads of a finished week build the report without storing it.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashKey, loadKeyFile } from '../../src/api/auth/keys.js';
import { queued } from '../support/events.js';
import { openTempStore, type TempStore } from '../support/temp-store.js';
import { metricsApp } from './helpers.js';

const NOW = Date.parse('2026-11-04T12:00:00Z');
const KEYS = { viewer: 'k-viewer-u', planner: 'k-planner-u', admin: 'k-admin-u' } as const;

let temp: TempStore;
let app: Awaited<ReturnType<typeof metricsApp>>;

beforeAll(async () => {
  temp = await openTempStore();
  const file = join(mkdtempSync(join(tmpdir(), 'callcast-keys-')), 'keys.json');
  writeFileSync(
    file,
    JSON.stringify({
      keys: Object.entries(KEYS).map(([role, key]) => ({ name: `${role}-key`, role, sha256: hashKey(key) })),
    }),
  );
  app = await metricsApp(temp.store, { apiKeys: loadKeyFile(file), now: () => NOW });
  const ingest = await app.inject({
    method: 'POST',
    url: '/v1/events',
    headers: { authorization: `Bearer ${KEYS.admin}` },
    payload: [queued(1), queued(2, { occurred_at: '2026-10-27T10:00:00.000Z' })],
  });
  expect(ingest.statusCode).toBe(200);
}, 60_000);
afterAll(async () => {
  await app?.close();
  await temp?.cleanup();
});

const get = (url: string, key: string = KEYS.viewer) =>
  app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${key}` } });

const UNKNOWN = (queue: string) =>
  `unknown queue "${queue}": it has no contacts and no settings (GET /v1/queues lists the known queues; ` +
  'PUT /v1/queues/{id}/settings registers a new one)';

describe('unknown queues', () => {
  it('every read about one queue answers 404 naming it; the known queue answers 200', async () => {
    for (const url of [
      '/v1/metrics?queue=biling',
      '/v1/realtime?queue=biling',
      '/v1/realtime/stream?queue=biling',
      '/v1/queues/biling/settings',
      '/v1/alerts/rules/biling',
      '/v1/alerts?queue=biling',
      '/v1/reports/voc?week=2026-W44&queue=biling',
    ]) {
      const response = await get(url);
      expect(response.statusCode, url).toBe(404);
      expect(response.json<{ error: string }>().error, url).toBe(UNKNOWN('biling'));
    }
    for (const url of [
      '/v1/metrics?queue=billing',
      '/v1/realtime?queue=billing',
      '/v1/queues/billing/settings',
      '/v1/alerts/rules/billing',
      '/v1/alerts?queue=billing',
    ]) {
      expect((await get(url)).statusCode, url).toBe(200);
    }
    // Nothing was built or stored for the unknown queue.
    expect(await temp.count('SELECT count() FROM voc_reports')).toBe(0);
  });

  it('a settings version registers a queue before its first contact', async () => {
    expect((await get('/v1/metrics?queue=returns')).statusCode).toBe(404);
    const put = await app.inject({
      method: 'PUT',
      url: '/v1/queues/returns/settings',
      headers: { authorization: `Bearer ${KEYS.admin}` },
      payload: { threshold_s: 30 },
    });
    expect(put.statusCode).toBe(200);
    const metrics = await get('/v1/metrics?queue=returns&from=2026-11-04&to=2026-11-05&interval=1d');
    expect(metrics.statusCode).toBe(200);
    expect(metrics.json<{ total: { counts: { offered: number } } }>().total.counts.offered).toBe(0);
    expect((await get('/v1/realtime?queue=returns')).statusCode).toBe(200);
  });

  it('an alert-rule override registers a queue too', async () => {
    const put = await app.inject({
      method: 'PUT',
      url: '/v1/alerts/rules/claims',
      headers: { authorization: `Bearer ${KEYS.admin}` },
      payload: { waiting: { above: 5 } },
    });
    expect(put.statusCode).toBe(200);
    expect((await get('/v1/alerts/rules/claims')).statusCode).toBe(200);
    expect((await get('/v1/queues/claims/settings')).statusCode).toBe(200);
  });
});

describe('VOC reports read by a viewer', () => {
  it('a finished week is built for a viewer but stored only for a planner', async () => {
    const viewer = await get('/v1/reports/voc?week=2026-W44&queue=billing');
    expect(viewer.statusCode).toBe(200);
    expect(viewer.headers['x-report-source']).toBe('built');
    expect(await temp.count('SELECT count() FROM voc_reports')).toBe(0);
    const planner = await get('/v1/reports/voc?week=2026-W44&queue=billing', KEYS.planner);
    expect(planner.headers['x-report-source']).toBe('built-and-stored');
    expect(await temp.count('SELECT count() FROM voc_reports')).toBe(1);
    const again = await get('/v1/reports/voc?week=2026-W44&queue=billing');
    expect(again.headers['x-report-source']).toBe('stored');
  }, 120_000);
});
