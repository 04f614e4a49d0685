// An embedded store in the cluster form of the schema (CLICKHOUSE_CLUSTER), with every statement
// the app sends recorded. The engine is started with a server config (chDB's --config-file)
// that declares two clusters:
//   callcast      one shard, this process (is_local): Distributed tables over it really read and
//                 write, so every statement runs through the Distributed engine;
//   callcast_two  two shards that are not this process (a default_database makes a replica
//                 non-local): the engine plans a query over them as it would on two machines, and
//                 refuses what a cluster refuses, but cannot run it (no server listens).
// Keeper is absent, so `ON CLUSTER` and the Replicated engines are not run: each generated
// statement is applied with `ON CLUSTER callcast` removed and `Replicated*MergeTree(path,
// replica, args)` as `*MergeTree(args)`; the Distributed tables and the views are as generated.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ClickHouseClient, ClickHouseSettings } from '@clickhouse/client';
import { Session } from 'chdb';
import { openStore, type Store } from '../../src/store/index.js';
import { loadMigrations, statementsFor } from '../../src/store/migrate.js';
import { CLUSTER_SESSION_SETTINGS, schemaMigrationsDdl } from '../../src/store/cluster-ddl.js';

export const CLUSTER = 'callcast';
export const TWO_SHARDS = 'callcast_two';

const CONFIG = `<clickhouse>
  <tcp_port>9000</tcp_port>
  <remote_servers>
    <${CLUSTER}>
      <shard><replica><host>localhost</host><port>9000</port></replica></shard>
    </${CLUSTER}>
    <${TWO_SHARDS}>
      <shard><replica><host>localhost</host><port>9000</port><default_database>default</default_database></replica></shard>
      <shard><replica><host>localhost</host><port>9000</port><default_database>default</default_database></replica></shard>
    </${TWO_SHARDS}>
  </remote_servers>
</clickhouse>
`;

export interface Recorded {
  kind: 'query' | 'command' | 'exec' | 'insert';
  /** SQL text, or the table of an insert. */
  sql: string;
  params: Record<string, unknown>;
  error?: string;
}

/** A generated cluster statement as this engine can apply it (no Keeper: not replicated, not ON CLUSTER). */
export function withoutKeeper(statement: string): string {
  return statement
    .replace(new RegExp(` ON CLUSTER ${CLUSTER}\\b`, 'g'), '')
    .replace(
      /Replicated(\w*MergeTree)\('[^']*', '\{replica\}'(?:, ([^)]*))?\)/g,
      (_, engine: string, args?: string) => `${engine}(${args ?? ''})`,
    );
}

type Params = { query?: string; table?: string; query_params?: Record<string, unknown> };

/** The client with the cluster settings on every statement (as src/store/client.ts sets them), recording each. */
function recording(client: ClickHouseClient, log: Recorded[]): ClickHouseClient {
  const wrap =
    (kind: Recorded['kind'], run: (p: never) => Promise<unknown>) =>
    async (p: Params & { clickhouse_settings?: Record<string, unknown> }) => {
      const entry: Recorded = { kind, sql: kind === 'insert' ? p.table! : p.query!, params: p.query_params ?? {} };
      log.push(entry);
      try {
        return await run({
          ...p,
          clickhouse_settings: { ...CLUSTER_SESSION_SETTINGS, ...p.clickhouse_settings },
        } as never);
      } catch (error) {
        entry.error = error instanceof Error ? error.message : String(error);
        throw error;
      }
    };
  return new Proxy(client, {
    get(target, key, receiver) {
      const value: unknown = Reflect.get(target, key, receiver);
      if (typeof value !== 'function') return value;
      const bound = (value as (...a: unknown[]) => Promise<unknown>).bind(target);
      return key === 'query' || key === 'command' || key === 'exec' || key === 'insert'
        ? wrap(key, bound as (p: never) => Promise<unknown>)
        : bound;
    },
  });
}

export interface ClusterStore {
  store: Store;
  /** Every statement sent through store.client since the schema was made. */
  log: Recorded[];
  /** Statements applied to make the schema. */
  ddl: string[];
  /** Runs SQL as it is, outside the log. */
  raw(sql: string, params?: Record<string, unknown>, settings?: ClickHouseSettings): Promise<string>;
  cleanup(): Promise<void>;
}

export async function openClusterStore(): Promise<ClusterStore> {
  const dir = mkdtempSync(join(tmpdir(), 'callcast-cluster-'));
  const config = join(dir, 'cluster.xml');
  writeFileSync(config, CONFIG);
  // The first connection to a data directory starts the engine with its arguments; the store's
  // own connection (same directory) then shares that engine.
  const pin = new Session(join(dir, 'data'), { connectionArgs: [`--config-file=${config}`] });
  const base = await openStore({ kind: 'embedded', dataDir: join(dir, 'data'), database: 'default' });
  const raw = async (sql: string, params: Record<string, unknown> = {}, settings: ClickHouseSettings = {}) =>
    (
      await base.client.query({
        query: sql,
        query_params: params,
        format: 'TabSeparated',
        clickhouse_settings: settings,
      })
    ).text();
  const ddl: string[] = [];
  const apply = async (statement: string) => {
    ddl.push(statement);
    await base.client.command({ query: statement });
  };
  await apply(schemaMigrationsDdl());
  const all = await loadMigrations();
  for (const m of all) for (const s of statementsFor(m, all, { cluster: CLUSTER })) await apply(withoutKeeper(s));
  const log: Recorded[] = [];
  return {
    store: { ...base, client: recording(base.client, log) },
    log,
    ddl,
    raw,
    async cleanup() {
      await base.close();
      pin.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
