// The live agents view: GET /v1/agents (every agent's state, time in state, open contact and
// today's handled contacts, sorted by what needs attention), GET /v1/agents/stream (the same as
// Server-Sent Events), the per-queue attention limits, and the page at /agents.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import Type from 'typebox';
import type { FastifyPluginAsync } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { AGENT_STATES } from '../../events/index.js';
import { agentSilenceMs } from '../../agents/config.js';
import { liveAgents, type LiveAgents } from '../../agents/live.js';
import { limitsOf, loadLimits, saveLimits } from '../../agents/limits.js';
import { listQueues } from '../../metrics/realtime.js';
import { isTimeZone } from '../../metrics/tz.js';
import {
  agentsOf,
  periodRange,
  scorecard,
  scorecardsCsv,
  teamScorecards,
  zoneOf,
  type Period,
} from '../../agents/scorecard.js';
import { parseTime } from './params.js';
import {
  checkRoster,
  loadRosters,
  parseRosterCsv,
  publishRoster,
  RosterError,
  type Assignment,
} from '../../agents/roster.js';
import { dayAdherence, periodAdherence } from '../../agents/adherence.js';
import { currentVersion, loadVersions } from '../../metrics/settings.js';
import type { AppDeps } from '../app.js';
import { BadRequest, ErrorBody, StoreUnavailable, fromStore, installErrorHandler } from './errors.js';

const PAGE = readFileSync(fileURLToPath(new URL('../../web/agents.html', import.meta.url)), 'utf8');

const STATES = [...AGENT_STATES, 'unknown'] as const;
const Nullable = <T extends Type.TSchema>(t: T) => Type.Union([t, Type.Null()]);
const QueueName = Type.String({ minLength: 1, maxLength: 128 });

export const LiveAgentSchema = Type.Object({
  agent_id: Type.String(),
  state: Type.Enum([...STATES], {
    description: '"unknown": not heard from within the silence limit, or never sent a state',
  }),
  reported_state: Nullable(Type.Enum([...AGENT_STATES])),
  state_since: Type.String({ description: 'start of the current state (at the earliest, 24 h ago)' }),
  time_in_state_s: Type.Number(),
  last_heard_at: Type.String(),
  silent_s: Type.Number(),
  queues: Type.Array(Type.String(), { description: 'queues of the latest agent.state event' }),
  contact: Nullable(
    Type.Object({ contact_id: Type.String(), queue: Nullable(Type.String()), answered_at: Type.String() }),
  ),
  queue: Nullable(Type.String({ description: "the open contact's queue" })),
  handled_today: Type.Integer(),
  handled_today_by_queue: Type.Record(Type.String(), Type.Integer()),
  limit_s: Nullable(Type.Number()),
  over_limit_s: Nullable(Type.Number()),
  attention: Nullable(Type.Enum(['over_limit', 'unknown'])),
});

export const LiveAgentsSchema = Type.Object({
  generated_at: Type.String(),
  silence_s: Type.Number(),
  queue: Nullable(Type.String()),
  counts: Type.Record(Type.String(), Type.Integer()),
  agents: Type.Array(LiveAgentSchema),
});

const Limits = Type.Object({
  queue: Type.String(),
  wrap_up_limit_s: Type.Integer(),
  break_limit_s: Type.Integer(),
  default: Type.Boolean({ description: 'true: the queue has no limits of its own' }),
  changed_at: Nullable(Type.String()),
  changed_by: Nullable(Type.String()),
});
const LimitsBody = Type.Object(
  {
    wrap_up_limit_s: Type.Integer({ minimum: 1, maximum: 86_400 }),
    break_limit_s: Type.Integer({ minimum: 1, maximum: 86_400 }),
  },
  { additionalProperties: false },
);

const Query = Type.Object({ queue: Type.Optional(QueueName) });

