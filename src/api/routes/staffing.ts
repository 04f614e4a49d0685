// Staffing: requirements of the latest forecast run, what-if (writes nothing), the intraday
// reforecast, and shift plans (solve with HiGHS from the stored requirements; last plan kept
// per queue and week). Planner role: guarded by the auth plugin for /v1/staffing and /v1/schedule.
import Type from 'typebox';
import type { FastifyPluginAsync } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { AppDeps } from '../app.js';
import { BadRequest, ErrorBody, fromStore, installErrorHandler } from './errors.js';
import { parseTime } from './params.js';
import { actualRows, chTime, latestRun, requirementRows, type RequirementDbRow } from '../../../forecasts/job/read.js';
import { reforecastIntraday, whatIf, schedule, type QueueSettings } from '../../staffing/index.js';

const Name = Type.String({ minLength: 1, maxLength: 128 });
const Time = Type.String({ description: 'ISO time with offset, YYYY-MM-DD (UTC) or epoch ms' });
const ReqRow = Type.Object({
  channel: Type.String(),
  interval_start: Type.String(),
  volume: Type.Number(),
  aht: Type.Number(),
  required: Type.Integer(),
  scheduled_needed: Type.Integer(),
  expected_sl: Type.Number(),
  asa: Type.Number(),
  occupancy: Type.Number(),
  abandon: Type.Number(),
  target_met: Type.Boolean(),
  model: Type.String(),
});
const ChannelSettings = Type.Object({
  channel: Type.String(),
  model: Type.String({ description: "erlang-a (patience from the queue's abandons) or erlang-c" }),
  threshold_s: Type.Number(),
  sl_target: Type.Number(),
  max_occupancy: Type.Number(),
  shrinkage: Type.Number(),
  patience_s: Type.Union([Type.Number(), Type.Null()]),
});
const StaffingQuery = Type.Object({
  queue: Name,
  channel: Type.Optional(Name),
  from: Type.Optional(Time),
  to: Type.Optional(Time),
  run_id: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
});
const StaffingAnswer = Type.Object({
  run_id: Type.String(),
  queue: Type.String(),
  settings: Type.Array(ChannelSettings),
  rows: Type.Array(ReqRow),
});

const WhatIfBody = Type.Object(
  {
    queue: Name,
    channel: Type.Optional(Name),
    from: Type.Optional(Time),
    to: Type.Optional(Time),
    volume_pct: Type.Optional(
      Type.Number({ minimum: -100, maximum: 1000, description: 'volume change in %, +10 = ×1.1' }),
    ),
    aht_pct: Type.Optional(Type.Number({ exclusiveMinimum: -100, maximum: 1000, description: 'AHT change in %' })),
    aht_seconds: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: 86_400, description: 'replace every AHT' })),
    sl_target: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: 1 })),
    threshold_s: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: 86_400 })),
    asa_s: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: 86_400, description: 'ASA target' })),
    shrinkage: Type.Optional(Type.Number({ minimum: 0, exclusiveMaximum: 1 })),
    max_occupancy: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: 1 })),
  },
  { additionalProperties: false },
);
const Summary = Type.Object({
  requiredHours: Type.Number(),
  scheduledHours: Type.Number(),
  peakRequired: Type.Integer(),
  serviceLevel: Type.Number(),
  unmetIntervals: Type.Integer(),
});
const WhatIfAnswer = Type.Object({
  run_id: Type.String(),
  queue: Type.String(),
  channels: Type.Array(
    Type.Object({
      channel: Type.String(),
      baseline: Summary,
      scenario: Summary,
      delta: Type.Object({ requiredHours: Type.Number(), scheduledHours: Type.Number(), serviceLevel: Type.Number() }),
      rows: Type.Array(
        Type.Object({
          interval_start: Type.String(),
          volume: Type.Number(),
          aht: Type.Number(),
          required: Type.Integer(),
          scheduled_needed: Type.Integer(),
          expected_sl: Type.Number(),
          baseline_required: Type.Integer(),
        }),
      ),
    }),
  ),
});

const IntradayQuery = Type.Object({ queue: Name, channel: Type.Optional(Name) });
const IntradayAnswer = Type.Object({
  run_id: Type.String(),
  queue: Type.String(),
  day: Type.String(),
  as_of: Type.String(),
  channels: Type.Array(
    Type.Object({
      channel: Type.String(),
      completed_intervals: Type.Integer(),
      volume_ratio: Type.Union([Type.Number(), Type.Null()]),
      aht_ratio: Type.Union([Type.Number(), Type.Null()]),
      weight: Type.Number(),
      volume_factor: Type.Number(),
      aht_factor: Type.Number(),
      remaining: Type.Array(
        Type.Object({
          interval_start: Type.String(),
          volume: Type.Number(),
          aht: Type.Number(),
          required: Type.Integer(),
          scheduled_needed: Type.Integer(),
          expected_sl: Type.Number(),
          planned_required: Type.Integer(),
        }),
      ),
    }),
  ),
});

