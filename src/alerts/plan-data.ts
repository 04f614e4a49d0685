// The figures of the planner's-loop rules for every queue at one instant: today so far against
// the edited forecast and the current half-hour's staffing gap (the wallboard snapshot and the
// requirement rows with the planner's edits), and each team's adherence over the rule's window
// (src/agents/adherence.ts: the day judged up to now minus the day judged up to the window's start).
import type { ClickHouseClient } from '@clickhouse/client';
import { dayAdherence } from '../agents/adherence.js';
import { loadRosters } from '../agents/roster.js';
import { snapshotAll } from '../metrics/realtime.js';
import { editedHalfHours, requirementsNow, type RequirementNow, type StaffingGap } from '../metrics/staffing-gap.js';
import { localParts, startOfLocalDay, startOfLocalWeek } from '../metrics/tz.js';
import { judgeDeviation, soFar, type DeviationVerdict } from './deviation.js';
import type { WindowAdherence } from './plan-conditions.js';
import type { RuleSet } from './rules.js';

export interface PlanData {
  deviation: DeviationVerdict | null;
  gap: StaffingGap | null;
  adherence: WindowAdherence | null;
}

const ymd = (ms: number, tz: string) => {
  const p = localParts(ms, tz);
  return `${p.year}-${String(p.month).padStart(2, '0')}-${String(p.day).padStart(2, '0')}`;
};

/**
 * Whether a roster can plan the local day holding `ms`: its week's, or the previous week's for a
 * shift crossing into a Monday (as dayAdherence reads them). Two light reads instead of a day's states.
 */
async function hasRoster(client: ClickHouseClient, queue: string, ms: number, tz: string): Promise<boolean> {
  const midnight = startOfLocalDay(ms, tz);
  const weeks = new Set([
    ymd(startOfLocalWeek(midnight, tz), tz),
    ymd(startOfLocalWeek(midnight - 12 * 3_600_000, tz), tz),
  ]);
  for (const week of weeks) if ((await loadRosters(client, queue, week)).length > 0) return true;
  return false;
}

/** The team's scheduled and in-adherence agent-minutes in [now − window, now). */
export async function windowAdherence(
  client: ClickHouseClient,
  queue: string,
  tz: string,
  now: number,
  windowMin: number,
  silenceMs: number,
): Promise<WindowAdherence | null> {
  const start = now - windowMin * 60_000;
  const out: WindowAdherence = { window_min: windowMin, scheduled_min: 0, in_adherence_min: 0, agents: 0 };
  let judged = false;
  // Each local day the window touches: judged up to now, less judged up to the window's start.
  const days = new Map([
    [ymd(start, tz), start],
    [ymd(now, tz), now],
  ]);
  for (const [date, inDay] of days) {
    if (!(await hasRoster(client, queue, inDay, tz))) continue;
    const upToNow = await dayAdherence(client, { queue, date, now, silenceMs });
    if (upToNow.roster === null && upToNow.team.scheduled_min === 0) continue;
    judged = true;
    const before = await dayAdherence(client, { queue, date, now: start, silenceMs });
    out.scheduled_min += upToNow.team.scheduled_min - before.team.scheduled_min;
    out.in_adherence_min += upToNow.team.in_adherence_min - before.team.in_adherence_min;
    out.agents = Math.max(out.agents, upToNow.agents.filter((a) => a.rostered).length);
  }
  return judged ? out : null;
}

export async function planData(
  client: ClickHouseClient,
  queues: string[],
  rules: Map<string, RuleSet>,
  zones: Map<string, string>,
  now: number,
  silenceMs: number,
): Promise<Map<string, PlanData>> {
  const out = new Map<string, PlanData>(queues.map((q) => [q, { deviation: null, gap: null, adherence: null }]));
  const on = (q: string) => {
    const r = rules.get(q)!;
    return { live: r.forecast_deviation.enabled || r.staffing_gap.enabled, team: r.team_adherence.enabled };
  };
  const live = queues.filter((q) => on(q).live);
  // Without a forecast run covering today there is nothing to judge: the wallboard snapshot (the
  // costly part) is read only for queues with requirement rows, and for one such queue alone.
  const needed = live.length > 0 ? await requirementsNow(client, live, now) : new Map<string, RequirementNow[]>();
  const planned = live.filter((q) => (needed.get(q)?.length ?? 0) > 0);
  if (planned.length > 0) {
    const snaps = await snapshotAll(client, now, planned.length === 1 ? planned[0] : undefined);
    for (const s of snaps) {
      const data = out.get(s.queue);
      if (!data || !planned.includes(s.queue)) continue;
      data.gap = s.staffing ?? null;
      const half = editedHalfHours(needed.get(s.queue) ?? [], s.half_hours);
      if (half.some((h) => h.forecast_offered !== null)) {
        const { observed, expected } = soFar(half, now);
        data.deviation = judgeDeviation(observed, expected, rules.get(s.queue)!.forecast_deviation);
      }
    }
  }
  for (const queue of queues.filter((q) => on(q).team)) {
    const r = rules.get(queue)!.team_adherence;
    out.get(queue)!.adherence = await windowAdherence(
      client,
      queue,
      zones.get(queue) ?? 'UTC',
      now,
      r.window_min,
      silenceMs,
    );
  }
  return out;
}
