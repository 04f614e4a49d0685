// GET /v1/alerts: alert episodes (open, or history); GET /v1/alerts/rules[/:queue]: the rules in
// force; PUT /v1/alerts/rules/:queue (admin): override a queue's rules (only the fields given).
import Type from 'typebox';
import { Compile } from 'typebox/compile';
import type { FastifyPluginAsync } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { findEpisodes } from '../../alerts/episode-store.js';
import {
  DEFAULT_RULES,
  RULE_NAMES,
  RuleSet,
  loadRules,
  mergeRules,
  saveRules,
  type RulePatch,
} from '../../alerts/rules.js';
import { listQueues } from '../../metrics/realtime.js';
import type { AppDeps } from '../app.js';
import { BadRequest, ErrorBody, fromStore, installErrorHandler } from './errors.js';
import { parseTime } from './params.js';
import { requireKnownQueue } from './known-queue.js';

const Episode = Type.Object({
  id: Type.String(),
  queue: Type.String(),
  rule: Type.String({ description: RULE_NAMES.join(', ') }),
  subject: Type.String({
    description: 'the contact reason of a surge; above or below for a forecast deviation; empty otherwise',
  }),
  opened_at: Type.String(),
  resolved_at: Type.Union([Type.String(), Type.Null()]),
  message: Type.String(),
  opened_value: Type.Record(Type.String(), Type.Unknown(), {
    description: 'the figures when it opened (for surges: observed, expected, ratio, p_value per window)',
  }),
  last_value: Type.Record(Type.String(), Type.Unknown()),
});
const AlertsQuery = Type.Object({
  state: Type.Optional(
    Type.Enum(['open', 'all'], { default: 'all', description: 'open: only episodes not resolved yet' }),
  ),
  since: Type.Optional(
    Type.String({
      description: 'episodes still open at or after this time (ISO-8601 with offset, YYYY-MM-DD UTC, or epoch ms)',
    }),
  ),
  queue: Type.Optional(Type.String({ minLength: 1, maxLength: 128 })),
  rule: Type.Optional(Type.Enum([...RULE_NAMES])),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 10_000, default: 500 })),
});
const QueueParam = Type.Object({ queue: Type.String({ minLength: 1, maxLength: 128, pattern: '^[^\\s/]+$' }) });
const RulesAnswer = Type.Object({
  queue: Type.String(),
  rules: RuleSet,
  override: Type.Record(Type.String(), Type.Unknown(), { description: 'what this queue changes from the defaults' }),
  updated_at: Type.Union([Type.String(), Type.Null()]),
  updated_by: Type.Union([Type.String(), Type.Null()]),
});
const checkRules = Compile(RuleSet);

/** Names the first field of a patch that is not a rule or not a field of its rule. */
function unknownField(body: Record<string, unknown>): string | undefined {
  for (const [rule, value] of Object.entries(body)) {
    const known = (DEFAULT_RULES as Record<string, unknown>)[rule];
    if (known === undefined) return rule;
    if (typeof known === 'object' && !Array.isArray(known)) {
      if (value === null || typeof value !== 'object' || Array.isArray(value)) continue; // the schema check names it
      for (const field of Object.keys(value)) if (!(field in (known as object))) return `${rule}.${field}`;
    }
  }
  return undefined;
}

export const alertRoutes: FastifyPluginAsync<AppDeps> = async (fastify, deps) => {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  installErrorHandler(app);
  const timeoutMs = deps.queryTimeoutMs ?? 10_000;
  const now = () => deps.now?.() ?? Date.now();

  app.get(
    '/v1/alerts',
    {
      schema: {
        summary: 'Alert episodes, newest first: one per breach of a rule, with when it opened and resolved',
        querystring: AlertsQuery,
        response: { 200: Type.Object({ alerts: Type.Array(Episode) }), 400: ErrorBody, 404: ErrorBody, 503: ErrorBody },
      },
    },
    async (request) => {
      const q = request.query;
      const since = parseTime('since', q.since, 'UTC');
      if (q.queue !== undefined) await requireKnownQueue(deps.store.client, q.queue, timeoutMs);
      const alerts = await fromStore(
        () =>
          findEpisodes(deps.store.client, {
            state: q.state ?? 'all',
            since,
            queue: q.queue,
            rule: q.rule,
            limit: q.limit ?? 500,
          }),
        timeoutMs,
      );
      return { alerts };
    },
  );

  app.get(
    '/v1/alerts/rules',
    {
      schema: {
        summary: 'The alert rules in force for every known queue',
        response: { 200: Type.Object({ defaults: RuleSet, queues: Type.Array(RulesAnswer) }), 503: ErrorBody },
      },
    },
    async () => {
      const queues = await fromStore(() => listQueues(deps.store.client), timeoutMs);
      const rules = await fromStore(() => loadRules(deps.store.client, queues), timeoutMs);
      return { defaults: DEFAULT_RULES, queues: queues.map((q) => rules.get(q)!) };
    },
  );

  const one = async (queue: string) =>
    (await fromStore(() => loadRules(deps.store.client, [queue]), timeoutMs)).get(queue)!;

  app.get(
    '/v1/alerts/rules/:queue',
    {
      schema: {
        summary: "A queue's alert rules (defaults merged with its override)",
        params: QueueParam,
        response: { 200: RulesAnswer, 400: ErrorBody, 404: ErrorBody, 503: ErrorBody },
      },
    },
    async (request) => {
      await requireKnownQueue(deps.store.client, request.params.queue, timeoutMs);
      return one(request.params.queue);
    },
  );

  app.put(
    '/v1/alerts/rules/:queue',
    {
      schema: {
        summary:
          'Override a queue\'s alert rules (admin). Only the given fields change, e.g. {"waiting": {"above": 30}, "surge": {"min_increase_pct": 200}, "staffing_gap": {"short_by": 3}}; {} keeps the current override',
        params: QueueParam,
        body: Type.Record(Type.String(), Type.Unknown()),
        response: { 200: RulesAnswer, 400: ErrorBody, 404: ErrorBody, 503: ErrorBody },
      },
    },
    async (request) => {
      const body = request.body;
      if (body === null || typeof body !== 'object' || Array.isArray(body))
        throw new BadRequest('body', 'expected a JSON object of rules');
      const unknown = unknownField(body);
      if (unknown !== undefined)
        throw new BadRequest(unknown, `not an alert rule field (rules: ${Object.keys(DEFAULT_RULES).join(', ')})`);
      const queue = request.params.queue;
      const current = await one(queue);
      const override = mergeRules(mergeRules(DEFAULT_RULES, current.override), body as RulePatch);
      const error = checkRules.Errors(override)[0];
      if (error) {
        const field = error.instancePath.replace(/^\//, '').replace(/\//g, '.') || 'body';
        throw new BadRequest(field, error.message);
      }
      // Store the accumulated override, not the merged whole, so later default changes still apply.
      const patch: Record<string, unknown> = {};
      for (const [rule, value] of Object.entries(
        mergeRules(current.override as RuleSet, body as RulePatch) as Record<string, unknown>,
      )) {
        if (value !== undefined) patch[rule] = value;
      }
      await fromStore(
        () =>
          saveRules(
            deps.store.client,
            queue,
            patch as RulePatch,
            request.apiKey?.name ?? 'anonymous (open API)',
            now(),
          ),
        timeoutMs,
      );
      return one(queue);
    },
  );
};
