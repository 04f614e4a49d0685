// Forecasts: start a run (POST /v1/forecasts/run, 202), read a run's half-hours (latest by
// default), a run's status, and accuracy by lead time as actuals arrive. Planner role: the
// auth plugin (src/api/auth/access.ts) guards every /v1/forecasts path.
import Type from 'typebox';
import type { FastifyPluginAsync } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { AppDeps } from '../app.js';
import { BadRequest, ErrorBody, fromStore, installErrorHandler } from './errors.js';
import { parseTime } from './params.js';
import { runnerFor } from '../../../forecasts/job/runner.js';
import { accuracyBuckets, forecastRows, lastQueuedMs, latestRun } from '../../../forecasts/job/read.js';

const Name = Type.String({ minLength: 1, maxLength: 128 });
const RunBody = Type.Object(
  {
    queues: Type.Optional(
      Type.Array(Name, { maxItems: 1000, description: 'only these queues (default: all with history)' }),
    ),
    horizon_days: Type.Optional(
      Type.Integer({ minimum: 1, maximum: 366, description: 'days ahead; default 42 (6 weeks)' }),
    ),
  },
  { additionalProperties: false },
);
const RunAnswer = Type.Object({
  run_id: Type.String(),
  status: Type.String({ description: 'started, or already_running (that run_id)' }),
});
const RunStatus = Type.Object({
  run_id: Type.String(),
  status: Type.String({ description: 'running, ok or failed' }),
  started_at: Type.String(),
  error: Type.Optional(Type.String()),
  origin: Type.Optional(Type.String()),
  series: Type.Optional(
    Type.Array(
      Type.Object({
        queue: Type.String(),
        channel: Type.String(),
        model: Type.String(),
        status: Type.String(),
        error: Type.Optional(Type.String()),
      }),
    ),
  ),
});
const ForecastQuery = Type.Object({
  queue: Type.Optional(Name),
  channel: Type.Optional(Name),
  from: Type.Optional(Type.String({ description: 'ISO time with offset, YYYY-MM-DD (UTC) or epoch ms' })),
  to: Type.Optional(Type.String()),
  run_id: Type.Optional(
    Type.String({ minLength: 1, maxLength: 64, description: 'default: the latest successful run' }),
  ),
});
const ForecastRow = Type.Object({
  queue: Type.String(),
  channel: Type.String(),
  interval_start: Type.String(),
  volume: Type.Number(),
  aht: Type.Number(),
  lo80: Type.Number(),
  hi80: Type.Number(),
  lo95: Type.Number(),
  hi95: Type.Number(),
  model: Type.String(),
});
const ForecastAnswer = Type.Object({
  run_id: Type.String(),
  origin: Type.String(),
  rows: Type.Array(ForecastRow),
  truncated: Type.Boolean(),
});
const AccuracyQuery = Type.Object({ queue: Name, channel: Type.Optional(Name) });
const AccuracyAnswer = Type.Object({
  queue: Type.String(),
  channel: Type.Union([Type.String(), Type.Null()]),
  actuals_until: Type.Union([Type.String(), Type.Null()]),
  buckets: Type.Array(
    Type.Object({
      lead_days: Type.Integer({ description: 'whole days from the run origin to the interval' }),
      intervals: Type.Integer(),
      runs: Type.Integer(),
      actual: Type.Number(),
      forecast: Type.Number(),
      abs_error: Type.Number(),
      wape: Type.Union([Type.Number(), Type.Null()], {
        description: 'Σ|forecast − actual| ÷ Σ actual; null when no actual contacts',
      }),
    }),
  ),
});

const MAX_ROWS = 100_000;
const HALF_HOUR = 1_800_000;

