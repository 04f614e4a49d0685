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
import { accuracyBuckets, accuracyRows, forecastRows, lastQueuedMs, latestRun } from '../../../forecasts/job/read.js';
import {
  addAdjustment,
  editedVolume,
  loadAdjustments,
  removeAdjustment,
  type Adjustment,
} from '../../../forecasts/job/adjustments.js';
import { queueCalendar } from './staffing/data.js';
import { loadCalendar, saveCalendar } from '../../../forecasts/job/calendar.js';
import { sendCsv, toCsv, wantsCsv } from '../csv.js';

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
  format: Type.Optional(
    Type.Union([Type.Literal('json'), Type.Literal('csv')], {
      description: 'csv answers the rows as text/csv (also chosen by Accept: text/csv)',
    }),
  ),
  queue: Type.Optional(Name),
  channel: Type.Optional(Name),
  from: Type.Optional(
    Type.String({
      description:
        "ISO time with offset, YYYY-MM-DD (local midnight in the queue's time zone; UTC without a queue) or epoch ms",
    }),
  ),
  to: Type.Optional(Type.String()),
  run_id: Type.Optional(
    Type.String({ minLength: 1, maxLength: 64, description: 'default: the latest successful run' }),
  ),
});
const ForecastRow = Type.Object({
  queue: Type.String(),
  channel: Type.String(),
  interval_start: Type.String(),
  volume: Type.Number({ description: 'after the edits in force (POST /v1/forecasts/adjustments)' }),
  volume_raw: Type.Number({ description: 'the statistical forecast before edits' }),
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
      forecast_edited: Type.Number({
        description: 'Σ forecast after the edits made before each half-hour started (and not removed by then)',
      }),
      abs_error_edited: Type.Number(),
      wape_edited: Type.Union([Type.Number(), Type.Null()]),
      edited_intervals: Type.Integer({ description: 'half-hours whose forecast an edit changed' }),
    }),
  ),
});

