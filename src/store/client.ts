// One ClickHouse client for the whole service: the embedded engine (chDB, in-process) by
// default, or a ClickHouse server — the same @clickhouse/client API and the same SQL on both.
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { createClient, type ClickHouseClient } from '@clickhouse/client';
import { createChdbConnection } from 'chdb/connection';
import type { StoreConfig } from '../config/index.js';
import { EngineQueue, type Lane, type LaneStats } from './engine-queue.js';
import { queuedConnection, type ClientConnection } from './queued-connection.js';
import { SESSION_SETTINGS } from './time.js';

export interface Store {
  readonly kind: 'embedded' | 'server';
  readonly client: ClickHouseClient;
  /** CLICKHOUSE_CLUSTER, for migrations (server only). */
  readonly cluster?: string;
  /** The embedded engine's statement queue (absent for a server, which schedules its own). */
  readonly queue?: { stats(): Record<Lane, LaneStats> };
  /** True when a trivial query answers within the timeout. */
  ping(timeoutMs?: number): Promise<boolean>;
  close(): Promise<void>;
}

/** Rejects after `ms` so that nothing waits forever on a store that stopped answering. */
export function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

function embeddedClient(dataDir: string, queue: EngineQueue): ClickHouseClient {
  const path = resolve(dataDir);
  mkdirSync(path, { recursive: true });
  // chdb/connection implements @clickhouse/client-common's Connection; @clickhouse/client 1.23
  // bundles its own copy of those types, identical in shape but nominally distinct.
  const connection = createChdbConnection({ path }) as unknown as ClientConnection;
  return createClient({ connection: queuedConnection(connection, queue), clickhouse_settings: SESSION_SETTINGS });
}

async function serverClient(config: StoreConfig): Promise<ClickHouseClient> {
  const common = {
    url: config.url,
    username: config.user ?? 'default',
    password: config.password ?? '',
    request_timeout: 30_000,
  };
  if (config.database !== 'default') {
    const bootstrap = createClient(common);
    try {
      await bootstrap.command({ query: `CREATE DATABASE IF NOT EXISTS ${config.database}` });
    } finally {
      await bootstrap.close();
    }
  }
  return createClient({ ...common, database: config.database, clickhouse_settings: SESSION_SETTINGS });
}

export async function openStore(config: StoreConfig): Promise<Store> {
  const queue =
    config.kind === 'embedded' ? new EngineQueue({ writeShare: (config.writeSharePercent ?? 60) / 100 }) : undefined;
  const client = queue ? embeddedClient(config.dataDir, queue) : await serverClient(config);
  return {
    kind: config.kind,
    client,
    cluster: config.cluster,
    queue,
    async ping(timeoutMs = 2_000) {
      try {
        const result = await withTimeout(client.ping(), timeoutMs, 'ClickHouse');
        return result.success;
      } catch {
        return false;
      }
    },
    close: () => client.close(),
  };
}
