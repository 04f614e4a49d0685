// What the hot reads may keep between requests, and how they know it is still true: one small
// statement returns the newest rollup generation of each rollup table and a stamp of the settings
// table. Equal values mean nothing those caches hold has changed, whichever process wrote.
import type { ClickHouseClient } from '@clickhouse/client';
import { defaultVersion, loadVersions, type SettingsVersion } from './settings.js';

export interface StoreState {
  /** Newest generation in contact_rollup (0 when empty); rolls only ever add higher ones. */
  contactGen: number;
  /** Newest generation in agent_time_rollup (0 when empty). */
  agentGen: number;
  /** Changes whenever a settings version is added (count, newest change, version sum). */
  settings: string;
}

// max(gen) scans one column of the rollup (rows grow with half-hours × queues × channels, not
// with events): a few milliseconds at a year of history.
const STATE_SQL = `SELECT
  (SELECT max(gen) FROM contact_rollup) AS contact_gen,
  (SELECT max(gen) FROM agent_time_rollup) AS agent_gen,
  (SELECT concat(toString(count()), '/', toString(max(changed_at)), '/', toString(sum(version))) FROM queue_settings) AS settings`;

export async function readStoreState(client: ClickHouseClient): Promise<StoreState> {
  const [row] = await (
    await client.query({ query: STATE_SQL, format: 'JSONEachRow' })
  ).json<{
    contact_gen: string | number;
    agent_gen: string | number;
    settings: string;
  }>();
  return { contactGen: Number(row!.contact_gen), agentGen: Number(row!.agent_gen), settings: row!.settings };
}

const settingsCache = new WeakMap<ClickHouseClient, { stamp: string; all: Map<string, SettingsVersion[]> }>();

/**
 * loadVersions(client, queues), read from the store only when the settings stamp of `state`
 * differs from the one last read. Callers get their own arrays; the versions are shared, read-only.
 */
export async function cachedVersions(
  client: ClickHouseClient,
  state: StoreState,
  queues?: string[],
): Promise<Map<string, SettingsVersion[]>> {
  let cached = settingsCache.get(client);
  if (cached?.stamp !== state.settings) {
    cached = { stamp: state.settings, all: await loadVersions(client) };
    settingsCache.set(client, cached);
  }
  if (queues === undefined) return new Map([...cached.all].map(([q, list]) => [q, [...list]]));
  return new Map(queues.map((q) => [q, [...(cached.all.get(q) ?? [defaultVersion(q)])]]));
}