const Time = Type.String({
  description: "ISO time with offset, YYYY-MM-DD (local midnight in the queue's time zone) or epoch ms",
});
const AdjustmentBody = Type.Object(
  {
    queue: Name,
    channel: Type.Optional(Name),
    from: Time,
    to: Time,
    percent: Type.Optional(
      Type.Number({ minimum: -100, maximum: 1000, description: 'volume change in %: +20 = ×1.2 over the range' }),
    ),
    absolute: Type.Optional(
      Type.Number({
        minimum: -10_000,
        maximum: 10_000,
        description: 'contacts added to each half-hour (never below 0)',
      }),
    ),
    reason: Type.String({ minLength: 1, maxLength: 1000, description: 'why (a promotion, an outage, a launch …)' }),
  },
  { additionalProperties: false },
);
const AdjustmentView = Type.Object({
  id: Type.String(),
  queue: Type.String(),
  channel: Type.Union([Type.String(), Type.Null()], { description: 'null = every channel' }),
  from: Type.String(),
  to: Type.String(),
  kind: Type.String({ description: 'percent or absolute' }),
  value: Type.Number(),
  reason: Type.String(),
  created_at: Type.String(),
  created_by: Type.String(),
  deleted_at: Type.Union([Type.String(), Type.Null()]),
  deleted_by: Type.Union([Type.String(), Type.Null()]),
});
const view = (a: Adjustment) => ({
  id: a.id,
  queue: a.queue,
  channel: a.channel === '' ? null : a.channel,
  from: new Date(a.fromMs).toISOString(),
  to: new Date(a.toMs).toISOString(),
  kind: a.kind,
  value: a.value,
  reason: a.reason,
  created_at: new Date(a.createdAt).toISOString(),
  created_by: a.createdBy,
  deleted_at: a.deletedAt === null ? null : new Date(a.deletedAt).toISOString(),
  deleted_by: a.deletedBy,
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
      const tz = q.queue ? (await queueCalendar({ client: deps.store.client, timeoutMs }, q.queue, now())).tz : 'UTC';
      const from = parseTime('from', q.from, tz) ?? 0;
      const to = parseTime('to', q.to, tz, true) ?? Date.UTC(2200, 0, 1);
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
      const edits = new Map<string, Adjustment[]>();
      for (const queue of new Set(rows.map((r) => r.queue)))
        edits.set(
          queue,
          (await fromStore(() => loadAdjustments(deps.store.client, queue), timeoutMs)).filter(
            (a) => a.deletedAt === null,
          ),
        );
      const answer = {
        run_id: run.run_id,
        origin: run.origin,
        rows: rows.slice(0, MAX_ROWS).map((r) => ({
          ...r,
          volume: editedVolume(r.volume, Date.parse(r.interval_start), r.channel, edits.get(r.queue)!),
          volume_raw: r.volume,
        })),
        truncated: rows.length > MAX_ROWS,
      };
      if (!wantsCsv(request)) return answer;
      return sendCsv(
        reply,
        toCsv(
          [
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
          ],
          answer.rows,
        ),
      );
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
      // Edited beside raw: for the half-hours an edit covers, the forecast through the edits made
      // before the half-hour started; elsewhere edited = raw.
      const layers = (await fromStore(() => loadAdjustments(deps.store.client, queue), timeoutMs)).filter(
        (a) => channel === undefined || a.channel === '' || a.channel === channel,
      );
      const edited = new Map<number, { forecast: number; abs: number; n: number }>();
      if (until !== null && layers.length > 0) {
        const lo = Math.min(...layers.map((a) => a.fromMs));
        const hi = Math.min(until, Math.max(...layers.map((a) => a.toMs)));
        const rows =
          hi > lo
            ? await fromStore(() => accuracyRows(deps.store.client, queue, channel ?? '', lo, hi), timeoutMs)
            : [];
        for (const r of rows) {
          const v = editedVolume(r.forecast, r.interval_ms, r.channel, layers, r.interval_ms);
          if (v === r.forecast) continue;
          const e = edited.get(r.lead_days) ?? { forecast: 0, abs: 0, n: 0 };
          e.forecast += v - r.forecast;
          e.abs += Math.abs(v - r.actual) - Math.abs(r.forecast - r.actual);
          e.n += 1;
          edited.set(r.lead_days, e);
        }
      }
      return {
        queue,
        channel: channel ?? null,
        actuals_until: until === null ? null : new Date(until).toISOString(),
        buckets: buckets.map((b) => {
          const e = edited.get(b.lead_days) ?? { forecast: 0, abs: 0, n: 0 };
          const absEdited = b.abs_error + e.abs;
          return {
            ...b,
            wape: b.actual > 0 ? b.abs_error / b.actual : null,
            forecast_edited: b.forecast + e.forecast,
            abs_error_edited: absEdited,
            wape_edited: b.actual > 0 ? absEdited / b.actual : null,
            edited_intervals: e.n,
          };
        }),
      };
    },
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
    async (request, reply) => {
      const b = request.body;
      if ((b.percent === undefined) === (b.absolute === undefined))
        throw new BadRequest(
          b.percent === undefined ? 'percent' : 'absolute',
          'give exactly one of percent and absolute',
        );
      const tz = (await queueCalendar({ client: deps.store.client, timeoutMs }, b.queue, now())).tz;
      const from = parseTime('from', b.from, tz)!;
      const to = parseTime('to', b.to, tz, true)!;
      if (to <= from) throw new BadRequest('to', 'must be after from');
      if (from % HALF_HOUR !== 0 || to % HALF_HOUR !== 0)
        throw new BadRequest(from % HALF_HOUR !== 0 ? 'from' : 'to', 'must be on the half-hour');
      const created = await fromStore(
        () =>
          addAdjustment(deps.store.client, {
            queue: b.queue,
            channel: b.channel ?? '',
            fromMs: from,
            toMs: to,
            kind: b.percent !== undefined ? 'percent' : 'absolute',
            value: b.percent ?? b.absolute!,
            reason: b.reason,
            createdAt: now(),
            createdBy: request.apiKey?.name ?? 'anonymous (open API)',
          }),
        timeoutMs,
      );
      return reply.code(201).send(view(created));
    },
  );

  app.get(
    '/v1/forecasts/adjustments',
    {
      schema: {
        summary: "A queue's forecast edits in the order they apply, removed ones with who removed them and when",
        querystring: Type.Object({ queue: Name }),
        response: {
          200: Type.Object({ queue: Type.String(), adjustments: Type.Array(AdjustmentView) }),
          400: ErrorBody,
        },
      },
    },
    async (request) => {
      const list = await fromStore(() => loadAdjustments(deps.store.client, request.query.queue), timeoutMs);
      return { queue: request.query.queue, adjustments: list.map(view) };
    },
  );

  app.delete(
    '/v1/forecasts/adjustments/:id',
    {
      schema: {
        summary: 'Remove a forecast edit (planner): kept in the history with who removed it and when',
        params: Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) }),
        response: { 200: AdjustmentView, 404: ErrorBody, 503: ErrorBody },
      },
    },
    async (request, reply) => {
      const removed = await fromStore(
        () =>
          removeAdjustment(deps.store.client, request.params.id, request.apiKey?.name ?? 'anonymous (open API)', now()),
        timeoutMs,
      );
      if (!removed)
        return reply.code(404).send({ error: `no forecast edit ${request.params.id}`, request_id: String(request.id) });
      return view(removed);
    },
  );

  const CalendarEntry = Type.Object({
    day: Type.String(),
    kind: Type.String({ description: 'closed, event, or none (removed)' }),
    multiplier: Type.Number(),
    reason: Type.String(),
    version: Type.Integer(),
    changed_at: Type.String(),
    changed_by: Type.String(),
    previous: Type.Union([
      Type.Object({ day: Type.String(), kind: Type.String(), multiplier: Type.Number(), reason: Type.String() }),
      Type.Null(),
    ]),
  });
  const CalendarAnswer = Type.Object({ queue: Type.String(), days: Type.Array(CalendarEntry) });
  const QueueParam = Type.Object({ queue: Type.String({ minLength: 1, maxLength: 128, pattern: '^[^\\s/]+$' }) });

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
    async (request) => ({
      queue: request.params.queue,
      days: (await fromStore(() => loadCalendar(deps.store.client, [request.params.queue]), timeoutMs)).get(
        request.params.queue,
      )!,
    }),
  );

  app.put(
    '/v1/forecasts/calendar/:queue',
    {
      schema: {
        summary:
          "Set days of a queue's calendar (planner): closed (forecast exactly 0), event (forecast × multiplier) or none (remove); used by the next forecast run",
        params: QueueParam,
        body: Type.Object(
          {
            days: Type.Array(
              Type.Object(
                {
                  day: Type.String({
                    pattern: '^\\d{4}-\\d\\d-\\d\\d$',
                    description: "local date in the queue's time zone",
                  }),
                  kind: Type.Union([Type.Literal('closed'), Type.Literal('event'), Type.Literal('none')]),
                  multiplier: Type.Optional(
                    Type.Number({ minimum: 0, maximum: 100, description: 'event days only; default 1' }),
                  ),
                  reason: Type.Optional(Type.String({ maxLength: 1000 })),
                },
                { additionalProperties: false },
              ),
              { minItems: 1, maxItems: 1000 },
            ),
          },
          { additionalProperties: false },
        ),
        response: { 200: CalendarAnswer, 400: ErrorBody, 503: ErrorBody },
      },
    },
    async (request) => {
      for (const [i, d] of request.body.days.entries())
        if (!Number.isFinite(Date.parse(`${d.day}T00:00:00Z`)))
          throw new BadRequest(`days.${i}.day`, `"${d.day}" is not a date`);
      const days = await fromStore(
        () =>
          saveCalendar(
            deps.store.client,
            request.params.queue,
            request.body.days,
            request.apiKey?.name ?? 'anonymous (open API)',
            now(),
          ),
        timeoutMs,
      );
      return { queue: request.params.queue, days };
    },
  );
};
