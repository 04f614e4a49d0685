// Rosters (sql/081_agent_rosters.sql): named agents on the shifts of a queue's week, published in
// versions. Shift and break times are local wall-clock times in the queue's time zone.
import type { ClickHouseClient } from '@clickhouse/client';
import { localMidnight, offsetMs, startOfLocalWeek, localParts } from '../metrics/tz.js';
import { chTime } from '../store/time.js';

export interface Assignment {
  agent_id: string;
  /** Queues the agent serves on this shift (its skills). */
  skills: string[];
  /** Local date of the shift start, YYYY-MM-DD. */
  date: string;
  /** Local "HH:MM"; an end at or before the start ends on the next day. */
  start: string;
  end: string;
  breaks: Array<{ start: string; end: string }>;
}

export interface RosterVersion {
  queue: string;
  week: string;
  version: number;
  published_at: string;
  published_by: string;
  assignments: Assignment[];
}

export class RosterError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(`${field}: ${message}`);
  }
}

const HHMM = /^([01]\d|2[0-3]):([0-5]\d)$|^24:00$/;
const DATE = /^(\d{4})-(\d\d)-(\d\d)$/;

/** The instant of local wall-clock time `hhmm` on local date `date` in `tz` (DST-aware). */
export function localInstant(date: string, hhmm: string, tz: string): number {
  const d = DATE.exec(date);
  const t = HHMM.exec(hhmm);
  if (!d || !t) throw new RosterError('time', `expected YYYY-MM-DD and HH:MM, got "${date}" "${hhmm}"`);
  if (hhmm === '24:00') {
    const midnight = localMidnight(Number(d[1]), Number(d[2]), Number(d[3]), tz);
    const p = localParts(midnight + 36 * 3_600_000, tz);
    return localMidnight(p.year, p.month, p.day, tz);
  }
  const wall = Date.UTC(Number(d[1]), Number(d[2]) - 1, Number(d[3]), Number(t[1]), Number(t[2]));
  let at = wall - offsetMs(wall, tz);
  at = wall - offsetMs(at, tz);
  return at;
}

export interface PlannedShift {
  agent_id: string;
  skills: string[];
  from: number;
  to: number;
  breaks: Array<{ from: number; to: number }>;
}

/** An assignment as instants: the end (and a break) at or before its start falls on the next day. */
export function shiftOf(a: Assignment, tz: string): PlannedShift {
  const from = localInstant(a.date, a.start, tz);
  let to = localInstant(a.date, a.end, tz);
  if (to <= from) to = localInstant(nextDate(a.date), a.end, tz);
  const breaks = a.breaks.map((b) => {
    let bf = localInstant(a.date, b.start, tz);
    if (bf < from) bf = localInstant(nextDate(a.date), b.start, tz);
    let bt = localInstant(a.date, b.end, tz);
    if (bt <= bf) bt = localInstant(nextDate(a.date), b.end, tz);
    return { from: bf, to: bt };
  });
  return { agent_id: a.agent_id, skills: a.skills, from, to, breaks };
}

function nextDate(date: string): string {
  const d = DATE.exec(date)!;
  return new Date(Date.UTC(Number(d[1]), Number(d[2]) - 1, Number(d[3]) + 1)).toISOString().slice(0, 10);
}

/** Checks a roster of the week starting on Monday `week` (local) and returns it normalised. */
export function checkRoster(week: string, assignments: Assignment[], tz: string): Assignment[] {
  const w = DATE.exec(week);
  if (!w) throw new RosterError('week', `expected the week's Monday as YYYY-MM-DD, got "${week}"`);
  const monday = localMidnight(Number(w[1]), Number(w[2]), Number(w[3]), tz);
  if (startOfLocalWeek(monday, tz) !== monday) throw new RosterError('week', `${week} is not a Monday`);
  const byAgent = new Map<string, PlannedShift[]>();
  assignments.forEach((a, i) => {
    const at = `assignments[${i}]`;
    if (!DATE.exec(a.date)) throw new RosterError(`${at}.date`, `expected YYYY-MM-DD, got "${a.date}"`);
    const day = localInstant(a.date, '00:00', tz);
    if (day < monday || day >= monday + 7.5 * 86_400_000 || startOfLocalWeek(day, tz) !== monday)
      throw new RosterError(`${at}.date`, `${a.date} is not in the week of ${week}`);
    for (const [k, v] of [
      ['start', a.start],
      ['end', a.end],
    ] as const)
      if (!HHMM.test(v)) throw new RosterError(`${at}.${k}`, `expected HH:MM, got "${v}"`);
    const s = shiftOf(a, tz);
    a.breaks.forEach((b, j) => {
      if (!HHMM.test(b.start) || !HHMM.test(b.end))
        throw new RosterError(`${at}.breaks[${j}]`, `expected HH:MM, got "${b.start}"-"${b.end}"`);
      const sb = s.breaks[j]!;
      if (sb.from < s.from || sb.to > s.to)
        throw new RosterError(`${at}.breaks[${j}]`, `${b.start}-${b.end} is not inside the shift ${a.start}-${a.end}`);
    });
    const mine = byAgent.get(a.agent_id) ?? [];
    const overlap = mine.find((o) => o.from < s.to && s.from < o.to);
    if (overlap)
      throw new RosterError(at, `agent ${a.agent_id} already has a shift overlapping ${a.date} ${a.start}-${a.end}`);
    mine.push(s);
    byAgent.set(a.agent_id, mine);
  });
  return assignments.map((a) => ({ ...a, skills: [...new Set(a.skills)], breaks: a.breaks.map((b) => ({ ...b })) }));
}

