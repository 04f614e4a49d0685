// The wallboard snapshot of every queue: who is waiting now, agents by state now, today so far
// (local day of each queue) with its half-hours for the charts. The embedded store runs one
// query at a time, so every queue is read together: a fixed number of statements per answer
// (the store state, the queues, waiting, agents, forecasts, and per distinct time zone the
// unrolled part of today in two), not ~6 per queue. Settings and today's rolled half-hours come
// from this process's caches, read again only when the store state says they changed; the
// current half-hour's requirements are read only for queues with a successful forecast run.
import type { ClickHouseClient } from '@clickhouse/client';
import {
  halfHourCountsByQueueRolled,
  metricsRange,
  metricsResult,
  type MetricsQuery,
  type MetricsResult,
  type MetricsRow,
} from './query.js';
import { chTime, currentVersion, type SettingsVersion } from './settings.js';
import { cachedVersions, readStoreState, type StoreState } from './store-state.js';
import { nextLocalDay, startOfLocalDay } from './tz.js';
import { AGENT_STATES } from '../events/index.js';
import { requirementsNow, staffingGap, type RequirementNow, type StaffingGap } from './staffing-gap.js';
import { AGENTS_SQL, FORECAST_SQL, WAITING_SQL } from './realtime-sql.js';
import { queryRows as rows } from '../store/rows.js';

/** Contacts queued longer ago than this and never answered or abandoned are treated as lost data. */
export const WAITING_LOOKBACK_MS = 24 * 3_600_000;

export interface HalfHourPoint {
  start: string;
  start_local: string;
  offered: number;
  service_level: number | null;
  /** Forecast volume of the latest successful forecast run (all channels), when there is one. */
  forecast_offered: number | null;
}

interface LocalDay {
  from: number;
  to: number;
}

/** Forecast volume by queue and half-hour; `planned`: the queues with a successful run (undefined: not known). */
interface Forecasts {
  volume: Map<string, Map<number, number>>;
  planned: Set<string> | undefined;
}

