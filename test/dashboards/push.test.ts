// `callcast dashboards push` against a real local HTTP server that answers like Grafana:
// create then update (idempotent by uid), a bad token, Grafana down or silent.
import { execFile } from 'node:child_process';
import { createServer, type Server } from 'node:net';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GrafanaError, grafanaClient } from '../../src/grafana/client.js';
import { pushDashboards, readGeneratedDashboards, type PushPlan } from '../../src/grafana/push.js';
import { grafanaTokenFrom } from '../../src/cli/dashboards.js';
import { startFakeGrafana, type FakeGrafana } from './fake-grafana.js';

const TOKEN = 'glsa_test_token';
const run = promisify(execFile);
let grafana: FakeGrafana;
let plan: PushPlan;

beforeAll(async () => {
  grafana = await startFakeGrafana(TOKEN);
  plan = {
    clickhouse: {
      host: 'clickhouse',
      port: 8123,
      protocol: 'http',
      secure: false,
      username: 'callcast',
      password: 'secret',
      database: 'callcast',
    },
    prometheusUrl: 'http://prometheus:9090',
    folder: { uid: 'callcast', title: 'Callcast' },
    dashboards: await readGeneratedDashboards(),
  };
});
afterAll(async () => grafana?.close());

const client = (o: { url?: string; token?: string; timeoutMs?: number } = {}) =>
  grafanaClient({ url: o.url ?? grafana.url, token: o.token ?? TOKEN, timeoutMs: o.timeoutMs ?? 5_000 });