interface Row {
  queue: string;
  week: string;
  version: number;
  published_at: string;
  published_by: string;
  assignments: string;
}

const fromRow = (r: Row): RosterVersion => ({
  queue: r.queue,
  week: r.week,
  version: Number(r.version),
  published_at: `${r.published_at.replace(' ', 'T')}Z`,
  published_by: r.published_by,
  assignments: JSON.parse(r.assignments) as Assignment[],
});

/** Versions of the roster of `queue` for the week starting `week` (all, or one), oldest first. */
export async function loadRosters(
  client: ClickHouseClient,
  queue: string,
  week: string,
  version?: number,
): Promise<RosterVersion[]> {
  const rows = await (
    await client.query({
      query: `SELECT queue, toString(week) AS w, version, toString(published_at) AS p, published_by, assignments
              FROM agent_rosters FINAL
              WHERE queue = {queue:String} AND week = {week:Date} AND ({version:UInt32} = 0 OR version = {version:UInt32})
              ORDER BY version`,
      query_params: { queue, week, version: version ?? 0 },
      format: 'JSONEachRow',
    })
  ).json<Omit<Row, 'week' | 'published_at'> & { w: string; p: string }>();
  return rows.map((r) => fromRow({ ...r, week: r.w, published_at: r.p }));
}

/** The latest version of every roster of weeks starting within 7 days of `week` (any queue). */
export async function latestRostersNear(client: ClickHouseClient, week: string): Promise<RosterVersion[]> {
  const rows = await (
    await client.query({
      query: `SELECT queue, toString(week) AS w, version, toString(published_at) AS p, published_by, assignments
              FROM agent_rosters FINAL
              WHERE week >= {week:Date} - 7 AND week <= {week:Date} + 7
              ORDER BY queue, week, version DESC
              LIMIT 1 BY queue, week`,
      query_params: { week },
      format: 'JSONEachRow',
    })
  ).json<Omit<Row, 'week' | 'published_at'> & { w: string; p: string }>();
  return rows.map((r) => fromRow({ ...r, week: r.w, published_at: r.p }));
}

// Version numbers come from the store; one publisher at a time per process keeps them unique,
// and `check` (the look across other rosters) runs in that turn, so two publications cannot
// both pass it against the state before the other.
let publishing: Promise<unknown> = Promise.resolve();

export async function publishRoster(
  client: ClickHouseClient,
  queue: string,
  week: string,
  assignments: Assignment[],
  who: string,
  now: number,
  check?: () => Promise<void>,
): Promise<RosterVersion> {
  const run = publishing.then(async () => {
    await check?.();
    const versions = await loadRosters(client, queue, week);
    const version = (versions.at(-1)?.version ?? 0) + 1;
    const row = {
      queue,
      week,
      version,
      published_at: chTime(now),
      published_by: who,
      assignments: JSON.stringify(assignments),
    };
    await client.insert({ table: 'agent_rosters', values: [row], format: 'JSONEachRow' });
    return fromRow({ ...row, published_at: chTime(now) });
  });
  publishing = run.catch(() => undefined);
  return run;
}

/**
 * A roster CSV: a header line naming agent_id, skills, date, start, end and breaks (any order);
 * skills separated by "|" (e.g. billing|sales), breaks as "HH:MM-HH:MM" separated by "|".
 */
export function parseRosterCsv(text: string): Assignment[] {
  const lines = text.split(/\r?\n/).filter((l) => l.trim() !== '');
  if (lines.length === 0) throw new RosterError('csv', 'empty');
  const cells = (line: string) => line.split(',').map((c) => c.trim().replace(/^"(.*)"$/, '$1'));
  const head = cells(lines[0]!);
  const col = (name: string) => {
    const i = head.indexOf(name);
    if (i < 0) throw new RosterError('csv', `no column "${name}" (have ${head.join(', ')})`);
    return i;
  };
  const [ia, is, id, ist, ie, ib] = ['agent_id', 'skills', 'date', 'start', 'end', 'breaks'].map(col) as number[];
  return lines.slice(1).map((line, k) => {
    const c = cells(line);
    const breaks = (c[ib!] ?? '')
      .split('|')
      .filter((b) => b !== '')
      .map((b) => {
        const m = /^(\d\d:\d\d)-(\d\d:\d\d)$/.exec(b.trim());
        if (!m) throw new RosterError(`csv line ${k + 2}`, `break "${b}" is not HH:MM-HH:MM`);
        return { start: m[1]!, end: m[2]! };
      });
    const agent = c[ia!] ?? '';
    if (agent === '') throw new RosterError(`csv line ${k + 2}`, 'agent_id is empty');
    return {
      agent_id: agent,
      skills: (c[is!] ?? '').split('|').filter((s) => s !== ''),
      date: c[id!] ?? '',
      start: c[ist!] ?? '',
      end: c[ie!] ?? '',
      breaks,
    };
  });
}

