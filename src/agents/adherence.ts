// Adherence and conformance of a queue's day against its published roster, minute by minute.
//
// - Each minute [m, m + 1 min) of the queue's local day is judged by the agent's state in force
//   at its first instant m: that of its latest agent.state event at or before m (by occurred_at,
//   then event_id), so a change exactly on a boundary counts from the minute it starts, and a
//   late event counts where it belongs whenever it arrives. A state older than the silence limit
//   (not offline) is "unknown", as in the live view.
// - Planned activity: "work" inside a rostered shift outside its breaks, "break" in a break.
//   In adherence: working (available, on_contact, wrap_up) when planned to work, on a break when
//   planned a break. Adherence = minutes in adherence ÷ scheduled minutes.
// - Conformance = minutes worked (any time of the day) ÷ minutes planned to work.
// - Only whole minutes before `now` are judged: a day in progress is judged up to now.
import type { ClickHouseClient } from '@clickhouse/client';
import { currentVersion, loadVersions } from '../metrics/settings.js';
import { localMidnight, localParts, nextLocalDay, startOfLocalWeek } from '../metrics/tz.js';
import { chTime } from '../store/time.js';
import { loadRosters, shiftOf, type RosterVersion } from './roster.js';

const MINUTE = 60_000;
const WORK = new Set(['available', 'on_contact', 'wrap_up']);

export type Planned = 'work' | 'break';

export interface OutOfAdherence {
  from: string;
  to: string;
  minutes: number;
  planned: Planned;
  /** The state in force, or "unknown" (silent beyond the limit, or never reported). */
  actual: string;
}

export interface AgentAdherence {
  agent_id: string;
  /** False: the agent is not on the roster (unplanned) but reported states naming the queue. */
  rostered: boolean;
  scheduled_min: number;
  in_adherence_min: number;
  adherence: number | null;
  planned_work_min: number;
  worked_min: number;
  conformance: number | null;
  out_of_adherence: OutOfAdherence[];
}

export interface DayAdherence {
  queue: string;
  date: string;
  time_zone: string;
  from: string;
  to: string;
  /** Minutes judged up to here (the day's end, or now for a day in progress). */
  judged_to: string;
  roster: { week: string; version: number; published_at: string } | null;
  agents: AgentAdherence[];
  team: Omit<AgentAdherence, 'agent_id' | 'rostered' | 'out_of_adherence'> & { agents: number };
}

const ymd = (ms: number, tz: string) => {
  const p = localParts(ms, tz);
  return `${p.year}-${String(p.month).padStart(2, '0')}-${String(p.day).padStart(2, '0')}`;
};
const ratio = (n: number, d: number) => (d > 0 ? n / d : null);
const ms = (ch: string) => Date.parse(`${ch.replace(' ', 'T')}Z`);

const STATES_SQL = `
SELECT agent_id, groupArray((toString(occurred_at), toString(event_id), state)) AS evs,
  max(has(queues, {queue:String}) AND occurred_at >= {from:DateTime64(3)}) AS names_queue
FROM agent_state_events
WHERE occurred_at >= {since:DateTime64(3)} AND occurred_at < {to:DateTime64(3)}
GROUP BY agent_id`;