const RatioSchema = Type.Object(
  { value: Nullable(Type.Number()) },
  {
    additionalProperties: Type.Union([Type.Number(), Type.Null()]),
    description: 'the ratio and the counts it is made of',
  },
);
export const ScorecardSchema = Type.Object({
  agent_id: Nullable(Type.String({ description: "null: the team's total" })),
  agents: Type.Array(Type.String()),
  queue: Nullable(Type.String()),
  period: Type.Enum(['day', 'week']),
  time_zone: Type.String(),
  from: Type.String(),
  to: Type.String(),
  handled: Type.Integer(),
  aht_s: RatioSchema,
  avg_talk_s: RatioSchema,
  avg_hold_s: RatioSchema,
  avg_wrap_s: RatioSchema,
  transfer_rate: RatioSchema,
  fcr_survey: RatioSchema,
  fcr_repeat: RatioSchema,
  csat_pct: RatioSchema,
  nps: RatioSchema,
  occupancy: RatioSchema,
  counts: Type.Record(Type.String(), Type.Number()),
  settings_versions: Type.Array(Type.Integer()),
  adherence: Nullable(
    Type.Object(
      {
        scheduled_min: Type.Integer(),
        in_adherence_min: Type.Integer(),
        adherence: Nullable(Type.Number()),
        planned_work_min: Type.Integer(),
        worked_min: Type.Integer(),
        conformance: Nullable(Type.Number()),
      },
      { description: "against the queue's published rosters; null without queue=" },
    ),
  ),
});
const ScorecardQuery = Type.Object({
  period: Type.Optional(Type.Enum(['day', 'week'], { description: 'default day' })),
  date: Type.Optional(
    Type.String({ maxLength: 40, description: 'a day of the period (YYYY-MM-DD, local) or an instant; default today' }),
  ),
  queue: Type.Optional(QueueName),
  tz: Type.Optional(
    Type.String({
      minLength: 1,
      maxLength: 64,
      description: "IANA zone of the day or week; default the queue's, or UTC",
    }),
  ),
});
const TeamQuery = Type.Object({
  ...ScorecardQuery.properties,
  agents: Type.Optional(
    Type.String({
      maxLength: 16_384,
      description:
        'comma-separated agent ids; default every agent that completed a contact queued in the period (in the queue) or sent a state (naming it)',
    }),
  ),
  format: Type.Optional(Type.Enum(['json', 'csv'])),
});
const Hhmm = Type.String({ pattern: '^([01]\\d|2[0-3]):[0-5]\\d$|^24:00$' });
const AssignmentSchema = Type.Object(
  {
    agent_id: Type.String({ minLength: 1, maxLength: 256 }),
    skills: Type.Array(QueueName, { maxItems: 64, description: 'queues the agent serves on this shift' }),
    date: Type.String({ pattern: '^\\d{4}-\\d\\d-\\d\\d$', description: 'local date of the shift start' }),
    start: Hhmm,
    end: Hhmm,
    breaks: Type.Array(Type.Object({ start: Hhmm, end: Hhmm }, { additionalProperties: false }), { maxItems: 8 }),
  },
  { additionalProperties: false },
);
const RosterSchema = Type.Object({
  queue: Type.String(),
  week: Type.String(),
  version: Type.Integer(),
  published_at: Type.String(),
  published_by: Type.String(),
  assignments: Type.Array(AssignmentSchema),
});
const RosterBody = Type.Object(
  {
    week: Type.String({ pattern: '^\\d{4}-\\d\\d-\\d\\d$', description: "the week's Monday (local)" }),
    assignments: Type.Array(AssignmentSchema, { maxItems: 20_000 }),
  },
  { additionalProperties: false },
);
const OutSchema = Type.Object({
  from: Type.String(),
  to: Type.String(),
  minutes: Type.Integer(),
  planned: Type.Enum(['work', 'break']),
  actual: Type.String(),
});
const AdherenceFigures = {
  scheduled_min: Type.Integer(),
  in_adherence_min: Type.Integer(),
  adherence: Nullable(Type.Number()),
  planned_work_min: Type.Integer(),
  worked_min: Type.Integer(),
  conformance: Nullable(Type.Number()),
};
const AdherenceSchema = Type.Object({
  queue: Type.String(),
  date: Type.String(),
  time_zone: Type.String(),
  from: Type.String(),
  to: Type.String(),
  judged_to: Type.String(),
  roster: Nullable(Type.Object({ week: Type.String(), version: Type.Integer(), published_at: Type.String() })),
  agents: Type.Array(
    Type.Object({
      agent_id: Type.String(),
      rostered: Type.Boolean(),
      ...AdherenceFigures,
      out_of_adherence: Type.Array(OutSchema),
    }),
  ),
  team: Type.Object({ agents: Type.Integer(), ...AdherenceFigures }),
});

