// Agent scorecards: the queue figures (src/metrics) restricted to one agent. The metrics code
// runs unchanged, on a client whose every statement carries ClickHouse's additional_table_filters
// setting: contact_state keeps only the contacts the agent completed (the agent of the contact's
// first contact.completed), agent_state_events only the agent's own states. So a scorecard's
// handled, handle times, transfers, surveys, repeat-contact FCR and occupancy have exactly the
// definitions of the queue figures (docs/metrics.md): one home for every definition.
import type { ClickHouseClient } from '@clickhouse/client';
import { ratios, type Counts } from '../metrics/figures.js';
import { halfHourCounts, LAG_DAYS, metricsRange, metricsResult, type MetricsQuery } from '../metrics/query.js';
import { currentVersion, DEFAULT_SETTINGS, loadVersions } from '../metrics/settings.js';
import { nextLocalDay, startOfLocalDay, startOfLocalWeek } from '../metrics/tz.js';
import { intervalEnd } from '../metrics/intervals.js';
import { chTime } from '../store/time.js';
import type { AdherenceTotals } from './adherence.js';

export type Period = 'day' | 'week';

/**
 * A string as a ClickHouse expression without quotes: char(97, 49) is 'a1'. Values cannot be
 * bound as parameters inside a setting; bytes as numbers cannot break out of the expression.
 */
export function charsSql(text: string): string {
  const bytes = [...Buffer.from(text, 'utf8')];
  return bytes.length === 0 ? `substring(char(32), 1, 0)` : `char(${bytes.join(', ')})`;
}

const msSql = (ms: number) => `fromUnixTimestamp64Milli(toInt64(${Math.round(ms)}))`;

/** additional_table_filters restricting the metrics statements to the contacts and states of `agents`. */
export function agentFilters(agents: readonly string[], from: number, to: number): string {
  const list = agents.map(charsSql).join(', ');
  // Contacts completed by the agents: completions happen after the contact was queued and within
  // the LAG_DAYS the metrics read at most.
  const completed =
    `contact_id IN (SELECT contact_id FROM contact_events WHERE type = ${charsSql('contact.completed')} ` +
    `AND occurred_at >= ${msSql(from)} AND occurred_at < ${msSql(to + (LAG_DAYS + 1) * 86_400_000)} ` +
    `GROUP BY contact_id HAVING argMin(agent_id, (occurred_at, event_id)) IN (${list}))`;
  const states = `agent_id IN (${list})`;
  // A ClickHouse map literal: the keys are fixed table names, the values contain no quotes.
  return `{'contact_state': '${completed}', 'agent_state_events': '${states}'}`;
}

