// GET /v1/metrics in one function: half-hour counts from ClickHouse, rolled up in the queue's
// time zone to the requested interval, ratios computed from the summed counts.
import type { ClickHouseClient } from '@clickhouse/client';
import {
  AGENT_TIME_BY_QUEUE_SQL,
  AGENT_TIME_SQL,
  CONTACT_FIGURES_BY_QUEUE_SQL,
  CONTACT_FIGURES_SQL,
} from './contacts-sql.js';
import { addCounts, emptyCounts, ratios, type Counts, type Ratios } from './figures.js';
import { enumerate, HALF_HOUR_MS, intervalStart, type Interval } from './intervals.js';
import { halfHourAligned, settingsArrays } from './rollup.js';
import { rolledHalfHours } from './rolled-cache.js';
import { cachedVersions, readStoreState, type StoreState } from './store-state.js';
import {
  DEFAULT_SETTINGS,
  chTime,
  defaultVersion,
  loadVersions,
  versionAt,
  type SettingsVersion,
  type SlFormula,
} from './settings.js';
import { localIso } from './tz.js';
import { queryRows as rowsOf } from '../store/rows.js';

/** Events of a contact more than this many days after it was queued are not read. */
export const LAG_DAYS = 31;

export interface MetricsQuery {
  queue?: string;
  channel?: string;
  from: number;
  to: number;
  interval: Interval;
  /** Time zone for the cut; default: the queue's, or UTC across all queues. */
  tz?: string;
  now: number;
}

export interface MetricsRow extends Ratios {
  start: string;
  end: string;
  start_local: string;
  settings_versions: number[];
  threshold_s: number;
  sl_target: number;
  counts: Counts;
}

export interface MetricsResult {
  queue: string | null;
  channel: string | null;
  interval: Interval;
  time_zone: string;
  from: string;
  to: string;
  rows: MetricsRow[];
  total: MetricsRow;
}

type Bucketed = { bucket: string | number } & Record<string, unknown>;

/** Flat, sorted arrays of every settings version, for the per-contact lookup in SQL. */
export const versionParams = settingsArrays;

type HalfHours = Map<number, Counts & { versions: number[] }>;

/** FCR windows (days) the contacts of these settings versions can have, defaults included. */
function fcrWindows(versions: SettingsVersion[]): number[] {
  return [DEFAULT_SETTINGS.fcr_window_days, ...versions.map((v) => v.settings.fcr_window_days)];
}

// Repeat visits matter only for contacts whose FCR window has closed; today's never has.
const needsVisits = (from: number, now: number, windows: number[]) => from + Math.min(...windows) * 86_400_000 <= now;
const laterTo = (to: number, windows: number[]) => chTime(to + (Math.max(...windows) + LAG_DAYS) * 86_400_000);

function addRows(out: HalfHours, contacts: Array<Bucketed & { versions: unknown[] }>, agents: Bucketed[]): void {
  const slot = (bucket: string | number) => {
    const key = Number(bucket);
    let c = out.get(key);
    if (!c) out.set(key, (c = { ...emptyCounts(), versions: [] }));
    return c;
  };
  for (const row of contacts) {
    const c = slot(row.bucket);
    addCounts(c, row);
    c.versions = row.versions.map(Number);
  }
  for (const row of agents) addCounts(slot(row.bucket), row);
}

type HalfHourQuery = { queue?: string; channel?: string; from: number; to: number; tz: string; now: number };

/** Contact figures per half-hour of [from, to) from per-contact state (the from-scratch reference). */
function contactRows(client: ClickHouseClient, q: HalfHourQuery, versions: Map<string, SettingsVersion[]>) {
  const windows = fcrWindows([...versions.values()].flat());
  return rowsOf<Bucketed & { versions: number[] }>(client, CONTACT_FIGURES_SQL, {
    queue: q.queue ?? '',
    channel: q.channel ?? '',
    from: chTime(q.from),
    to: chTime(q.to),
    tz: q.tz,
    ...versionParams(versions),
    lag_days: LAG_DAYS,
    now: chTime(q.now),
    later_to: laterTo(q.to, windows),
    need_visits: needsVisits(q.from, q.now, windows),
  });
}

/** Agent busy and available time per half-hour of [from, min(to, now)). */
function agentRows(client: ClickHouseClient, q: HalfHourQuery): Promise<Bucketed[]> {
  if (q.from >= Math.min(q.to, q.now)) return Promise.resolve([]);
  return rowsOf<Bucketed>(client, AGENT_TIME_SQL, {
    queue: q.queue ?? '',
    channel: q.channel ?? '',
    from: chTime(q.from),
    to: chTime(q.to),
    tz: q.tz,
    end: chTime(Math.min(q.to, q.now)),
  });
}

