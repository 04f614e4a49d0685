// The figures of the planner's-loop rules for every queue at one instant: today so far against
// the edited forecast and the current half-hour's staffing gap (the wallboard snapshot and the
// requirement rows with the planner's edits), and each team's adherence over the rule's window
// (src/agents/adherence.ts: the day judged up to now minus the day judged up to the window's start).
import type { ClickHouseClient } from '@clickhouse/client';
import { dayAdherence } from '../agents/adherence.js';
import { snapshotAll } from '../metrics/realtime.js';
import { editedHalfHours, requirementsNow, type StaffingGap } from '../metrics/staffing-gap.js';
import { localParts } from '../metrics/tz.js';
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
  let rostered = false;
  // Each local day the window touches: judged up to now, less judged up to the window's start.
  for (const date of new Set([ymd(start, tz), ymd(now, tz)])) {
    const upToNow = await dayAdherence(client, { queue, date, now, silenceMs });
    if (upToNow.roster === null && upToNow.team.scheduled_min === 0) continue;
    rostered = true;
    const before = await dayAdherence(client, { queue, date, now: start, silenceMs });
    out.scheduled_min += upToNow.team.scheduled_min - before.team.scheduled_min;
    out.in_adherence_min += upToNow.team.in_adherence_min - before.team.in_adherence_min;
    out.agents = Math.max(out.agents, upToNow.agents.filter((a) => a.rostered).length);
  }
  return rostered ? out : null;
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
  if (live.length > 0) {
    const [snaps, needed] = await Promise.all([
      live.length === 1 ? snapshotAll(client, now, live[0]) : snapshotAll(client, now),
      requirementsNow(client, live, now),
    ]);
    for (const s of snaps) {
      const data = out.get(s.queue);
      if (!data || !live.includes(s.queue)) continue;
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