export async function dayAdherence(
  client: ClickHouseClient,
  q: { queue: string; date: string; now: number; silenceMs: number; version?: number },
): Promise<DayAdherence> {
  const versions = (await loadVersions(client, [q.queue])).get(q.queue)!;
  const tz = currentVersion(versions, q.now).settings.time_zone;
  const [y, m, d] = q.date.split('-').map(Number) as [number, number, number];
  const from = localMidnight(y, m, d, tz);
  const to = nextLocalDay(from, tz);
  const judgedTo = Math.max(from, Math.min(to, Math.floor(q.now / MINUTE) * MINUTE));
  // This week's roster, and the previous week's for shifts crossing into a Monday.
  const week = ymd(startOfLocalWeek(from, tz), tz);
  const prevWeek = ymd(startOfLocalWeek(from - 12 * 3_600_000, tz), tz);
  const mine = await loadRosters(client, q.queue, week, q.version);
  const roster: RosterVersion | undefined = mine.at(-1);
  const previous = prevWeek !== week ? (await loadRosters(client, q.queue, prevWeek)).at(-1) : undefined;
  const shifts = [...(roster?.assignments ?? []), ...(previous?.assignments ?? [])]
    .map((a) => shiftOf(a, tz))
    .filter((s) => s.from < to && s.to > from);

  const found = await (
    await client.query({
      query: STATES_SQL,
      query_params: { queue: q.queue, since: chTime(from - 86_400_000), from: chTime(from), to: chTime(judgedTo) },
      format: 'JSONEachRow',
    })
  ).json<{ agent_id: string; evs: Array<[string, string, string]>; names_queue: number | boolean }>();
  const events = new Map(found.map((r) => [r.agent_id, r]));
  const rostered = new Set(shifts.map((s) => s.agent_id));
  const agents = [
    ...new Set([...rostered, ...found.filter((r) => Number(r.names_queue) === 1).map((r) => r.agent_id)]),
  ];
  agents.sort();

  const minutes = Math.round((judgedTo - from) / MINUTE);
  const out: AgentAdherence[] = agents.map((agent) => {
    // Planned activity per minute.
    const plan: Array<Planned | undefined> = new Array<Planned | undefined>(minutes);
    for (const s of shifts.filter((x) => x.agent_id === agent)) {
      for (let i = Math.max(0, Math.ceil((s.from - from) / MINUTE)); i < minutes && from + i * MINUTE < s.to; i++) {
        const t = from + i * MINUTE;
        plan[i] = s.breaks.some((b) => t >= b.from && t < b.to) ? 'break' : 'work';
      }
    }
    // The state in force at each minute's start.
    const evs = (events.get(agent)?.evs ?? [])
      .map(([t, id, state]) => ({ t: ms(t), id, state }))
      .sort((a, b) => a.t - b.t || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    let k = -1;
    const row: AgentAdherence = {
      agent_id: agent,
      rostered: rostered.has(agent),
      scheduled_min: 0,
      in_adherence_min: 0,
      adherence: null,
      planned_work_min: 0,
      worked_min: 0,
      conformance: null,
      out_of_adherence: [],
    };
    for (let i = 0; i < minutes; i++) {
      const t = from + i * MINUTE;
      while (k + 1 < evs.length && evs[k + 1]!.t <= t) k++;
      const last = k >= 0 ? evs[k]! : undefined;
      const actual =
        last === undefined || (last.state !== 'offline' && t - last.t > q.silenceMs) ? 'unknown' : last.state;
      if (WORK.has(actual)) row.worked_min++;
      const planned = plan[i];
      if (planned === undefined) continue;
      row.scheduled_min++;
      if (planned === 'work') row.planned_work_min++;
      const ok = planned === 'work' ? WORK.has(actual) : actual === 'break';
      if (ok) {
        row.in_adherence_min++;
        continue;
      }
      const prev = row.out_of_adherence.at(-1);
      if (prev && Date.parse(prev.to) === t && prev.planned === planned && prev.actual === actual) {
        prev.to = new Date(t + MINUTE).toISOString();
        prev.minutes++;
      } else
        row.out_of_adherence.push({
          from: new Date(t).toISOString(),
          to: new Date(t + MINUTE).toISOString(),
          minutes: 1,
          planned,
          actual,
        });
    }
    row.adherence = ratio(row.in_adherence_min, row.scheduled_min);
    row.conformance = ratio(row.worked_min, row.planned_work_min);
    return row;
  });
  const sum = (f: (a: AgentAdherence) => number) => out.reduce((s, a) => s + f(a), 0);
  const team = {
    agents: out.length,
    scheduled_min: sum((a) => a.scheduled_min),
    in_adherence_min: sum((a) => a.in_adherence_min),
    adherence: null as number | null,
    planned_work_min: sum((a) => a.planned_work_min),
    // Conformance of the team counts the work of its rostered agents only.
    worked_min: sum((a) => (a.rostered ? a.worked_min : 0)),
    conformance: null as number | null,
  };
  team.adherence = ratio(team.in_adherence_min, team.scheduled_min);
  team.conformance = ratio(team.worked_min, team.planned_work_min);
  return {
    queue: q.queue,
    date: q.date,
    time_zone: tz,
    from: new Date(from).toISOString(),
    to: new Date(to).toISOString(),
    judged_to: new Date(judgedTo).toISOString(),
    roster: roster ? { week, version: roster.version, published_at: roster.published_at } : null,
    agents: out,
    team,
  };
}

export interface AdherenceTotals {
  scheduled_min: number;
  in_adherence_min: number;
  adherence: number | null;
  planned_work_min: number;
  worked_min: number;
  conformance: number | null;
}

/**
 * Adherence summed over the local days of [from, to) in `queue` (dayAdherence of each day that
 * has begun), per agent, and for `agents` together.
 */
export async function periodAdherence(
  client: ClickHouseClient,
  q: { queue: string; from: number; to: number; tz: string; now: number; silenceMs: number },
  agents: readonly string[],
): Promise<{ byAgent: Map<string, AdherenceTotals>; together: AdherenceTotals }> {
  const empty = (): AdherenceTotals => ({
    scheduled_min: 0,
    in_adherence_min: 0,
    adherence: null,
    planned_work_min: 0,
    worked_min: 0,
    conformance: null,
  });
  const byAgent = new Map(agents.map((a) => [a, empty()]));
  const together = empty();
  for (let day = q.from; day < q.to && day < q.now; day = nextLocalDay(day, q.tz)) {
    const d = await dayAdherence(client, { queue: q.queue, date: ymd(day, q.tz), now: q.now, silenceMs: q.silenceMs });
    for (const a of d.agents) {
      const t = byAgent.get(a.agent_id);
      if (!t) continue;
      for (const into of [t, together]) {
        into.scheduled_min += a.scheduled_min;
        into.in_adherence_min += a.in_adherence_min;
        into.planned_work_min += a.planned_work_min;
        into.worked_min += a.worked_min;
      }
    }
  }
  for (const t of [...byAgent.values(), together]) {
    t.adherence = ratio(t.in_adherence_min, t.scheduled_min);
    t.conformance = ratio(t.worked_min, t.planned_work_min);
  }
  return { byAgent, together };
}
