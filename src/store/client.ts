// One ClickHouse client for the whole service: the embedded engine (chDB, in-process) by
// default, or a ClickHouse server — the same @clickhouse/client API and the same SQL on both.
import { mkdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { createClient, type ClickHouseClient } from '@clickhouse/client';
import { createChdbConnection } from 'chdb/connection';
import type { StoreConfig } from '../config/index.js';
import { EngineQueue, type Lane, type LaneStats } from './engine-queue.js';
import { queuedConnection, type ClientConnection } from './queued-connection.js';
import { SESSION_SETTINGS } from './time.js';
import { CLUSTER_SESSION_SETTINGS } from './cluster-ddl.js';

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

/** The embedded store's directory is locked by another process (one engine per directory). */
export class StoreInUseError extends Error {
  constructor(
    readonly dataDir: string,
    readonly pid: number | undefined,
    readonly command: string | undefined,
  ) {
    const who =
      pid === undefined
        ? 'another process'
        : command !== undefined && / serve\b/.test(command)
          ? `a running callcast serve (pid ${pid})`
          : `another process (pid ${pid}${command ? `: ${command}` : ''})`;
    super(`the store at ${dataDir} is in use by ${who}; stop it, or use the API / another CALLCAST_DATA_DIR`);
    this.name = 'StoreInUseError';
  }
}

/** The live process holding `path` (from the engine's status file), if any other than this one. */
function lockHolder(path: string): { pid: number; command?: string } | undefined {
  let pid: number;
  try {
    pid = Number(/^PID:\s*(\d+)/m.exec(readFileSync(`${path}/status`, 'utf8'))?.[1]);
  } catch {
    return undefined;
  }
  if (!Number.isInteger(pid) || pid <= 0 || pid === process.pid) return undefined;
  try {
    process.kill(pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return undefined; // gone: a stale status file
  }
  let command: string | undefined;
  try {
    const args = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
    // A reused pid of some unrelated program does not hold the store.
    if (!args.some((a) => /node|callcast|tsx/.test(a))) return undefined;
    const at = args.findIndex((a) => /cli\.(ts|js)$|callcast(\.js)?$/.test(a));
    command = at >= 0 ? ['callcast', ...args.slice(at + 1)].join(' ') : args.join(' ');
  } catch {
    // no /proc (not Linux): the pid is alive, that is all we know
  }
  return { pid, command };
}

function embeddedClient(dataDir: string, queue: EngineQueue): ClickHouseClient {
  const path = resolve(dataDir);
  mkdirSync(path, { recursive: true });
  // Checked before the engine starts: it prints its own raw lock error to stderr.
  const holder = lockHolder(path);
  if (holder) throw new StoreInUseError(dataDir, holder.pid, holder.command);
  // chdb/connection implements @clickhouse/client-common's Connection; @clickhouse/client 1.23
  // bundles its own copy of those types, identical in shape but nominally distinct.
  let raw: ReturnType<typeof createChdbConnection>;
  try {
    raw = createChdbConnection({ path });
  } catch (error) {
    // Taken between the check and the start (or held where the pid cannot be checked).
    const text = `${(error as Error).message} ${String((error as { cause?: unknown }).cause ?? '')}`;
    const late = lockHolder(path);
    if (late || /Cannot lock file|Another server instance/i.test(text))
      throw new StoreInUseError(dataDir, late?.pid, late?.command);
    throw error;
  }
  const connection = raw as unknown as ClientConnection;
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
  const settings = config.cluster ? { ...SESSION_SETTINGS, ...CLUSTER_SESSION_SETTINGS } : SESSION_SETTINGS;
  return createClient({ ...common, database: config.database, clickhouse_settings: settings });
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
