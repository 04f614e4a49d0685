// CLICKHOUSE_CLUSTER at run time: the server client sends distributed_product_mode = 'global'
// (IN / JOIN subqueries over Distributed tables run as GLOBAL IN / GLOBAL JOIN) and
// insert_distributed_sync = 1 (an insert returns once every shard has its rows) with every
// statement; the engine accepts both; the lease and alert tables shard by what is read together.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLUSTER_SESSION_SETTINGS } from '../../src/store/cluster-ddl.js';
import { loadMigrations, statementsFor, type Migration } from '../../src/store/migrate.js';
import { openStore } from '../../src/store/index.js';
import { openTempStore, type TempStore } from '../support/temp-store.js';

let temp: TempStore;
let all: Migration[];
beforeAll(async () => {
  temp = await openTempStore();
  all = await loadMigrations();
});
afterAll(async () => temp?.cleanup());

/** An HTTP listener that records the query-string settings of each request and answers an empty result. */
async function recorder(): Promise<{ url: string; seen: URLSearchParams[]; server: Server }> {
  const seen: URLSearchParams[] = [];
  const server = createServer((req, res) => {
    seen.push(new URL(req.url ?? '/', 'http://x').searchParams);
    req.resume();
    req.on('end', () => res.writeHead(200, { 'content-type': 'text/plain' }).end(''));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen, server };
}

describe('cluster session settings', () => {
  it('go with every statement of a store opened with CLICKHOUSE_CLUSTER, and only then', async () => {
    const { url, seen, server } = await recorder();
    try {
      for (const cluster of ['callcast', undefined]) {
        const store = await openStore({ kind: 'server', url, database: 'default', dataDir: '', cluster });
        await store.client.command({ query: 'SELECT 1' });
        await store.client.close();
      }
    } finally {
      server.close();
    }
    const settings = (p: URLSearchParams) => [
      p.get('distributed_product_mode'),
      p.get('insert_distributed_sync'),
      p.get('session_timezone'),
    ];
    expect(seen.map(settings)).toEqual([
      ['global', '1', 'UTC'],
      [null, null, 'UTC'],
    ]);
  });

  it('are accepted by the engine with an IN subquery and a JOIN', async () => {
    const rows = await (
      await temp.store.client.query({
        query: `SELECT count() AS n FROM contact_events AS a
          INNER JOIN contact_events AS b ON a.customer_id = b.customer_id
          WHERE a.contact_id IN (SELECT contact_id FROM contact_state)`,
        clickhouse_settings: CLUSTER_SESSION_SETTINGS,
        format: 'JSONEachRow',
      })
    ).json<{ n: string | number }>();
    expect(rows.map((r) => Number(r.n))).toEqual([0]);
  });

  it('shard alert episodes by id and job leases by job', () => {
    const distributed = (name: string) =>
      statementsFor(
        all.find((m) => m.name === name)!,
        all,
        { cluster: 'callcast' },
      ).filter((s) => s.includes('ENGINE = Distributed'));
    expect(distributed('050_alerts').map((s) => /Distributed\((.*)\)$/.exec(s)?.[1])).toEqual([
      'callcast, currentDatabase(), alert_rules_local, rand()',
      'callcast, currentDatabase(), alert_episodes_local, cityHash64(id)',
    ]);
    expect(distributed('110_job_leases').map((s) => /Distributed\((.*)\)$/.exec(s)?.[1])).toEqual([
      'callcast, currentDatabase(), job_leases_local, cityHash64(job)',
    ]);
  });
});
