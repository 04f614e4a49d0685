// GET /v1/metrics in one function: half-hour counts from ClickHouse, rolled up in the queue's
// time zone to the requested interval, ratios computed from the summed counts.
import type { ClickHouseClient } from '@clickhouse/client';
import { AGENT_TIME_SQL, CONTACT_FIGURES_SQL } from './contacts-sql.js';
import { addCounts, emptyCounts, ratios, type Counts, type Ratios } from './figures.js';
import { enumerate, intervalStart, type Interval } from './intervals.js';
import { DEFAULT_SETTINGS, chTime, defaultVersion, loadVersions, versionAt, type SettingsVersion, type SlFormula } from './settings.js';
import { localIso } from './tz.js';

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

async function rowsOf<T>(client: ClickHouseClient, query: string, params: Record<string, unknown>): Promise<T[]> {
  return (await client.query({ query, query_params: params, format: 'JSONEachRow' })).json<T>();
}

/** Flat, sorted arrays of every settings version, for the per-contact lookup in SQL. */
export function versionParams(all: Map<string, SettingsVersion[]>) {
  const list = [...all.values()].flat().filter((v) => v.version > 0);
  list.sort((a, b) => a.queue.localeCompare(b.queue) || Date.parse(a.effective_from) - Date.parse(b.effective_from) || a.version - b.version);
  return {
    sv_queue: list.map((v) => v.queue),
    sv_from: list.map((v) => chTime(Date.parse(v.effective_from))),
    sv_thr: list.map((v) => v.settings.threshold_s),
    sv_short: list.map((v) => v.settings.short_abandon_s),
    sv_win: list.map((v) => v.settings.fcr_window_days),
    sv_ver: list.map((v) => v.version),
    d_thr: DEFAULT_SETTINGS.threshold_s,
    d_short: DEFAULT_SETTINGS.short_abandon_s,
    d_win: DEFAULT_SETTINGS.fcr_window_days,
  };
}

/** Half-hour counts (contacts and agent time) keyed by the half-hour's start instant. */
export async function halfHourCounts(
  client: ClickHouseClient, q: { queue?: string; channel?: string; from: number; to: number; tz: string; now: number },
  versions: Map<string, SettingsVersion[]>,
): Promise<Map<number, Counts & { versions: number[] }>> {
  const windows = [DEFAULT_SETTINGS.fcr_window_days, ...[...versions.values()].flat().map((v) => v.settings.fcr_window_days)];
  const maxWindow = Math.max(...windows);
  // Repeat visits matter only for contacts whose FCR window has closed; today's never has.
  const needVisits = q.from + Math.min(...windows) * 86_400_000 <= q.now;
  const common = { queue: q.queue ?? '', channel: q.channel ?? '', from: chTime(q.from), to: chTime(q.to), tz: q.tz };
  const contactParams = {
    ...common, ...versionParams(versions), lag_days: LAG_DAYS, now: chTime(q.now),
    later_to: chTime(q.to + (maxWindow + LAG_DAYS) * 86_400_000),
    need_visits: needVisits,
  };
  const agentParams = { ...common, end: chTime(Math.min(q.to, q.now)) };
  const [contacts, agents] = await Promise.all([
    rowsOf<Bucketed & { versions: number[] }>(client, CONTACT_FIGURES_SQL, contactParams),
    q.from < Math.min(q.to, q.now) ? rowsOf<Bucketed>(client, AGENT_TIME_SQL, agentParams) : Promise.resolve([]),
  ]);
  const out = new Map<number, Counts & { versions: number[] }>();
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
  return out;
}

function makeRow(start: number, end: number, tz: string, counts: Counts, used: Set<number>, v: SettingsVersion): MetricsRow {
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

export async function queryMetrics(client: ClickHouseClient, q: MetricsQuery): Promise<MetricsResult> {
  const versions = await loadVersions(client, q.queue ? [q.queue] : undefined);
  const own = q.queue ? versions.get(q.queue)! : undefined;
  // Across all queues the default settings name the formula; per-queue rows use the queue's.
  const at = (ms: number) => (own ? versionAt(own, ms) : defaultVersion('*'));
  const tz = q.tz ?? at(q.now).settings.time_zone;
  const intervals = enumerate(q.from, q.to, q.interval, tz);
  const from = intervals[0]?.start ?? q.from;
  const to = intervals.at(-1)?.end ?? q.to;
  const halfHours = await halfHourCounts(client, { ...q, from, to, tz }, versions);

  const byStart = new Map(intervals.map((i) => [i.start, { ...i, counts: emptyCounts(), used: new Set<number>() }]));
  const total = emptyCounts();
  const usedAll = new Set<number>();
  for (const [start, counts] of halfHours) {
    const target = byStart.get(intervalStart(start, q.interval, tz));
    if (!target) continue;
    addCounts(target.counts, counts);
    addCounts(total, counts);
    for (const v of counts.versions) (target.used.add(v), usedAll.add(v));
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