/** Half-hour counts (contacts and agent time) keyed by the half-hour's start instant, computed from scratch. */
export async function halfHourCounts(
  client: ClickHouseClient,
  q: HalfHourQuery,
  versions: Map<string, SettingsVersion[]>,
): Promise<HalfHours> {
  const [contacts, agents] = await Promise.all([contactRows(client, q, versions), agentRows(client, q)]);
  const out: HalfHours = new Map();
  addRows(out, contacts, agents);
  return out;
}

/** The smallest [from, to) holding every half-hour of [q.from, q.to) that is not in `usable` (empty: from = to). */
function liveSpan(q: { from: number; to: number }, usable: { has(bucket: number): boolean }) {
  let from = q.to;
  let to = q.from;
  for (let b = q.from; b < q.to; b += HALF_HOUR_MS) {
    if (usable.has(b)) continue;
    from = Math.min(from, b);
    to = b + HALF_HOUR_MS;
  }
  return from < to ? { from, to } : undefined;
}

const inBucketOrder = <T extends Bucketed>(rows: T[]) => rows.sort((a, b) => Number(a.bucket) - Number(b.bucket));

/**
 * halfHourCounts read from the rollup for the rolled half-hours (contacts: settled, not stale,
 * rolled at or before `now`; agent time: rolled and ended by `now`) and from scratch for the rest;
 * equal to halfHourCounts once the touches since the last re-roll are rolled (docs/metrics.md).
 * The rolled part comes from this process's cache of rolled half-hours, brought up to the store's
 * `state` (read when not given). Zones whose half-hours are not UTC half-hours (offsets such as
 * +05:45) are read from scratch.
 */
export async function halfHourCountsRolled(
  client: ClickHouseClient,
  q: HalfHourQuery,
  versions: Map<string, SettingsVersion[]>,
  state?: StoreState,
): Promise<HalfHours> {
  return (await halfHourCountsRolledUntil(client, q, versions, state)).halfHours;
}

/**
 * halfHourCountsRolled, with the instant until which the same counts hold for any later reader
 * at the same store state: when every half-hour came from the rollup, the next close of a
 * repeat-contact FCR window among them; when any was computed live, `now` itself (no later reader).
 */
export async function halfHourCountsRolledUntil(
  client: ClickHouseClient,
  q: HalfHourQuery,
  versions: Map<string, SettingsVersion[]>,
  state?: StoreState,
): Promise<{ halfHours: HalfHours; validUntil: number }> {
  if (!halfHourAligned(q.tz, q.from, q.to))
    return { halfHours: await halfHourCounts(client, q, versions), validUntil: q.now };
  const rolled = await rolledHalfHours(client, q, versions, state ?? (await readStoreState(client)), q.now);
  const contactLive = liveSpan(q, rolled.contacts);
  const agentLive = liveSpan(q, rolled.agents);
  const [live, liveAgents] = await Promise.all([
    contactLive ? contactRows(client, { ...q, ...contactLive }, versions) : Promise.resolve([]),
    agentLive ? agentRows(client, { ...q, ...agentLive }) : Promise.resolve([]),
  ]);
  return {
    halfHours: combined(rolled, live, liveAgents),
    validUntil: contactLive || agentLive ? q.now : rolled.nextClose,
  };
}

/** The rolled half-hours with the live rows of the half-hours not rolled (live rows of rolled ones dropped). */
function combined(
  rolled: Awaited<ReturnType<typeof rolledHalfHours>>,
  live: Array<Bucketed & { versions: unknown[] }>,
  liveAgents: Bucketed[],
): HalfHours {
  // In half-hour order, as the from-scratch rows come, so that sums over them add in the same order.
  const contacts = inBucketOrder([
    ...live.filter((r) => !rolled.contacts.has(Number(r.bucket))),
    ...[...rolled.contacts.values()].filter((r) => Number(r.offered) > 0),
  ]);
  const agents = inBucketOrder([
    ...liveAgents.filter((r) => !rolled.agents.has(Number(r.bucket))),
    ...[...rolled.agents].map(([bucket, a]) => ({ bucket, ...a })),
  ]);
  const out: HalfHours = new Map();
  addRows(out, contacts, agents);
  return out;
}

