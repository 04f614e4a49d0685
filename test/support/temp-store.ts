// A fresh embedded store (chDB) in a temp dir, migrated. One per test file: chDB holds one
// on-disk store per process, and vitest runs each file in its own process.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { migrate, openStore, type Store } from '../../src/store/index.js';

export interface TempStore {
  store: Store;
  dir: string;
  /** A scalar from a query, as a number. */
  count(sql: string, params?: Record<string, unknown>): Promise<number>;
  rows<T>(sql: string, params?: Record<string, unknown>): Promise<T[]>;
  cleanup(): Promise<void>;
}

export async function openTempStore(): Promise<TempStore> {
  const dir = mkdtempSync(join(tmpdir(), 'callcast-test-'));
  const store = await openStore({ kind: 'embedded', dataDir: dir, database: 'default' });
  await migrate(store.client);
  const rows = async <T>(sql: string, params: Record<string, unknown> = {}) =>
    (await store.client.query({ query: sql, query_params: params, format: 'JSONEachRow' })).json<T>();
  return {
    store,
    dir,
    rows,
    async count(sql, params) {
      const [first] = await rows<Record<string, unknown>>(sql, params);
      return Number(Object.values(first ?? {})[0]);
    },
    async cleanup() {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