export const forecastRoutes: FastifyPluginAsync<AppDeps> = async (fastify, deps) => {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  installErrorHandler(app);
  const timeoutMs = deps.queryTimeoutMs ?? 10_000;
  const now = () => deps.now?.() ?? Date.now();
  const runner = runnerFor(deps.store.client);

  app.post(
    '/v1/forecasts/run',
    {
      schema: {
        summary: 'Start a forecast run (fits every queue × channel, then staffing requirements); 202 with its run_id',
        body: RunBody,
        response: { 202: RunAnswer, 400: ErrorBody },
      },
      // no body at all = all queues, default horizon
      preValidation: async (request) => {
        if (request.body === undefined || request.body === null) (request as { body: unknown }).body = {};
      },
    },
    async (request, reply) => {
      const body = request.body;
      const { state, started } = runner.start({
        asOf: now(),
        ...(body.queues ? { queues: body.queues } : {}),
        ...(body.horizon_days ? { horizonDays: body.horizon_days } : {}),
      });
      if (started) request.log.info({ run_id: state.runId }, 'forecast run started');
      return reply.code(202).send({ run_id: state.runId, status: started ? 'started' : 'already_running' });
    },
  );

  app.get(
    '/v1/forecasts/runs/:run_id',
    {
      schema: {
        summary: 'Status of a run started by this service instance',
        params: Type.Object({ run_id: Type.String({ minLength: 1, maxLength: 64 }) }),
        response: { 200: RunStatus, 404: ErrorBody },
      },
    },
    async (request, reply) => {
      const s = runner.get(request.params.run_id);
      if (!s)
        return reply
          .code(404)
          .send({ error: `no run ${request.params.run_id} started by this instance`, request_id: String(request.id) });
      return {
        run_id: s.runId,
        status: s.status,
        started_at: s.startedAt,
        ...(s.error ? { error: s.error } : {}),
        ...(s.result ? { origin: s.result.origin, series: s.result.series } : {}),
      };
    },
  );

  app.get(
    '/v1/forecasts',
    {
      schema: {
        summary: 'Half-hour volume and AHT forecasts with 80/95 % intervals (UTC half-hours)',
        querystring: ForecastQuery,
        response: { 200: ForecastAnswer, 400: ErrorBody, 404: ErrorBody, 503: ErrorBody },
      },
    },
    async (request, reply) => {
      const q = request.query;
      const from = parseTime('from', q.from, 'UTC') ?? 0;
      const to = parseTime('to', q.to, 'UTC', true) ?? Date.UTC(2200, 0, 1);
      if (to <= from) throw new BadRequest('to', 'must be after from');
      const run = await fromStore(() => latestRun(deps.store.client, q.queue ?? '', q.run_id ?? ''), timeoutMs);
      if (!run)
        return reply.code(404).send({
          error: q.run_id
            ? `no successful run ${q.run_id}${q.queue ? ` for queue ${q.queue}` : ''}`
            : `no forecast yet${q.queue ? ` for queue ${q.queue}` : ''}: POST /v1/forecasts/run`,
          request_id: String(request.id),
        });
      const rows = await fromStore(
        () =>
          forecastRows(
            deps.store.client,
            run.run_id,
            { queue: q.queue ?? '', channel: q.channel ?? '', fromMs: from, toMs: to },
            MAX_ROWS + 1,
          ),
        timeoutMs,
      );
      return {
        run_id: run.run_id,
        origin: run.origin,
        rows: rows.slice(0, MAX_ROWS),
        truncated: rows.length > MAX_ROWS,
      };
    },
  );

  app.get(
    '/v1/forecasts/accuracy',
    {
      schema: {
        summary:
          'Forecast vs actual offered by lead time (days from the run origin), WAPE per bucket, over every run and every half-hour whose actuals have arrived',
        querystring: AccuracyQuery,
        response: { 200: AccuracyAnswer, 400: ErrorBody, 503: ErrorBody },
      },
    },
    async (request) => {
      const { queue, channel } = request.query;
      const last = await fromStore(() => lastQueuedMs(deps.store.client, queue), timeoutMs);
      // only half-hours that are over and that actuals have reached
      const until =
        last === null ? null : Math.min(Math.floor(now() / HALF_HOUR), Math.floor(last / HALF_HOUR)) * HALF_HOUR;
      const buckets =
        until === null
          ? []
          : await fromStore(() => accuracyBuckets(deps.store.client, queue, channel ?? '', until), timeoutMs);
      return {
        queue,
        channel: channel ?? null,
        actuals_until: until === null ? null : new Date(until).toISOString(),
        buckets: buckets.map((b) => ({ ...b, wape: b.actual > 0 ? b.abs_error / b.actual : null })),
      };
    },
  );
};