type ByQueue<T> = T & { queue: string };

/** The from-scratch contact and agent-time rows of each queue of `versions` over [from, to), two statements. */
async function rowsByQueue(
  client: ClickHouseClient,
  q: { from: number; to: number; tz: string; now: number },
  versions: Map<string, SettingsVersion[]>,
): Promise<{ contacts: Array<ByQueue<Bucketed & { versions: number[] }>>; agents: Array<ByQueue<Bucketed>> }> {
  const queues = [...versions.keys()];
  const windows = new Map(queues.map((queue) => [queue, fcrWindows(versions.get(queue)!)]));
  // One queue alone reads repeat visits only when its own windows can have closed.
  const visitQueues = queues.filter((queue) => needsVisits(q.from, q.now, windows.get(queue)!));
  const common = { queues, channel: '', from: chTime(q.from), to: chTime(q.to), tz: q.tz };
  const contactParams = {
    ...common,
    ...versionParams(versions),
    lag_days: LAG_DAYS,
    now: chTime(q.now),
    // Surveys are read up to the latest cut of any queue (see the report: only surveys dated
    // after that cut of a queue with a shorter FCR window could differ).
    later_to: laterTo(q.to, [...windows.values()].flat()),
    need_visits: visitQueues.length > 0,
    visit_queues: visitQueues,
  };
  const agentParams = { ...common, end: chTime(Math.min(q.to, q.now)) };
  const [contacts, agents] = await Promise.all([
    rowsOf<ByQueue<Bucketed & { versions: number[] }>>(client, CONTACT_FIGURES_BY_QUEUE_SQL, contactParams),
    q.from < Math.min(q.to, q.now)
      ? rowsOf<ByQueue<Bucketed>>(client, AGENT_TIME_BY_QUEUE_SQL, agentParams)
      : Promise.resolve([]),
  ]);
  return { contacts, agents };
}

/**
 * halfHourCounts of each queue of `versions` (all in time zone `tz`, all over [from, to)), in two
 * queries whatever the number of queues; each queue's map equals halfHourCounts for that queue
 * alone with its own versions.
 */
export async function halfHourCountsByQueue(
  client: ClickHouseClient,
  q: { from: number; to: number; tz: string; now: number },
  versions: Map<string, SettingsVersion[]>,
): Promise<Map<string, HalfHours>> {
  const { contacts, agents } = await rowsByQueue(client, q, versions);
  const out = new Map<string, HalfHours>();
  for (const queue of versions.keys()) {
    const half: HalfHours = new Map();
    addRows(
      half,
      contacts.filter((r) => r.queue === queue),
      agents.filter((r) => r.queue === queue),
    );
    out.set(queue, half);
  }
  return out;
}

/**
 * halfHourCountsByQueue with the rolled half-hours of each queue from this process's cache (as
 * halfHourCountsRolled reads one queue) and the rest of every queue from scratch in two statements
 * over the smallest span holding all of them; each queue's map equals halfHourCountsRolled for it.
 */
export async function halfHourCountsByQueueRolled(
  client: ClickHouseClient,
  q: { from: number; to: number; tz: string; now: number },
  versions: Map<string, SettingsVersion[]>,
  state?: StoreState,
): Promise<Map<string, HalfHours>> {
  if (!halfHourAligned(q.tz, q.from, q.to)) return halfHourCountsByQueue(client, q, versions);
  const known = state ?? (await readStoreState(client));
  const rolled = new Map<string, Awaited<ReturnType<typeof rolledHalfHours>>>();
  for (const queue of versions.keys())
    rolled.set(queue, await rolledHalfHours(client, { queue, from: q.from, to: q.to }, versions, known, q.now));
  let span: { from: number; to: number } | undefined;
  for (const r of rolled.values())
    for (const live of [liveSpan(q, r.contacts), liveSpan(q, r.agents)])
      if (live) span = span ? { from: Math.min(span.from, live.from), to: Math.max(span.to, live.to) } : live;
  const live = span ? await rowsByQueue(client, { ...q, ...span }, versions) : { contacts: [], agents: [] };
  const out = new Map<string, HalfHours>();
  for (const [queue, r] of rolled) {
    const own = <T extends { queue: string }>(rows: T[]) => rows.filter((row) => row.queue === queue);
    out.set(queue, combined(r, own(live.contacts), own(live.agents)));
  }
  return out;
}

