// Store access of the agents routes: the live view (readers of the same queue filter share one
// computation), attention limits, queue time zones, rosters and the solved plan a roster is
// checked against. Every statement runs under the request's deadline.
import type { ClickHouseClient } from '@clickhouse/client';
import { fromStore } from '../errors.js';
import { liveAgents, type LiveAgents } from '../../../agents/live.js';
import { limitsOf, loadLimits, saveLimits } from '../../../agents/limits.js';
import {
  latestRostersNear,
  loadRosters,
  publishRoster,
  type Assignment,
  type OtherRoster,
  type PlanShift,
} from '../../../agents/roster.js';
import { listQueues } from '../../../metrics/realtime.js';
import { currentVersion, loadVersions } from '../../../metrics/settings.js';
import { readPlan } from '../staffing/data.js';

export interface AgentsData {
  client: ClickHouseClient;
  timeoutMs: number;
  silenceMs: number;
  now: () => number;
}

/**
 * The live view, shared: an answer still being computed (or, for a stream, younger than half
 * its period) serves every reader of the same queue filter.
 */
export function sharedLiveAgents(d: AgentsData): (queue: string | undefined, maxAgeMs: number) => Promise<LiveAgents> {
  const shared = new Map<string, { at: number; promise: Promise<LiveAgents>; done: boolean }>();
  return (queue, maxAgeMs) => {
    const key = queue ?? '\u0000all';
    const hit = shared.get(key);
    if (hit && (!hit.done || performance.now() - hit.at < maxAgeMs)) return hit.promise;
    const entry = {
      at: performance.now(),
      promise: fromStore(() => liveAgents(d.client, d.now(), { silenceMs: d.silenceMs, queue }), d.timeoutMs),
      done: false,
    };
    shared.set(key, entry);
    entry.promise.then(
      () => {
        entry.done = true;
        setTimeout(() => shared.get(key) === entry && shared.delete(key), 30_000).unref();
      },
      () => shared.get(key) === entry && shared.delete(key),
    );
    return entry.promise;
  };
}

/** Attention limits of every known queue (those without their own: the defaults). */
export async function allLimits(d: AgentsData) {
  const [queues, limits] = await fromStore(
    () => Promise.all([listQueues(d.client), loadLimits(d.client)]),
    d.timeoutMs,
  );
  const names = [...new Set([...queues, ...limits.keys()])].sort();
  return names.map((q) => limitsOf(q, limits));
}

export function putLimits(
  d: AgentsData,
  queue: string,
  body: { wrap_up_limit_s: number; break_limit_s: number },
  who: string,
) {
  return fromStore(() => saveLimits(d.client, queue, body, who, d.now()), d.timeoutMs);
}

/** The queue's time zone in force now. */
export async function queueZone(d: AgentsData, queue: string): Promise<string> {
  const versions = (await fromStore(() => loadVersions(d.client, [queue]), d.timeoutMs)).get(queue)!;
  return currentVersion(versions, d.now()).settings.time_zone;
}

/** The shifts of the plan solved for the queue's week, or undefined when none was solved. */
export async function planShifts(d: AgentsData, queue: string, week: string): Promise<PlanShift[] | undefined> {
  const stored = await readPlan(d, queue, week);
  if (!stored) return undefined;
  return ((JSON.parse(stored.plan) as { shifts?: PlanShift[] }).shifts ?? []).map((s) => ({
    date: s.date,
    start: s.start,
    end: s.end,
    agents: Number(s.agents),
  }));
}

export function rosters(d: AgentsData, queue: string, week: string) {
  return fromStore(() => loadRosters(d.client, queue, week), d.timeoutMs);
}

/** The latest version of every published roster of a week near `week`, with its queue's time zone now. */
export async function rostersNear(client: AgentsData['client'], week: string, now: number): Promise<OtherRoster[]> {
  const all = await latestRostersNear(client, week);
  const versions = await loadVersions(client, [...new Set(all.map((r) => r.queue))]);
  return all.map((r) => ({
    queue: r.queue,
    week: r.week,
    version: r.version,
    tz: currentVersion(versions.get(r.queue)!, now).settings.time_zone,
    assignments: r.assignments,
  }));
}

/** Publishes after `check`, which runs in the publisher's turn (see publishRoster). */
export function publish(
  d: AgentsData,
  queue: string,
  week: string,
  assignments: Assignment[],
  who: string,
  check?: (others: OtherRoster[]) => void,
) {
  return fromStore(
    () =>
      publishRoster(d.client, queue, week, assignments, who, d.now(), async () =>
        check?.(await rostersNear(d.client, week, d.now())),
      ),
    d.timeoutMs,
  );
}