/** A shift of a solved plan (docs/staffing.md, Plan JSON): local date and times, agents wanted. */
export interface PlanShift {
  date: string;
  start: string;
  end: string;
  agents: number;
}

// A shift ending at midnight is "00:00" in a plan and may be "24:00" in a roster.
const clock = (hhmm: string) => (hhmm === '24:00' ? '00:00' : hhmm);

/**
 * Checks a roster of `queue` against the plan solved for its week: every assignment is one of
 * the plan's shifts (same local date, start and end; its breaks may be placed differently), no
 * shift gets more agents than the plan has on it (plan shifts with the same times count
 * together), and every rostered agent has the queue among its skills. Agents double-booked on
 * overlapping shifts are refused by checkRoster.
 */
export function checkAgainstPlan(queue: string, week: string, assignments: Assignment[], plan: PlanShift[]): void {
  const wanted = new Map<string, number>();
  for (const s of plan) {
    const key = `${s.date} ${clock(s.start)}-${clock(s.end)}`;
    wanted.set(key, (wanted.get(key) ?? 0) + s.agents);
  }
  const taken = new Map<string, number>();
  assignments.forEach((a, i) => {
    const at = `assignments[${i}]`;
    if (!a.skills.includes(queue))
      throw new RosterError(
        `${at}.skills`,
        `agent ${a.agent_id} does not have ${queue} among its skills (${a.skills.join(', ') || 'none'}); the plan staffs ${queue}`,
      );
    const key = `${a.date} ${clock(a.start)}-${clock(a.end)}`;
    const cap = wanted.get(key);
    if (cap === undefined) {
      const same = [...wanted.keys()].filter((k) => k.startsWith(`${a.date} `)).map((k) => k.slice(11));
      throw new RosterError(
        at,
        `no shift ${a.date} ${a.start}-${a.end} in the plan solved for ${queue} week ${week}` +
          (same.length > 0 ? ` (that day: ${same.join(', ')})` : ' (none that day)'),
      );
    }
    const n = (taken.get(key) ?? 0) + 1;
    if (n > cap)
      throw new RosterError(
        at,
        `shift ${a.date} ${a.start}-${a.end} has ${cap} agent${cap === 1 ? '' : 's'} in the plan; agent ${a.agent_id} would be number ${n}`,
      );
    taken.set(key, n);
  });
}

/** A published roster with its queue's time zone, as another plan a new roster is checked against. */
export interface OtherRoster {
  queue: string;
  week: string;
  version: number;
  tz: string;
  assignments: Assignment[];
}

/**
 * Refuses an agent double-booked across plans: a shift of the new roster of `queue`'s week that
 * overlaps in time (instants, whatever the two queues' time zones) a shift of the same agent on
 * another published roster. `others` are the latest versions of the other plans; the plan being
 * replaced (the same queue and week) is not among them, so a new version may move its own
 * agents. `row(i)` names the assignment in the message (a CSV line, say).
 */
export function checkAcrossRosters(
  queue: string,
  week: string,
  assignments: Assignment[],
  tz: string,
  others: OtherRoster[],
  row: (i: number) => string = () => '',
): void {
  const theirs = new Map<string, Array<{ other: OtherRoster; a: Assignment; s: PlannedShift }>>();
  for (const other of others) {
    if (other.queue === queue && other.week === week) continue;
    for (const a of other.assignments) {
      const list = theirs.get(a.agent_id) ?? [];
      list.push({ other, a, s: shiftOf(a, other.tz) });
      theirs.set(a.agent_id, list);
    }
  }
  assignments.forEach((a, i) => {
    const list = theirs.get(a.agent_id);
    if (!list) return;
    const s = shiftOf(a, tz);
    const hit = list.find((o) => o.s.from < s.to && s.from < o.s.to);
    if (!hit) return;
    const { other, a: b } = hit;
    // Local times of two zones are named with their zones.
    const [zone, own] = other.tz === tz ? ['', ''] : [` (${other.tz})`, ` (${tz})`];
    throw new RosterError(
      `assignments[${i}].agent_id`,
      `${row(i)}agent ${a.agent_id} is already on the roster of queue ${other.queue} week ${other.week} ` +
        `(version ${other.version}) on ${b.date} ${b.start}-${b.end}${zone}, which overlaps ${a.date} ${a.start}-${a.end}${own}`,
    );
  });
}