const Week = Type.String({
  pattern: '^\\d{4}-\\d\\d-\\d\\d$',
  description: 'Monday (UTC) starting the week, YYYY-MM-DD',
});
const ScheduleQuery = Type.Object({ queue: Name, week: Week });
const SolveBody = Type.Object(
  {
    queue: Name,
    week: Week,
    channel: Type.Optional(Name),
    run_id: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
    patterns: Type.Object({}, { additionalProperties: true, description: 'patterns.json of docs/staffing.md' }),
  },
  { additionalProperties: false },
);
const Plan = Type.Object(
  {},
  { additionalProperties: true, description: 'the plan JSON of docs/staffing.md (status, cost, shifts, coverage …)' },
);
const PlanAnswer = Type.Object({
  queue: Type.String(),
  week: Type.String(),
  channel: Type.Union([Type.String(), Type.Null()]),
  run_id: Type.String(),
  solved_at: Type.String(),
  requirement: Type.String(),
  plan: Plan,
});

const DAY = 86_400_000;
const HALF_HOUR = 1_800_000;

const settingsOf = (r: RequirementDbRow): QueueSettings => ({
  serviceLevel: r.sl_target,
  threshold: r.threshold_s,
  maxOccupancy: r.max_occupancy,
  shrinkage: r.shrinkage,
  patience: r.patience_s,
});

function byChannel(rows: RequirementDbRow[]): Map<string, RequirementDbRow[]> {
  const m = new Map<string, RequirementDbRow[]>();
  for (const r of rows) m.set(r.channel, [...(m.get(r.channel) ?? []), r]);
  return m;
}

function weekStart(field: string, text: string): number {
  const ms = Date.parse(`${text}T00:00:00Z`);
  if (!Number.isFinite(ms)) throw new BadRequest(field, `"${text}" is not a valid date`);
  if (new Date(ms).getUTCDay() !== 1) throw new BadRequest(field, `${text} is not a Monday`);
  return ms;
}

