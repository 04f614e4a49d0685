// Forecasts: start a run (POST /v1/forecasts/run, 202), read a run's half-hours (latest by
// default), a run's status, accuracy by lead time as actuals arrive, the planner's edits and the
// queue calendar. Planner role: the auth plugin (src/api/auth/access.ts) guards every
// /v1/forecasts path. Schemas in schemas.ts, what each route answers in handlers.ts, store
// access in data.ts.
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { AppDeps } from '../../app.js';
import { ErrorBody, installErrorHandler } from '../errors.js';
import { sendCsv, toCsv, wantsCsv } from '../../csv.js';
import { runnerFor } from '../../../../forecasts/job/runner.js';
import {
  AccuracyAnswer,
  AccuracyQuery,
  AdjustmentBody,
  AdjustmentParams,
  AdjustmentView,
  AdjustmentsAnswer,
  AdjustmentsQuery,
  CalendarAnswer,
  CalendarPutBody,
  ForecastAnswer,
  ForecastQuery,
  QueueParam,
  RunAnswer,
  RunBody,
  RunParams,
  RunStatus,
} from './schemas.js';
import {
  accuracy,
  addEdit,
  calendar,
  forecast,
  listEdits,
  putCalendar,
  removeEdit,
  runStatus,
  startRun,
  type HandlerContext,
} from './handlers.js';

const CSV_COLUMNS = [
  'queue',
  'channel',
  'interval_start',
  'volume',
  'volume_raw',
  'aht',
  'lo80',
  'hi80',
  'lo95',
  'hi95',
  'model',
];

const who = (request: FastifyRequest) => request.apiKey?.name ?? 'anonymous (open API)';

export const forecastRoutes: FastifyPluginAsync<AppDeps> = async (fastify, deps) => {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  installErrorHandler(app);
  const ctx: HandlerContext = {
    client: deps.store.client,
    timeoutMs: deps.queryTimeoutMs ?? 10_000,
    now: () => deps.now?.() ?? Date.now(),
    runner: runnerFor(deps.store.client),
  };

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
      const { answer, started } = startRun(ctx, request.body);
      if (started) request.log.info({ run_id: answer.run_id }, 'forecast run started');
      return reply.code(202).send(answer);
    },
  );

  app.get(
    '/v1/forecasts/runs/:run_id',
    {
      schema: {
        summary: 'Status of a run started by this service instance',
        params: RunParams,
        response: { 200: RunStatus, 404: ErrorBody },
      },
    },
    async (request) => runStatus(ctx, request.params.run_id),
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
      const answer = await forecast(ctx, request.query);
      if (!wantsCsv(request)) return answer;
      return sendCsv(reply, toCsv(CSV_COLUMNS, answer.rows));
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
    async (request) => accuracy(ctx, request.query),
  );

  app.post(
    '/v1/forecasts/adjustments',
    {
      schema: {
        summary:
          "Edit the forecast (planner): percent or absolute over [from, to) of a queue (one channel or all), with a reason; a layer on top of every run's statistical forecast that staffing follows",
        body: AdjustmentBody,
        response: { 201: AdjustmentView, 400: ErrorBody, 503: ErrorBody },
      },
    },
    async (request, reply) => reply.code(201).send(await addEdit(ctx, request.body, who(request))),
  );

  app.get(
    '/v1/forecasts/adjustments',
    {
      schema: {
        summary: "A queue's forecast edits in the order they apply, removed ones with who removed them and when",
        querystring: AdjustmentsQuery,
        response: { 200: AdjustmentsAnswer, 400: ErrorBody },
      },
    },
    async (request) => listEdits(ctx, request.query.queue),
  );

  app.delete(
    '/v1/forecasts/adjustments/:id',
    {
      schema: {
        summary: 'Remove a forecast edit (planner): kept in the history with who removed it and when',
        params: AdjustmentParams,
        response: { 200: AdjustmentView, 404: ErrorBody, 503: ErrorBody },
      },
    },
    async (request) => removeEdit(ctx, request.params.id, who(request)),
  );

  app.get(
    '/v1/forecasts/calendar/:queue',
    {
      schema: {
        summary:
          "A queue's calendar of holidays and events (local dates), each day's entry in force with who changed it",
        params: QueueParam,
        response: { 200: CalendarAnswer, 400: ErrorBody, 503: ErrorBody },
      },
    },
    async (request) => calendar(ctx, request.params.queue),
  );

  app.put(
    '/v1/forecasts/calendar/:queue',
    {
      schema: {
        summary:
          "Set days of a queue's calendar (planner): closed (forecast exactly 0), event (forecast × multiplier) or none (remove); used by the next forecast run",
        params: QueueParam,
        body: CalendarPutBody,
        response: { 200: CalendarAnswer, 400: ErrorBody, 503: ErrorBody },
      },
    },
    async (request) => putCalendar(ctx, request.params.queue, request.body, who(request)),
  );
};
