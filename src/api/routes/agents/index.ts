// The agents routes: GET /v1/agents (every agent's state, time in state, open contact and today's
// handled contacts, sorted by what needs attention), GET /v1/agents/stream (the same as
// Server-Sent Events), the per-queue attention limits, scorecards, rosters, adherence and the page
// at /agents. Schemas in schemas.ts, what each route answers in handlers.ts, store access in data.ts.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import Type from 'typebox';
import type { FastifyPluginAsync } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { agentSilenceMs } from '../../../agents/config.js';
import type { AppDeps } from '../../app.js';
import { eventStreams } from '../../event-stream.js';
import { ErrorBody, installErrorHandler } from '../errors.js';
import {
  AdherenceSchema,
  Limits,
  LimitsBody,
  LiveAgentsSchema,
  Nullable,
  Query,
  QueueName,
  RosterBody,
  RosterSchema,
  ScorecardQuery,
  ScorecardSchema,
  StreamQuery,
  TeamQuery,
} from './schemas.js';
import { adherenceDay, agentScorecard, publishChecked, teamCards } from './handlers.js';
import { allLimits, putLimits, rosters, sharedLiveAgents, type AgentsData } from './data.js';

export { LiveAgentSchema, LiveAgentsSchema, ScorecardSchema } from './schemas.js';
export { MAX_TEAM } from './handlers.js';

// Roster versions are UInt32 in agent_rosters: a larger ?version= names none (400, not a store error).
const MAX_VERSION = 4_294_967_295;

const PAGE = readFileSync(fileURLToPath(new URL('../../../web/agents.html', import.meta.url)), 'utf8');

export const agentRoutes: FastifyPluginAsync<AppDeps> = async (fastify, deps) => {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  installErrorHandler(app);
  const d: AgentsData = {
    client: deps.store.client,
    timeoutMs: deps.queryTimeoutMs ?? 10_000,
    silenceMs: deps.agentSilenceMs ?? agentSilenceMs(),
    now: () => deps.now?.() ?? Date.now(),
  };
  const answer = sharedLiveAgents(d);
  const streams = eventStreams(fastify, deps.maxStreamsPerKey ?? 20);
  const who = (request: { apiKey?: { name: string } }) => request.apiKey?.name ?? 'anonymous (open API)';

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
      await streams.open(request, reply, {
        period,
        event: 'agents',
        what: 'agents',
        compute: () => answer(request.query.queue, period / 2),
        capHint: '; close one, or watch every queue on one stream (no queue parameter)',
      });
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
    async () => ({ queues: await allLimits(d) }),
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
    async (request) => putLimits(d, request.params.queue, request.body, who(request)),
  );

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
    async (request) => agentScorecard(d, request.params.agent_id, request.query),
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
      const { body, csv } = await teamCards(d, request.query);
      if (!csv) return body;
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="${csv.name}"`)
        .send(csv.text as never);
    },
  );

  // A roster may also be sent as CSV (text/csv, ?week=): parsed in the handler.
  fastify.addContentTypeParser('text/csv', { parseAs: 'string', bodyLimit: 4 * 1024 * 1024 }, (_req, body, done) =>
    done(null, body),
  );

  app.post(
    '/v1/schedules/:id/roster',
    {
      schema: {
        summary:
          "Publish a roster for queue :id's week: named agents (skills = queues) on shifts with breaks, local times; each publication is a new version. " +
          "Checked against the plan solved for the week (its shifts, agents per shift, :id among each agent's skills) and against the other published plans " +
          '(an agent on overlapping shifts of two plans is refused; earlier versions of this one are replaced). JSON, or text/csv with ?week=',
        params: Type.Object({ id: QueueName }),
        querystring: Type.Object({
          week: Type.Optional(Type.String({ pattern: '^\\d{4}-\\d\\d-\\d\\d$', description: 'with a CSV body' })),
        }),
        body: Type.Union([RosterBody, Type.String({ description: 'CSV: agent_id,skills,date,start,end,breaks' })]),
        response: { 200: RosterSchema, 400: ErrorBody, 503: ErrorBody },
      },
    },
    async (request) => publishChecked(d, request.params.id, request.body, request.query.week, who(request)),
  );

  app.get(
    '/v1/schedules/:id/roster',
    {
      schema: {
        summary: "Queue :id's published roster for a week: the latest version, or ?version=",
        params: Type.Object({ id: QueueName }),
        querystring: Type.Object({
          week: Type.String({ pattern: '^\\d{4}-\\d\\d-\\d\\d$' }),
          version: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_VERSION })),
        }),
        response: { 200: Type.Object({ versions: Type.Array(Type.Integer()), roster: RosterSchema }), 404: ErrorBody },
      },
    },
    async (request, reply) => {
      const { week, version } = request.query;
      const all = await rosters(d, request.params.id, week);
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
          version: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_VERSION })),
        }),
        response: { 200: AdherenceSchema, 400: ErrorBody, 503: ErrorBody },
      },
    },
    async (request) => adherenceDay(d, request.query),
  );

  app.get('/agents', { schema: { summary: 'The live agents page', hide: true } }, async (_request, reply) => {
    reply.type('text/html; charset=utf-8').header('cache-control', 'no-cache');
    return PAGE;
  });
};