/** `client` with every query restricted by `filters` (additional_table_filters). */
export function filteredClient(client: ClickHouseClient, filters: string): ClickHouseClient {
  return new Proxy(client, {
    get(target, prop, receiver) {
      if (prop === 'query') {
        return (params: Parameters<ClickHouseClient['query']>[0]) =>
          target.query({
            ...params,
            clickhouse_settings: { ...params.clickhouse_settings, additional_table_filters: filters as never },
          } as Parameters<ClickHouseClient['query']>[0]);
      }
      const value = Reflect.get(target, prop, receiver) as unknown;
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
}

/** A ratio with the counts it is made of. */
export interface Ratio {
  value: number | null;
  [count: string]: number | null;
}

export interface Scorecard {
  /** The agent, or null for a team's total. */
  agent_id: string | null;
  agents: string[];
  queue: string | null;
  period: Period;
  time_zone: string;
  from: string;
  to: string;
  handled: number;
  aht_s: Ratio;
  avg_talk_s: Ratio;
  avg_hold_s: Ratio;
  avg_wrap_s: Ratio;
  transfer_rate: Ratio;
  fcr_survey: Ratio;
  fcr_repeat: Ratio;
  csat_pct: Ratio;
  nps: Ratio;
  occupancy: Ratio;
  counts: Counts;
  settings_versions: number[];
  /** Against the queue's published rosters (with a queue only; docs/agents.md, Adherence). */
  adherence: AdherenceTotals | null;
}

export interface ScorecardQuery {
  period: Period;
  /** Any instant of the day or week (its local day or week). */
  at: number;
  queue?: string;
  /** Time zone of the day or week; default the queue's, or UTC. */
  tz?: string;
  now: number;
}

/** The [from, to) of the local day or week holding `at`. */
export function periodRange(period: Period, at: number, tz: string): { from: number; to: number } {
  const from = period === 'day' ? startOfLocalDay(at, tz) : startOfLocalWeek(at, tz);
  return { from, to: period === 'day' ? nextLocalDay(from, tz) : intervalEnd(from, '1w', tz) };
}

export async function zoneOf(client: ClickHouseClient, q: ScorecardQuery): Promise<string> {
  if (q.tz) return q.tz;
  if (!q.queue) return DEFAULT_SETTINGS.time_zone;
  const versions = (await loadVersions(client, [q.queue])).get(q.queue)!;
  return currentVersion(versions, q.now).settings.time_zone;
}

/** The scorecard of the contacts and states of `agents` together (one agent, or a team's total). */
export async function scorecard(
  client: ClickHouseClient,
  agents: readonly string[],
  q: ScorecardQuery & { tz: string },
): Promise<Scorecard> {
  const { from, to } = periodRange(q.period, q.at, q.tz);
  const mq: MetricsQuery = { queue: q.queue, from, to, interval: '1d', tz: q.tz, now: q.now };
  const versions = await loadVersions(client, q.queue ? [q.queue] : undefined);
  const range = metricsRange(mq, versions);
  const restricted = filteredClient(client, agentFilters(agents, range.from, range.to));
  const halfHours = await halfHourCounts(
    restricted,
    { queue: q.queue, from: range.from, to: range.to, tz: range.tz, now: q.now },
    versions,
  );
  const total = metricsResult(mq, versions, range, halfHours).total;
  return cardOf(agents.length === 1 ? agents[0]! : null, agents, q, range.tz, from, to, total.counts, total);
}

function cardOf(
  agent: string | null,
  agents: readonly string[],
  q: ScorecardQuery,
  tz: string,
  from: number,
  to: number,
  c: Counts,
  row: { settings_versions: number[] },
): Scorecard {
  const r = ratios(c, DEFAULT_SETTINGS.sl_formula);
  const handleS = c.talk_s + c.hold_s + c.wrap_s;
  return {
    agent_id: agent,
    agents: [...agents],
    queue: q.queue ?? null,
    period: q.period,
    time_zone: tz,
    from: new Date(from).toISOString(),
    to: new Date(to).toISOString(),
    handled: c.handled,
    aht_s: { value: r.aht_s, handle_s: handleS, handled: c.handled },
    avg_talk_s: { value: r.avg_talk_s, talk_s: c.talk_s, handled: c.handled },
    avg_hold_s: { value: r.avg_hold_s, hold_s: c.hold_s, handled: c.handled },
    avg_wrap_s: { value: r.avg_wrap_s, wrap_s: c.wrap_s, handled: c.handled },
    transfer_rate: { value: r.transfer_rate, transferred: c.transferred, handled: c.handled },
    fcr_survey: { value: r.fcr_survey, yes: c.fcr_yes, answers: c.fcr_n },
    fcr_repeat: {
      value: r.fcr_repeat,
      resolved: c.fcr_repeat_resolved,
      eligible: c.fcr_repeat_eligible,
      pending: c.fcr_repeat_pending,
    },
    csat_pct: { value: r.csat_pct, satisfied: c.csat_4_5, answers: c.csat_n },
    nps: { value: r.nps, promoters: c.promoters, detractors: c.detractors, answers: c.nps_n },
    occupancy: { value: r.occupancy, busy_s: c.busy_s, available_s: c.available_s },
    counts: c,
    settings_versions: row.settings_versions,
    adherence: null,
  };
}

/** Every agent that completed a contact queued in [from, to) (in `queue` when given) or sent a state (naming `queue`) in it. */
export async function agentsOf(
  client: ClickHouseClient,
  q: { queue?: string; from: number; to: number },
): Promise<string[]> {
  const rows = await (
    await client.query({
      query: `
SELECT DISTINCT who AS agent_id FROM (
  SELECT argMin(agent_id, (occurred_at, event_id)) AS who FROM contact_events
  WHERE type = 'contact.completed' AND agent_id != ''
    AND occurred_at >= {from:DateTime64(3)} AND occurred_at < {later:DateTime64(3)}
    AND contact_id IN (
      SELECT contact_id FROM contact_events WHERE type = 'contact.queued'
        AND ({queue:String} = '' OR queue = {queue:String})
        AND occurred_at >= {from:DateTime64(3)} AND occurred_at < {to:DateTime64(3)})
  GROUP BY contact_id
  UNION ALL
  SELECT agent_id AS who FROM agent_state_events
  WHERE occurred_at >= {from:DateTime64(3)} AND occurred_at < {to:DateTime64(3)}
    AND ({queue:String} = '' OR has(queues, {queue:String}))
)
ORDER BY agent_id`,
      query_params: {
        queue: q.queue ?? '',
        from: chTime(q.from),
        to: chTime(q.to),
        later: chTime(q.to + (LAG_DAYS + 1) * 86_400_000),
      },
      format: 'JSONEachRow',
    })
  ).json<{ agent_id: string }>();
  return rows.map((r) => r.agent_id);
}

export interface TeamScorecards {
  queue: string | null;
  period: Period;
  time_zone: string;
  from: string;
  to: string;
  agents: Scorecard[];
  team: Scorecard;
}

/** One scorecard per agent (in agent order) and the team's total (all of them together). */
export async function teamScorecards(
  client: ClickHouseClient,
  agents: readonly string[],
  q: ScorecardQuery & { tz: string },
): Promise<TeamScorecards> {
  const cards: Scorecard[] = [];
  for (const agent of agents) cards.push(await scorecard(client, [agent], q));
  const team = await scorecard(client, agents, q);
  return {
    queue: q.queue ?? null,
    period: q.period,
    time_zone: team.time_zone,
    from: team.from,
    to: team.to,
    agents: cards,
    team,
  };
}

const CSV_COLUMNS = [
  'agent_id',
  'queue',
  'period',
  'from',
  'to',
  'handled',
  'aht_s',
  'talk_s',
  'hold_s',
  'wrap_s',
  'avg_talk_s',
  'avg_hold_s',
  'avg_wrap_s',
  'transferred',
  'transfer_rate',
  'fcr_survey',
  'fcr_yes',
  'fcr_answers',
  'fcr_repeat',
  'fcr_repeat_resolved',
  'fcr_repeat_eligible',
  'fcr_repeat_pending',
  'csat_pct',
  'csat_4_5',
  'csat_answers',
  'nps',
  'promoters',
  'detractors',
  'nps_answers',
  'occupancy',
  'busy_s',
  'available_s',
  'adherence',
  'in_adherence_min',
  'scheduled_min',
  'conformance',
  'worked_min',
  'planned_work_min',
] as const;

const csvCell = (v: unknown): string => {
  if (v === null || v === undefined) return '';
  const s = String(v);
  // Quote text that CSV or a spreadsheet would misread (a leading = + - @ is a formula there).
  return /[",\n\r]|^[=+\-@]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};

/** The team view as CSV: one line per agent, then the team's total (agent_id "team"). */
export function scorecardsCsv(t: TeamScorecards): string {
  const line = (s: Scorecard) => {
    const c = s.counts;
    const values: Record<(typeof CSV_COLUMNS)[number], unknown> = {
      agent_id: s.agent_id ?? 'team',
      queue: s.queue ?? '',
      period: s.period,
      from: s.from,
      to: s.to,
      handled: s.handled,
      aht_s: s.aht_s.value,
      talk_s: c.talk_s,
      hold_s: c.hold_s,
      wrap_s: c.wrap_s,
      avg_talk_s: s.avg_talk_s.value,
      avg_hold_s: s.avg_hold_s.value,
      avg_wrap_s: s.avg_wrap_s.value,
      transferred: c.transferred,
      transfer_rate: s.transfer_rate.value,
      fcr_survey: s.fcr_survey.value,
      fcr_yes: c.fcr_yes,
      fcr_answers: c.fcr_n,
      fcr_repeat: s.fcr_repeat.value,
      fcr_repeat_resolved: c.fcr_repeat_resolved,
      fcr_repeat_eligible: c.fcr_repeat_eligible,
      fcr_repeat_pending: c.fcr_repeat_pending,
      csat_pct: s.csat_pct.value,
      csat_4_5: c.csat_4_5,
      csat_answers: c.csat_n,
      nps: s.nps.value,
      promoters: c.promoters,
      detractors: c.detractors,
      nps_answers: c.nps_n,
      occupancy: s.occupancy.value,
      busy_s: c.busy_s,
      available_s: c.available_s,
      adherence: s.adherence?.adherence,
      in_adherence_min: s.adherence?.in_adherence_min,
      scheduled_min: s.adherence?.scheduled_min,
      conformance: s.adherence?.conformance,
      worked_min: s.adherence?.worked_min,
      planned_work_min: s.adherence?.planned_work_min,
    };
    return CSV_COLUMNS.map((k) => csvCell(values[k])).join(',');
  };
  return [CSV_COLUMNS.join(','), ...t.agents.map(line), line(t.team)].join('\n') + '\n';
}