describe('dashboards push', () => {
  it('creates the data sources, the folder and all six dashboards, then updates them in place', async () => {
    const first = await pushDashboards(client(), plan);
    expect(first.datasources).toEqual([
      { uid: 'callcast-clickhouse', action: 'created' },
      { uid: 'callcast-prometheus', action: 'created' },
    ]);
    expect(first.folder).toEqual({ uid: 'callcast', action: 'created' });
    expect(first.dashboards.map((d) => [d.uid, d.version])).toEqual([
      ['callcast-customer-experience', 1],
      ['callcast-forecast', 1],
      ['callcast-live', 1],
      ['callcast-pipeline', 1],
      ['callcast-service-level', 1],
      ['callcast-staffing', 1],
    ]);
    expect(first.dashboards[2]!.url).toBe(`${grafana.url}/d/callcast-live/callcast-live-wallboard`);

    const ch = grafana.datasources.get('callcast-clickhouse')!;
    expect(ch).toMatchObject({
      type: 'grafana-clickhouse-datasource',
      access: 'proxy',
      isDefault: true,
      secureJsonData: { password: 'secret' },
      jsonData: {
        host: 'clickhouse',
        port: 8123,
        protocol: 'http',
        secure: false,
        username: 'callcast',
        defaultDatabase: 'callcast',
      },
    });
    expect(grafana.datasources.get('callcast-prometheus')).toMatchObject({
      type: 'prometheus',
      url: 'http://prometheus:9090',
    });
    // The dashboard is sent as committed, without an id (Grafana matches by uid), into the folder.
    const live = grafana.dashboards.get('callcast-live')!;
    expect(live.folderUid).toBe('callcast');
    expect(live.dashboard).toEqual({ ...plan.dashboards.find((d) => d.uid === 'callcast-live'), id: null });

    const before = grafana.requests.length;
    const second = await pushDashboards(client(), plan);
    expect(second.datasources).toEqual([
      { uid: 'callcast-clickhouse', action: 'updated' },
      { uid: 'callcast-prometheus', action: 'updated' },
    ]);
    expect(second.folder).toEqual({ uid: 'callcast', action: 'exists' });
    expect(second.dashboards.every((d) => d.version === 2)).toBe(true);
    expect(grafana.datasources.size).toBe(2);
    expect(grafana.dashboards.size).toBe(6);
    // Second run: GET+PUT per data source, GET folder, one POST per dashboard, all with the token.
    const again = grafana.requests.slice(before);
    expect(again.map((r) => `${r.method} ${r.path}`)).toEqual([
      'GET /api/datasources/uid/callcast-clickhouse',
      'PUT /api/datasources/uid/callcast-clickhouse',
      'GET /api/datasources/uid/callcast-prometheus',
      'PUT /api/datasources/uid/callcast-prometheus',
      'GET /api/folders/callcast',
      ...Array(6).fill('POST /api/dashboards/db'),
    ]);
    expect(new Set(again.map((r) => r.authorization))).toEqual(new Set([`Bearer ${TOKEN}`]));
    expect((again[1]!.body as { version: number }).version).toBe(1);
  });

  it('a bad token gives a clear 401 error and changes nothing', async () => {
    const size = grafana.dashboards.size;
    const error = await pushDashboards(client({ token: 'wrong' }), plan).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GrafanaError);
    expect((error as GrafanaError).status).toBe(401);
    expect((error as Error).message).toBe(
      `Grafana at ${grafana.url} rejected the token (401: invalid API key); set GRAFANA_TOKEN to a valid service account token`,
    );
    expect(grafana.dashboards.size).toBe(size);
  });

  it('Grafana down: a refused connection is named at once', async () => {
    const closed = await freePort();
    const started = Date.now();
    const error = await pushDashboards(client({ url: `http://127.0.0.1:${closed}` }), plan).catch((e: unknown) => e);
    expect((error as Error).message).toBe(
      `cannot reach Grafana at http://127.0.0.1:${closed} (ECONNREFUSED) while trying to read a data source`,
    );
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('Grafana silent: the request gives up at its deadline', async () => {
    const silent: Server = createServer(() => undefined); // accepts, never answers
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const port = (silent.address() as { port: number }).port;
    try {
      const error = await pushDashboards(client({ url: `http://127.0.0.1:${port}`, timeoutMs: 300 }), plan).catch(
        (e: unknown) => e,
      );
      expect((error as Error).message).toBe(
        `Grafana at http://127.0.0.1:${port} did not answer within 300 ms (while trying to read a data source)`,
      );
    } finally {
      silent.close();
    }
  });

  it('refuses a Grafana URL that is not http(s)', () => {
    expect(() => client({ url: 'grafana:3000' })).toThrow(
      '--grafana-url must be an http(s) URL such as http://localhost:3000, got "grafana:3000"',
    );
  });

  it('without GRAFANA_TOKEN the command says what to set', () => {
    expect(() => grafanaTokenFrom({ GRAFANA_TOKEN: ' ' })).toThrow(
      'GRAFANA_TOKEN is not set: create a Grafana service account (Admin role) and export its token as GRAFANA_TOKEN',
    );
    expect(grafanaTokenFrom({ GRAFANA_TOKEN: ' abc ' })).toBe('abc');
  });

  it('the command pushes with GRAFANA_TOKEN and the ClickHouse flags', async () => {
    const cli = [
      '--import',
      'tsx',
      'src/cli.ts',
      'dashboards',
      'push',
      '--grafana-url',
      grafana.url,
      '--clickhouse-host',
      'ch.internal',
      '--clickhouse-protocol',
      'native',
    ];
    const ok = await run(process.execPath, cli, {
      env: { ...process.env, GRAFANA_TOKEN: TOKEN, CLICKHOUSE_URL: '' },
      timeout: 60_000,
    });
    expect(ok.stdout.split('\n').slice(0, 2)).toEqual([
      'data source callcast-clickhouse: updated',
      'folder callcast: exists',
    ]);
    expect(ok.stdout).toContain(
      `dashboard callcast-live (version 3): ${grafana.url}/d/callcast-live/callcast-live-wallboard`,
    );
    expect(grafana.datasources.get('callcast-clickhouse')!.jsonData).toMatchObject({
      host: 'ch.internal',
      port: 9000,
      protocol: 'native',
    });
  });
});

/** A port with nothing listening (bound, then released). */
async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  const { port } = s.address() as { port: number };
  await new Promise<void>((resolve) => s.close(() => resolve()));
  return port;
}