async function forecastsByQueue(client: ClickHouseClient, days: Map<string, LocalDay>): Promise<Forecasts> {
  const queues = [...days.keys()];
  const volume = new Map<string, Map<number, number>>(queues.map((q) => [q, new Map()]));
  const params = {
    queues,
    q_from: queues.map((q) => chTime(days.get(q)!.from)),
    q_to: queues.map((q) => chTime(days.get(q)!.to)),
  };
  try {
    const found = await rows<{ queue: string; bucket: string; volume: number }>(client, FORECAST_SQL, params);
    const planned = new Set<string>();
    for (const r of found)
      if (Number(r.bucket) === -1) planned.add(r.queue);
      else volume.get(r.queue)?.set(Number(r.bucket), Number(r.volume));
    return { volume, planned };
  } catch (error) {
    // chDB says "Unknown table expression identifier 'forecasts'" (code 60, UNKNOWN_TABLE).
    if (!/UNKNOWN_TABLE|Unknown table|doesn't exist|does not exist/i.test(String((error as Error).message)))
      throw error;
    return { volume, planned: undefined };
  }
}

export interface QueueSnapshot {
  queue: string;
  generated_at: string;
  time_zone: string;
  settings_version: number;
  waiting_now: number;
  longest_wait_s: number | null;
  agents: Record<(typeof AGENT_STATES)[number], number>;
  today: MetricsRow;
  half_hours: HalfHourPoint[];
  /** Service level today is below the queue's target. */
  below_target: boolean;
  /** The current half-hour's staffing gap; absent without a forecast run covering it. */
  staffing?: StaffingGap;
}

/** The snapshot of one queue (the same as its entry of snapshotAll). */
export async function queueSnapshot(
  client: ClickHouseClient,
  queue: string,
  now: number,
  versions?: SettingsVersion[],
): Promise<QueueSnapshot> {
  const state = await readStoreState(client);
  const own = versions ?? (await cachedVersions(client, state, [queue])).get(queue)!;
  return (await snapshots(client, [queue], now, new Map([[queue, own]]), state))[0]!;
}

/** Every known queue: seen in contacts, or configured. */
export async function listQueues(client: ClickHouseClient): Promise<string[]> {
  const found = await rows<{ queue: string }>(
    client,
    `SELECT queue FROM (SELECT queue FROM queues_seen UNION DISTINCT SELECT queue FROM queue_settings) WHERE queue != '' ORDER BY queue`,
    {},
  );
  return found.map((r) => r.queue);
}

export async function snapshotAll(client: ClickHouseClient, now: number, only?: string): Promise<QueueSnapshot[]> {
  // The store state (rollup generations, settings stamp) lets the settings and today's rolled
  // half-hours come from this process's caches (store-state.ts, rolled-cache.ts).
  const state = await readStoreState(client);
  const queues = only ? [only] : await listQueues(client);
  if (queues.length === 0) return [];
  return snapshots(client, queues, now, await cachedVersions(client, state, queues), state);
}

/** "Today" of one queue, as queryMetrics reads it: its local day in 30-minute rows. */
const todayQuery = (queue: string, now: number, tz: string): MetricsQuery => {
  const from = startOfLocalDay(now, tz);
  return { queue, from, to: nextLocalDay(from, tz), interval: '30m', now };
};

async function snapshots(
  client: ClickHouseClient,
  queues: string[],
  now: number,
  versions: Map<string, SettingsVersion[]>,
  state: StoreState,
): Promise<QueueSnapshot[]> {
  const own = (queue: string) => new Map([[queue, versions.get(queue)!]]);
  const current = new Map(queues.map((q) => [q, currentVersion(versions.get(q)!, now)]));
  const queries = new Map(queues.map((q) => [q, todayQuery(q, now, current.get(q)!.settings.time_zone)]));
  // Queues of one zone share their local day: one pair of half-hour queries per zone.
  const zones = new Map<string, string[]>();
  for (const q of queues) {
    const tz = current.get(q)!.settings.time_zone;
    zones.set(tz, [...(zones.get(tz) ?? []), q]);
  }
  const days = new Map(queues.map((q) => [q, metricsRange(queries.get(q)!, own(q))]));
  const live = { queues, since: chTime(now - WAITING_LOOKBACK_MS), now: chTime(now) };
  const [waiting, agents, forecasts, ...perZone] = await Promise.all([
    rows<{ queue: string; waiting: string; oldest: string | null }>(client, WAITING_SQL, live),
    rows<{ queue: string; state: string; n: string }>(client, AGENTS_SQL, live),
    forecastsByQueue(client, days),
    ...[...zones].map(([tz, qs]) => {
      const day = days.get(qs[0]!)!;
      return halfHourCountsByQueueRolled(
        client,
        { from: day.from, to: day.to, tz, now },
        new Map(qs.map((q) => [q, versions.get(q)!])),
        state,
      );
    }),
  ]);
  const halfHours = new Map(perZone.flatMap((m) => [...m]));
  // The live staffing gap of every queue's current half-hour: one more query for the queues with
  // a successful forecast run (staffing-gap.ts); none when no queue has one.
  const planned = forecasts.planned ? queues.filter((q) => forecasts.planned!.has(q)) : queues;
  const needed = planned.length > 0 ? await requirementsNow(client, planned, now) : new Map<string, RequirementNow[]>();
  return queues.map((queue) => {
    const today = metricsResult(queries.get(queue)!, own(queue), days.get(queue)!, halfHours.get(queue)!);
    const snapshot = snapshotOf(queue, now, current.get(queue)!, today, {
      waiting: waiting.find((w) => w.queue === queue),
      agents: agents.filter((a) => a.queue === queue),
      forecast: forecasts.volume.get(queue)!,
    });
    const gap = staffingGap(needed.get(queue) ?? [], snapshot.half_hours, snapshot.agents, now);
    if (gap) snapshot.staffing = gap;
    return snapshot;
  });
}

interface Live {
  waiting: { waiting: string; oldest: string | null } | undefined;
  agents: Array<{ state: string; n: string }>;
  forecast: Map<number, number>;
}

function snapshotOf(
  queue: string,
  now: number,
  version: SettingsVersion,
  today: MetricsResult,
  live: Live,
): QueueSnapshot {
  const byState = Object.fromEntries(AGENT_STATES.map((s) => [s, 0])) as QueueSnapshot['agents'];
  for (const a of live.agents) if (a.state in byState) byState[a.state as keyof typeof byState] = Number(a.n);
  const w = live.waiting;
  const waitingNow = Number(w?.waiting ?? 0);
  const oldest = waitingNow > 0 && w?.oldest ? Date.parse(`${w.oldest.replace(' ', 'T')}Z`) : undefined;
  const sl = today.total.service_level.value;
  return {
    queue,
    generated_at: new Date(now).toISOString(),
    time_zone: version.settings.time_zone,
    settings_version: version.version,
    waiting_now: waitingNow,
    longest_wait_s: oldest === undefined ? null : Math.max(0, (now - oldest) / 1000),
    agents: byState,
    today: today.total,
    // The whole local day (46, 48 or 50 half-hours): later ones carry only the forecast.
    half_hours: today.rows.map((r) => ({
      start: r.start,
      start_local: r.start_local,
      offered: r.counts.offered,
      service_level: r.service_level.value,
      forecast_offered: live.forecast.get(Date.parse(r.start)) ?? null,
    })),
    below_target: sl !== null && sl < version.settings.sl_target,
  };
}