/** Scorecards are read one agent at a time: a team view names at most this many. */
export const MAX_TEAM = 200;
const StreamQuery = Type.Object({
  queue: Type.Optional(QueueName),
  interval_ms: Type.Optional(Type.Integer({ minimum: 250, maximum: 60_000, description: 'default 2000' })),
});

export const agentRoutes: FastifyPluginAsync<AppDeps> = async (fastify, deps) => {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  installErrorHandler(app);
  const timeoutMs = deps.queryTimeoutMs ?? 10_000;
  const silenceMs = deps.agentSilenceMs ?? agentSilenceMs();
  const now = () => deps.now?.() ?? Date.now();

  // Readers share one computation: an answer still being computed (or, for a stream, younger
  // than half its period) serves every reader of the same queue filter.
  const shared = new Map<string, { at: number; promise: Promise<LiveAgents>; done: boolean }>();
  const answer = (queue: string | undefined, maxAgeMs: number): Promise<LiveAgents> => {
    const key = queue ?? '\u0000all';
    const hit = shared.get(key);
    if (hit && (!hit.done || performance.now() - hit.at < maxAgeMs)) return hit.promise;
    const entry = {
      at: performance.now(),
      promise: fromStore(() => liveAgents(deps.store.client, now(), { silenceMs, queue }), timeoutMs),
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

  const streams = new Set<() => void>();
  fastify.addHook('preClose', async () => {
    for (const end of streams) end();
  });

  app.get(
    '/v1/agents',
    {
      schema: {
        summary:
          'Live agents: state, time in state, open contact and queue, handled today (queue-local day); sorted by what needs attention',
        querystring: Query,
        response: { 200: LiveAgentsSchema, 400: ErrorBody, 503: ErrorBody },
      },
    },
    async (request) => answer(request.query.queue, 0),
  );

  app.get(
    '/v1/agents/stream',
    {
      schema: {
        summary:
          'Server-Sent Events: event "agents" (the /v1/agents body) every interval; "unavailable" while the store is down',
        querystring: StreamQuery,
      },
    },
    async (request, reply) => {
      const period = request.query.interval_ms ?? deps.realtimeIntervalMs ?? 2_000;
      reply.hijack();
      const res = reply.raw;
      res.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-cache, no-transform',
        connection: 'keep-alive',
        'x-accel-buffering': 'no',
      });
      res.write(`retry: ${Math.max(period, 1000)}\n\n`);
      let closed = false;
      let timer: NodeJS.Timeout | undefined;
      const send = async () => {
        if (closed) return;
        try {
          const body = await answer(request.query.queue, period / 2);
          if (!closed) res.write(`event: agents\ndata: ${JSON.stringify(body)}\n\n`);
        } catch (error) {
          const message =
            error instanceof StoreUnavailable ? error.message : `agents failed: ${(error as Error).message}`;
          if (!closed) res.write(`event: unavailable\ndata: ${JSON.stringify({ error: message })}\n\n`);
        }
        if (!closed) timer = setTimeout(send, period);
      };
      const stop = () => {
        closed = true;
        clearTimeout(timer);
        streams.delete(end);
      };
      const end = () => {
        stop();
        res.end();
      };
      streams.add(end);
      request.raw.on('close', stop);
      void send();
    },
  );

  app.get(
    '/v1/agents/limits',
    {
      schema: {
        summary: 'Attention limits (wrap-up, break) of every known queue; queues without their own use the defaults',
        response: { 200: Type.Object({ queues: Type.Array(Limits) }), 503: ErrorBody },
      },
    },
    async () => {
      const [queues, limits] = await fromStore(
        () => Promise.all([listQueues(deps.store.client), loadLimits(deps.store.client)]),
        timeoutMs,
      );
      const names = [...new Set([...queues, ...limits.keys()])].sort();
      return { queues: names.map((q) => limitsOf(q, limits)) };
    },
  );

  app.put(
    '/v1/agents/limits/:queue',
    {
      schema: {
        summary: "Set a queue's attention limits: seconds in wrap-up and on a break before an agent needs attention",
        params: Type.Object({ queue: QueueName }),
        body: LimitsBody,
        response: { 200: Limits, 400: ErrorBody, 503: ErrorBody },
      },
    },
    async (request) => {
      const who = request.apiKey?.name ?? 'anonymous (open API)';
      return fromStore(() => saveLimits(deps.store.client, request.params.queue, request.body, who, now()), timeoutMs);
    },
  );

  const scoreQuery = async (q: { period?: string; date?: string; queue?: string; tz?: string }) => {
    if (q.tz !== undefined && !isTimeZone(q.tz)) throw new BadRequest('tz', `unknown time zone "${q.tz}"`);
    const base = { period: (q.period ?? 'day') as Period, at: now(), queue: q.queue, tz: q.tz, now: now() };
    const tz = await fromStore(() => zoneOf(deps.store.client, base), timeoutMs);
    const at = parseTime('date', q.date, tz) ?? now();
    return { ...base, at, tz };
  };

  app.get(
    '/v1/agents/:agent_id/scorecard',
    {
      schema: {
        summary:
          "An agent's scorecard for a local day or week: handled, AHT (talk, hold, wrap), transfer rate, survey and repeat FCR, CSAT, NPS, occupancy, each with its counts",
        params: Type.Object({ agent_id: Type.String({ minLength: 1, maxLength: 256 }) }),
        querystring: ScorecardQuery,
        response: { 200: ScorecardSchema, 400: ErrorBody, 503: ErrorBody },
      },
    },
    async (request) => {
      const q = await scoreQuery(request.query);
      const card = await fromStore(() => scorecard(deps.store.client, [request.params.agent_id], q), timeoutMs * 3);
      if (q.queue) {
        const queue = q.queue;
        const a = await fromStore(
          () =>
            periodAdherence(
              deps.store.client,
              { queue, ...periodRange(q.period, q.at, q.tz), tz: q.tz, now: q.now, silenceMs },
              [request.params.agent_id],
            ),
          timeoutMs * 3,
        );
        card.adherence = a.together;
      }
      return card;
    },
  );

  app.get(
    '/v1/agents/scorecards',
    {
      schema: {
        summary:
          "A team's scorecards: one per agent and the team's total (all its agents' contacts and time); JSON or CSV",
        querystring: TeamQuery,
        response: {
          200: Type.Object({
            queue: Nullable(Type.String()),
            period: Type.Enum(['day', 'week']),
            time_zone: Type.String(),
            from: Type.String(),
            to: Type.String(),
            agents: Type.Array(ScorecardSchema),
            team: ScorecardSchema,
          }),
          400: ErrorBody,
          503: ErrorBody,
        },
      },
    },
    async (request, reply) => {
      const q = await scoreQuery(request.query);
      const named = request.query.agents
        ?.split(',')
        .map((a) => a.trim())
        .filter((a) => a !== '');
      const agents =
        named && named.length > 0
          ? [...new Set(named)]
          : await fromStore(
              () => agentsOf(deps.store.client, { queue: q.queue, ...periodRange(q.period, q.at, q.tz) }),
              timeoutMs,
            );
      if (agents.length > MAX_TEAM)
        throw new BadRequest('agents', `${agents.length} agents; a team view reads at most ${MAX_TEAM}`);
      const body = await fromStore(
        () => teamScorecards(deps.store.client, agents, q),
        timeoutMs * Math.max(1, Math.ceil(agents.length / 4)),
      );
      if (q.queue) {
        const queue = q.queue;
        const a = await fromStore(
          () =>
            periodAdherence(
              deps.store.client,
              { queue, ...periodRange(q.period, q.at, q.tz), tz: q.tz, now: q.now, silenceMs },
              agents,
            ),
          timeoutMs * 3,
        );
        for (const card of body.agents) card.adherence = a.byAgent.get(card.agent_id!) ?? null;
        body.team.adherence = a.together;
      }
      if (request.query.format === 'csv') {
        const name = `scorecards-${q.queue ?? 'all'}-${q.period}-${body.from.slice(0, 10)}.csv`.replace(
          /[^\w.-]/g,
          '_',
        );
        return reply
          .type('text/csv; charset=utf-8')
          .header('content-disposition', `attachment; filename="${name}"`)
          .send(scorecardsCsv(body) as never);
      }
      return body;
    },
  );

  // A roster may also be sent as CSV (text/csv, ?week=): parsed in the handler.
  fastify.addContentTypeParser('text/csv', { parseAs: 'string', bodyLimit: 4 * 1024 * 1024 }, (_req, body, done) =>
    done(null, body),
  );
  const rosterError = (error: unknown): never => {
    if (error instanceof RosterError) throw new BadRequest(error.field, error.message.replace(`${error.field}: `, ''));
    throw error;
  };

  app.post(
    '/v1/schedules/:id/roster',
    {
      schema: {
        summary:
          "Publish a roster for queue :id's week: named agents (skills = queues) on shifts with breaks, local times; each publication is a new version. JSON, or text/csv with ?week=",
        params: Type.Object({ id: QueueName }),
        querystring: Type.Object({
          week: Type.Optional(Type.String({ pattern: '^\\d{4}-\\d\\d-\\d\\d$', description: 'with a CSV body' })),
        }),
        body: Type.Union([RosterBody, Type.String({ description: 'CSV: agent_id,skills,date,start,end,breaks' })]),
        response: { 200: RosterSchema, 400: ErrorBody, 503: ErrorBody },
      },
    },
    async (request) => {
      const queue = request.params.id;
      let week: string;
      let assignments: Assignment[];
      if (typeof request.body === 'string') {
        if (!request.query.week) throw new BadRequest('week', 'a CSV roster needs ?week=YYYY-MM-DD (its Monday)');
        week = request.query.week;
        try {
          assignments = parseRosterCsv(request.body);
        } catch (error) {
          rosterError(error);
        }
      } else {
        week = request.body.week;
        assignments = request.body.assignments;
      }
      const versions = (await fromStore(() => loadVersions(deps.store.client, [queue]), timeoutMs)).get(queue)!;
      const tz = currentVersion(versions, now()).settings.time_zone;
      let checked: Assignment[] = [];
      try {
        checked = checkRoster(week, assignments!, tz);
      } catch (error) {
        rosterError(error);
      }
      const who = request.apiKey?.name ?? 'anonymous (open API)';
      return fromStore(() => publishRoster(deps.store.client, queue, week, checked, who, now()), timeoutMs);
    },
  );

  app.get(
    '/v1/schedules/:id/roster',
    {
      schema: {
        summary: "Queue :id's published roster for a week: the latest version, or ?version=",
        params: Type.Object({ id: QueueName }),
        querystring: Type.Object({
          week: Type.String({ pattern: '^\\d{4}-\\d\\d-\\d\\d$' }),
          version: Type.Optional(Type.Integer({ minimum: 1 })),
        }),
        response: { 200: Type.Object({ versions: Type.Array(Type.Integer()), roster: RosterSchema }), 404: ErrorBody },
      },
    },
    async (request, reply) => {
      const { week, version } = request.query;
      const all = await fromStore(() => loadRosters(deps.store.client, request.params.id, week), timeoutMs);
      const roster = version === undefined ? all.at(-1) : all.find((r) => r.version === version);
      if (!roster)
        return reply.code(404).send({
          error: `no roster${version ? ` version ${version}` : ''} for queue ${request.params.id} week ${week}`,
          request_id: String(request.id),
        });
      return { versions: all.map((r) => r.version), roster };
    },
  );

  app.get(
    '/v1/adherence',
    {
      schema: {
        summary:
          "Adherence (in the planned activity at each minute) and conformance (worked ÷ planned work) per agent and team for a queue's local day, against its latest roster (or ?version=), with the minutes out of adherence",
        querystring: Type.Object({
          queue: QueueName,
          date: Type.Optional(
            Type.String({ pattern: '^\\d{4}-\\d\\d-\\d\\d$', description: 'local day; default today' }),
          ),
          version: Type.Optional(Type.Integer({ minimum: 1 })),
        }),
        response: { 200: AdherenceSchema, 400: ErrorBody, 503: ErrorBody },
      },
    },
    async (request) => {
      const { queue, version } = request.query;
      let date = request.query.date;
      if (date === undefined) {
        const versions = (await fromStore(() => loadVersions(deps.store.client, [queue]), timeoutMs)).get(queue)!;
        date = new Intl.DateTimeFormat('en-CA', {
          timeZone: currentVersion(versions, now()).settings.time_zone,
        }).format(now());
      }
      const day = date;
      return fromStore(
        () => dayAdherence(deps.store.client, { queue, date: day, now: now(), silenceMs, version }),
        timeoutMs * 3,
      );
    },
  );

  app.get('/agents', { schema: { summary: 'The live agents page', hide: true } }, async (_request, reply) => {
    reply.type('text/html; charset=utf-8').header('cache-control', 'no-cache');
    return PAGE;
  });
};
