// What the agents routes answer, apart from HTTP: scorecards (one agent, a team, with adherence
// when a queue is named), publishing a roster checked against the week's solved plan, and a
// queue's day of adherence.
import { BadRequest, fromStore } from '../errors.js';
import { parseTime } from '../params.js';
import { isTimeZone } from '../../../metrics/tz.js';
import {
  agentsOf,
  periodRange,
  scorecard,
  scorecardsCsv,
  teamScorecards,
  zoneOf,
  type Period,
} from '../../../agents/scorecard.js';
import {
  checkAcrossRosters,
  checkAgainstPlan,
  checkRoster,
  parseRosterCsv,
  RosterError,
  type Assignment,
} from '../../../agents/roster.js';
import { dayAdherence, periodAdherence } from '../../../agents/adherence.js';
import { planShifts, publish, queueZone, type AgentsData } from './data.js';

/** Scorecards are read one agent at a time: a team view names at most this many. */
export const MAX_TEAM = 200;

interface ScoreParams {
  period?: string;
  date?: string;
  queue?: string;
  tz?: string;
}

async function scoreQuery(d: AgentsData, q: ScoreParams) {
  if (q.tz !== undefined && !isTimeZone(q.tz)) throw new BadRequest('tz', `unknown time zone "${q.tz}"`);
  const base = { period: (q.period ?? 'day') as Period, at: d.now(), queue: q.queue, tz: q.tz, now: d.now() };
  const tz = await fromStore(() => zoneOf(d.client, base), d.timeoutMs);
  const at = parseTime('date', q.date, tz) ?? d.now();
  return { ...base, at, tz };
}

type Query = Awaited<ReturnType<typeof scoreQuery>>;

function adherenceOf(d: AgentsData, q: Query, queue: string, agents: string[]) {
  return fromStore(
    () =>
      periodAdherence(
        d.client,
        { queue, ...periodRange(q.period, q.at, q.tz), tz: q.tz, now: q.now, silenceMs: d.silenceMs },
        agents,
      ),
    d.timeoutMs * 3,
  );
}

export async function agentScorecard(d: AgentsData, agentId: string, params: ScoreParams) {
  const q = await scoreQuery(d, params);
  const card = await fromStore(() => scorecard(d.client, [agentId], q), d.timeoutMs * 3);
  if (q.queue) card.adherence = (await adherenceOf(d, q, q.queue, [agentId])).together;
  return card;
}

/** A team's scorecards as JSON, or as CSV with its file name. */
export async function teamCards(d: AgentsData, params: ScoreParams & { agents?: string; format?: string }) {
  const q = await scoreQuery(d, params);
  const named = params.agents
    ?.split(',')
    .map((a) => a.trim())
    .filter((a) => a !== '');
  const agents =
    named && named.length > 0
      ? [...new Set(named)]
      : await fromStore(
          () => agentsOf(d.client, { queue: q.queue, ...periodRange(q.period, q.at, q.tz) }),
          d.timeoutMs,
        );
  if (agents.length > MAX_TEAM)
    throw new BadRequest('agents', `${agents.length} agents; a team view reads at most ${MAX_TEAM}`);
  const body = await fromStore(
    () => teamScorecards(d.client, agents, q),
    d.timeoutMs * Math.max(1, Math.ceil(agents.length / 4)),
  );
  if (q.queue) {
    const a = await adherenceOf(d, q, q.queue, agents);
    for (const card of body.agents) card.adherence = a.byAgent.get(card.agent_id!) ?? null;
    body.team.adherence = a.together;
  }
  if (params.format !== 'csv') return { body };
  const name = `scorecards-${q.queue ?? 'all'}-${q.period}-${body.from.slice(0, 10)}.csv`.replace(/[^\w.-]/g, '_');
  return { body, csv: { name, text: scorecardsCsv(body) } };
}

const rosterError = (error: unknown): never => {
  if (error instanceof RosterError) throw new BadRequest(error.field, error.message.replace(`${error.field}: `, ''));
  throw error;
};

/**
 * Publishes queue's roster for a week (JSON assignments, or CSV text with `csvWeek`), after
 * checking it (dates in the week, breaks in shifts, no agent on overlapping shifts), against
 * the plan solved for that week (its shifts, agents per shift, the queue among the skills), and
 * against the other published plans (no agent on overlapping shifts of two plans; the earlier
 * versions of this queue's week are replaced, so they do not count).
 */
export async function publishChecked(
  d: AgentsData,
  queue: string,
  body: string | { week: string; assignments: Assignment[] },
  csvWeek: string | undefined,
  who: string,
) {
  let week: string;
  let assignments: Assignment[] = [];
  if (typeof body === 'string') {
    if (!csvWeek) throw new BadRequest('week', 'a CSV roster needs ?week=YYYY-MM-DD (its Monday)');
    week = csvWeek;
    try {
      assignments = parseRosterCsv(body);
    } catch (error) {
      rosterError(error);
    }
  } else {
    week = body.week;
    assignments = body.assignments;
  }
  const tz = await queueZone(d, queue);
  let checked: Assignment[] = [];
  try {
    checked = checkRoster(week, assignments, tz);
  } catch (error) {
    rosterError(error);
  }
  const plan = await planShifts(d, queue, week);
  if (!plan)
    throw new BadRequest(
      'week',
      `no plan solved for queue ${queue} week ${week}: solve one (POST /v1/schedule/solve) before publishing its roster`,
    );
  try {
    checkAgainstPlan(queue, week, checked, plan);
  } catch (error) {
    rosterError(error);
  }
  const row = typeof body === 'string' ? (i: number) => `csv line ${i + 2}: ` : undefined;
  return publish(d, queue, week, checked, who, (others) => {
    try {
      checkAcrossRosters(queue, week, checked, tz, others, row);
    } catch (error) {
      rosterError(error);
    }
  });
}

export async function adherenceDay(d: AgentsData, q: { queue: string; date?: string; version?: number }) {
  const date = q.date ?? new Intl.DateTimeFormat('en-CA', { timeZone: await queueZone(d, q.queue) }).format(d.now());
  return fromStore(
    () => dayAdherence(d.client, { queue: q.queue, date, now: d.now(), silenceMs: d.silenceMs, version: q.version }),
    d.timeoutMs * 3,
  );
}
