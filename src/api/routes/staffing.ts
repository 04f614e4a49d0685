// Staffing: requirements of the latest forecast run, what-if (writes nothing), the intraday
// reforecast, and shift plans (solve with HiGHS from the stored requirements; last plan kept
// per queue and week). Planner role: guarded by the auth plugin for /v1/staffing and /v1/schedule.
// Schemas in staffing/schemas.ts, what each route answers in staffing/handlers.ts, store access
// in staffing/data.ts.
import type { FastifyPluginAsync } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { AppDeps } from '../app.js';
import { ErrorBody, installErrorHandler } from './errors.js';
import { sendCsv, toCsv, wantsCsv } from '../csv.js';
import {
  InputsAnswer,
  InputsParams,
  InputsPutBody,
  IntradayAnswer,
  IntradayQuery,
  PlanAnswer,
  ScheduleQuery,
  SolveBody,
  StaffingAnswer,
  StaffingQuery,
  WhatIfAnswer,
  WhatIfBody,
} from './staffing/schemas.js';
import {
  getInputs,
  intraday,
  putInputs,
  readSchedule,
  solveSchedule,
  staffing,
  whatIfAnswer,
  type HandlerContext,
} from './staffing/handlers.js';

export const staffingRoutes: FastifyPluginAsync<AppDeps> = async (fastify, deps) => {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  installErrorHandler(app);
  const ctx: HandlerContext = {
    client: deps.store.client,
    timeoutMs: deps.queryTimeoutMs ?? 10_000,
    now: () => deps.now?.() ?? Date.now(),
  };
  const errors = { 400: ErrorBody, 404: ErrorBody, 503: ErrorBody };

  app.get(
    '/v1/staffing',
    {
      schema: {
        summary: 'Agents required per half-hour (latest run), with the settings that sized them',
        querystring: StaffingQuery,
        response: { 200: StaffingAnswer, ...errors },
      },
    },
    async (request, reply) => {
      const answer = await staffing(ctx, request.query);
      if (!wantsCsv(request)) return answer;
      return sendCsv(
        reply,
        toCsv(
          [
            'channel',
            'interval_start',
            'local_start',
            'volume',
            'volume_raw',
            'aht',
            'required',
            'scheduled_needed',
            'expected_sl',
            'asa',
            'occupancy',
            'abandon',
            'target_met',
            'model',
            'shrinkage',
            'erlang_c_required',
          ],
          answer.rows,
        ),
      );
    },
  );

  app.post(
    '/v1/staffing/whatif',
    {
      schema: {
        summary:
          'What-if on the latest requirements: volume ±%, AHT, SL target, shrinkage, occupancy cap → requirements and expected SL (writes nothing)',
        body: WhatIfBody,
        response: { 200: WhatIfAnswer, ...errors },
      },
    },
    async (request) => whatIfAnswer(ctx, request.body),
  );

  app.get(
    '/v1/staffing/intraday',
    {
      schema: {
        summary:
          "Intraday reforecast: the rest of today's forecast (the queue's local day) scaled by actual ÷ forecast so far (damped), with the adjusted requirement",
        querystring: IntradayQuery,
        response: { 200: IntradayAnswer, ...errors },
      },
    },
    async (request) => intraday(ctx, request.query),
  );

  app.get(
    '/v1/schedule',
    {
      schema: {
        summary: 'The last shift plan solved for a queue and week',
        querystring: ScheduleQuery,
        response: { 200: PlanAnswer, ...errors },
      },
    },
    async (request, reply) => {
      const answer = await readSchedule(ctx, request.query);
      if (!wantsCsv(request)) return answer;
      // the plan's shifts: one line per pattern × day × start × break placement
      const shifts = ((answer.plan as { shifts?: Record<string, unknown>[] }).shifts ?? []).map((x) => ({
        ...x,
        queue: answer.queue,
        week: answer.week,
      }));
      return sendCsv(
        reply,
        toCsv(['queue', 'week', 'pattern', 'date', 'day', 'start', 'end', 'breaks', 'agents', 'costPerAgent'], shifts),
      );
    },
  );

  app.post(
    '/v1/schedule/solve',
    {
      schema: {
        summary:
          "Shift plan for a queue's local week: covers scheduled_needed (Σ over channels unless one is given) of the latest run at least cost (HiGHS), never working a closed half-hour; stored as the week's plan",
        body: SolveBody,
        response: { 200: PlanAnswer, ...errors },
      },
    },
    async (request) => solveSchedule(ctx, request.body),
  );

  app.get(
    '/v1/staffing/inputs/:queue',
    {
      schema: {
        summary:
          "A queue's staffing inputs (shrinkage, occupancy cap, concurrency, patience): the version in force and every version",
        params: InputsParams,
        response: { 200: InputsAnswer, ...errors },
      },
    },
    async (request) => getInputs(ctx, request.params.queue),
  );

  app.put(
    '/v1/staffing/inputs/:queue',
    {
      schema: {
        summary:
          "Change a queue's staffing inputs (planner): a new version from effective_from that forecast runs use; omitted fields keep their values",
        params: InputsParams,
        body: InputsPutBody,
        response: { 200: InputsAnswer, ...errors },
      },
    },
    async (request) =>
      putInputs(ctx, request.params.queue, request.body, request.apiKey?.name ?? 'anonymous (open API)'),
  );
};