export const staffingRoutes: FastifyPluginAsync<AppDeps> = async (fastify, deps) => {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  installErrorHandler(app);
  const timeoutMs = deps.queryTimeoutMs ?? 10_000;
  const now = () => deps.now?.() ?? Date.now();
  const client = deps.store.client;
  const notFound = (request: { id: unknown }, error: string) => ({ error, request_id: String(request.id) });

  const load = async (queue: string, channel: string, fromMs: number, toMs: number, runId = '') => {
    const run = await fromStore(() => latestRun(client, queue, runId), timeoutMs);
    if (!run) return null;
    const rows = await fromStore(
      () => requirementRows(client, run.run_id, { queue, channel, fromMs, toMs }),
      timeoutMs,
    );
    return { run, rows };
  };
  const range = (from?: string, to?: string) => {
    const f = parseTime('from', from, 'UTC') ?? 0;
    const t = parseTime('to', to, 'UTC', true) ?? Date.UTC(2200, 0, 1);
    if (t <= f) throw new BadRequest('to', 'must be after from');
    return [f, t] as const;
  };

  app.get(
    '/v1/staffing',
    {
      schema: {
        summary: 'Agents required per half-hour (latest run), with the settings that sized them',
        querystring: StaffingQuery,
        response: { 200: StaffingAnswer, 400: ErrorBody, 404: ErrorBody, 503: ErrorBody },
      },
    },
    async (request, reply) => {
      const q = request.query;
      const [from, to] = range(q.from, q.to);
      const got = await load(q.queue, q.channel ?? '', from, to, q.run_id);
      if (!got)
        return reply.code(404).send(notFound(request, `no forecast run for queue ${q.queue}: POST /v1/forecasts/run`));
      const settings = [...byChannel(got.rows)].map(([channel, rs]) => ({
        channel,
        model: rs[0]!.model,
        threshold_s: rs[0]!.threshold_s,
        sl_target: rs[0]!.sl_target,
        max_occupancy: rs[0]!.max_occupancy,
        shrinkage: rs[0]!.shrinkage,
        patience_s: rs[0]!.patience_s,
      }));
      return {
        run_id: got.run.run_id,
        queue: q.queue,
        settings,
        rows: got.rows.map((r) => ({
          channel: r.channel,
          interval_start: r.interval_start,
          volume: r.volume,
          aht: r.aht,
          required: r.required,
          scheduled_needed: r.scheduled_needed,
          expected_sl: r.expected_sl,
          asa: r.asa,
          occupancy: r.occupancy,
          abandon: r.abandon,
          target_met: r.target_met,
          model: r.model,
        })),
      };
    },
  );

  app.post(
    '/v1/staffing/whatif',
    {
      schema: {
        summary:
          'What-if on the latest requirements: volume ±%, AHT, SL target, shrinkage, occupancy cap → requirements and expected SL (writes nothing)',
        body: WhatIfBody,
        response: { 200: WhatIfAnswer, 400: ErrorBody, 404: ErrorBody, 503: ErrorBody },
      },
    },
    async (request, reply) => {
      const b = request.body;
      const [from, to] = range(b.from, b.to);
      const got = await load(b.queue, b.channel ?? '', from, to);
      if (!got || got.rows.length === 0)
        return reply.code(404).send(notFound(request, `no staffing requirements for queue ${b.queue} in that range`));
      const channels = [...byChannel(got.rows)].map(([channel, rs]) => {
        const r = whatIf(
          rs.map((x) => ({ interval_start: x.interval_start, volume: x.volume, aht: x.aht > 0 ? x.aht : 1 })),
          settingsOf(rs[0]!),
          {
            ...(b.volume_pct !== undefined ? { volumePct: b.volume_pct } : {}),
            ...(b.aht_pct !== undefined ? { ahtPct: b.aht_pct } : {}),
            ...(b.aht_seconds !== undefined ? { ahtSeconds: b.aht_seconds } : {}),
            ...(b.sl_target !== undefined ? { serviceLevel: b.sl_target } : {}),
            ...(b.threshold_s !== undefined ? { threshold: b.threshold_s } : {}),
            ...(b.asa_s !== undefined ? { asa: b.asa_s } : {}),
            ...(b.shrinkage !== undefined ? { shrinkage: b.shrinkage } : {}),
            ...(b.max_occupancy !== undefined ? { maxOccupancy: b.max_occupancy } : {}),
          },
        );
        return {
          channel,
          baseline: r.baseline.summary,
          scenario: r.scenario.summary,
          delta: r.delta,
          rows: r.scenario.rows.map((x, i) => ({
            interval_start: x.interval_start,
            volume: x.volume,
            aht: x.aht,
            required: x.required,
            scheduled_needed: x.scheduled_needed,
            expected_sl: x.expected_sl,
            baseline_required: r.baseline.rows[i]!.required,
          })),
        };
      });
      return { run_id: got.run.run_id, queue: b.queue, channels };
    },
  );

  app.get(
    '/v1/staffing/intraday',
    {
      schema: {
        summary:
          "Intraday reforecast: the rest of today's forecast scaled by actual ÷ forecast so far (damped), with the adjusted requirement",
        querystring: IntradayQuery,
        response: { 200: IntradayAnswer, 400: ErrorBody, 404: ErrorBody, 503: ErrorBody },
      },
    },
    async (request, reply) => {
      const q = request.query;
      const t = now();
      const day = Math.floor(t / DAY) * DAY;
      const got = await load(q.queue, q.channel ?? '', day, day + DAY);
      if (!got || got.rows.length === 0)
        return reply
          .code(404)
          .send(
            notFound(request, `no forecast for queue ${q.queue} today (${new Date(day).toISOString().slice(0, 10)})`),
          );
      const completedUntil = Math.floor(t / HALF_HOUR) * HALF_HOUR;
      const actual = await fromStore(() => actualRows(client, q.queue, day, completedUntil), timeoutMs);
      const channels = [...byChannel(got.rows)].map(([channel, rs]) => {
        const seen = new Map(actual.filter((a) => a.channel === channel).map((a) => [a.slot_ms, a]));
        const actuals: { interval_start: string; volume: number; aht: number | null }[] = [];
        for (let s = day; s < completedUntil; s += HALF_HOUR) {
          const a = seen.get(s);
          actuals.push({
            interval_start: new Date(s).toISOString().replace('.000Z', 'Z'),
            volume: a?.offered ?? 0,
            aht: a?.aht ?? null,
          });
        }
        const forecast = rs.map((x) => ({
          interval_start: x.interval_start,
          volume: x.volume,
          aht: x.aht > 0 ? x.aht : 1,
        }));
        const planned = new Map(rs.map((x) => [x.interval_start, x.required]));
        const r = reforecastIntraday({ forecast, actuals, settings: settingsOf(rs[0]!) });
        return {
          channel,
          completed_intervals: r.completedIntervals,
          volume_ratio: r.volumeRatio,
          aht_ratio: r.ahtRatio,
          weight: r.weight,
          volume_factor: r.volumeFactor,
          aht_factor: r.ahtFactor,
          remaining: r.remaining.map((x) => ({
            interval_start: x.interval_start,
            volume: x.volume,
            aht: x.aht,
            required: x.required,
            scheduled_needed: x.scheduled_needed,
            expected_sl: x.expected_sl,
            planned_required: planned.get(x.interval_start) ?? 0,
          })),
        };
      });
      return {
        run_id: got.run.run_id,
        queue: q.queue,
        day: new Date(day).toISOString().slice(0, 10),
        as_of: new Date(t).toISOString(),
        channels,
      };
    },
  );

  app.get(
    '/v1/schedule',
    {
      schema: {
        summary: 'The last shift plan solved for a queue and week',
        querystring: ScheduleQuery,
        response: { 200: PlanAnswer, 400: ErrorBody, 404: ErrorBody, 503: ErrorBody },
      },
    },
    async (request, reply) => {
      const { queue, week } = request.query;
      weekStart('week', week);
      const rows = await fromStore(
        () =>
          (async () =>
            (
              await client.query({
                query: `SELECT channel, run_id, toString(solved_at) AS solved_at, plan FROM shift_plans FINAL WHERE queue = {queue:String} AND week = {week:Date} LIMIT 1`,
                query_params: { queue, week },
                format: 'JSONEachRow',
              })
            ).json<{ channel: string; run_id: string; solved_at: string; plan: string }>())(),
        timeoutMs,
      );
      const r = rows[0];
      if (!r)
        return reply
          .code(404)
          .send(notFound(request, `no plan for queue ${queue} week ${week}: POST /v1/schedule/solve`));
      return {
        queue,
        week,
        channel: r.channel === '' ? null : r.channel,
        run_id: r.run_id,
        solved_at: `${r.solved_at.replace(' ', 'T')}Z`,
        requirement: 'scheduled_needed',
        plan: JSON.parse(r.plan) as Record<string, unknown>,
      };
    },
  );

  app.post(
    '/v1/schedule/solve',
    {
      schema: {
        summary:
          "Shift plan for a queue's week: covers scheduled_needed (Σ over channels unless one is given) of the latest run at least cost (HiGHS); stored as the week's plan",
        body: SolveBody,
        response: { 200: PlanAnswer, 400: ErrorBody, 404: ErrorBody, 503: ErrorBody },
      },
    },
    async (request, reply) => {
      const b = request.body;
      const start = weekStart('week', b.week);
      let config: schedule.PatternsConfig;
      try {
        config = schedule.parsePatterns(b.patterns);
      } catch (error) {
        const msg = (error as Error).message;
        const field = /^([\w.[\]]+):/.exec(msg)?.[1] ?? '';
        throw new BadRequest(
          `patterns${field && field !== 'patterns.json' && field !== 'patterns' ? `.${field}` : ''}`,
          msg,
        );
      }
      const got = await load(b.queue, b.channel ?? '', start, start + 7 * DAY, b.run_id);
      if (!got || got.rows.length === 0)
        return reply
          .code(404)
          .send(notFound(request, `no staffing requirements for queue ${b.queue} in the week of ${b.week}`));
      const required = new Int32Array(7 * 48);
      for (const r of got.rows) {
        const slot = (Date.parse(r.interval_start) - start) / HALF_HOUR;
        required[slot] = required[slot]! + r.scheduled_needed;
      }
      let plan: schedule.SchedulePlan;
      try {
        plan = await schedule.recommendShifts({ originMinutes: start / 60_000, days: 7, required }, config);
      } catch (error) {
        if (error instanceof RangeError) throw new BadRequest('patterns', error.message);
        throw error;
      }
      const solvedAt = now();
      await fromStore(
        () =>
          client.insert({
            table: 'shift_plans',
            format: 'JSONEachRow',
            values: [
              {
                queue: b.queue,
                week: b.week,
                channel: b.channel ?? '',
                run_id: got.run.run_id,
                solved_at: chTime(solvedAt),
                patterns: JSON.stringify(b.patterns),
                plan: JSON.stringify(plan),
              },
            ],
          }),
        timeoutMs,
      );
      return {
        queue: b.queue,
        week: b.week,
        channel: b.channel ?? null,
        run_id: got.run.run_id,
        solved_at: new Date(solvedAt).toISOString(),
        requirement: 'scheduled_needed',
        plan: plan as unknown as Record<string, unknown>,
      };
    },
  );
};