function makeRow(
  start: number,
  end: number,
  tz: string,
  counts: Counts,
  used: Set<number>,
  v: SettingsVersion,
): MetricsRow {
  const formula: SlFormula = v.settings.sl_formula;
  return {
    start: new Date(start).toISOString(),
    end: new Date(end).toISOString(),
    start_local: localIso(start, tz),
    settings_versions: [...used].sort((a, b) => a - b),
    threshold_s: v.settings.threshold_s,
    sl_target: v.settings.sl_target,
    counts,
    ...ratios(counts, formula),
  };
}

/**
 * GET /v1/metrics' answer. `state` (the store state read once for the request) lets the settings
 * and the rolled half-hours come from this process's caches.
 */
export async function queryMetrics(
  client: ClickHouseClient,
  q: MetricsQuery,
  state?: StoreState,
): Promise<MetricsResult> {
  return (await queryMetricsUntil(client, q, state)).answer;
}

/**
 * queryMetrics with the instant until which the same answer holds for a later reader at the same
 * store state (`now` when part of it was computed live; see halfHourCountsRolledUntil). The
 * settings (time zone, formulas) are part of the state, so they cannot change meanwhile.
 */
export async function queryMetricsUntil(
  client: ClickHouseClient,
  q: MetricsQuery,
  state?: StoreState,
): Promise<{ answer: MetricsResult; validUntil: number }> {
  const known = state ?? (await readStoreState(client));
  const versions = await cachedVersions(client, known, q.queue ? [q.queue] : undefined);
  const range = metricsRange(q, versions);
  const { halfHours, validUntil } = await halfHourCountsRolledUntil(
    client,
    { ...q, from: range.from, to: range.to, tz: range.tz },
    versions,
    known,
  );
  return { answer: metricsResult(q, versions, range, halfHours), validUntil };
}

/** queryMetrics computed from per-contact state alone, without the rollup: the reference it must equal. */
export async function queryMetricsFromScratch(client: ClickHouseClient, q: MetricsQuery): Promise<MetricsResult> {
  const versions = await loadVersions(client, q.queue ? [q.queue] : undefined);
  const range = metricsRange(q, versions);
  const halfHours = await halfHourCounts(client, { ...q, from: range.from, to: range.to, tz: range.tz }, versions);
  return metricsResult(q, versions, range, halfHours);
}

export interface MetricsRange {
  tz: string;
  intervals: Array<{ start: number; end: number }>;
  from: number;
  to: number;
}

/** The zone and the [from, to) of whole intervals that queryMetrics reads for `q`. */
export function metricsRange(q: MetricsQuery, versions: Map<string, SettingsVersion[]>): MetricsRange {
  const tz = q.tz ?? versionsAt(q, versions)(q.now).settings.time_zone;
  const intervals = enumerate(q.from, q.to, q.interval, tz);
  return { tz, intervals, from: intervals[0]?.start ?? q.from, to: intervals.at(-1)?.end ?? q.to };
}

// Across all queues the default settings name the formula; per-queue rows use the queue's.
function versionsAt(q: MetricsQuery, versions: Map<string, SettingsVersion[]>) {
  const own = q.queue ? versions.get(q.queue)! : undefined;
  return (ms: number) => (own ? versionAt(own, ms) : defaultVersion('*'));
}

/** queryMetrics' answer from the half-hour counts it read (or that were read for many queues at once). */
export function metricsResult(
  q: MetricsQuery,
  versions: Map<string, SettingsVersion[]>,
  range: MetricsRange,
  halfHours: HalfHours,
): MetricsResult {
  const at = versionsAt(q, versions);
  const { tz, intervals, from, to } = range;
  const byStart = new Map(intervals.map((i) => [i.start, { ...i, counts: emptyCounts(), used: new Set<number>() }]));
  const total = emptyCounts();
  const usedAll = new Set<number>();
  for (const [start, counts] of halfHours) {
    const target = byStart.get(intervalStart(start, q.interval, tz));
    if (!target) continue;
    addCounts(target.counts, counts);
    addCounts(total, counts);
    for (const v of counts.versions) {
      target.used.add(v);
      usedAll.add(v);
    }
  }
  const rows = [...byStart.values()].map((i) => makeRow(i.start, i.end, tz, i.counts, i.used, at(i.start)));
  return {
    queue: q.queue ?? null,
    channel: q.channel ?? null,
    interval: q.interval,
    time_zone: tz,
    from: new Date(from).toISOString(),
    to: new Date(to).toISOString(),
    rows,
    total: makeRow(from, to, tz, total, usedAll, at(from)),
  };
}
