// GET /v1/metrics: every docs/spec.md metric per interval (30m, 1h, 1d, 1w) for a queue (or all
// queues) and optionally one channel, with the counts beside the ratios; as CSV with format=csv
// or Accept: text/csv (one line per row, nested JSON keys joined with a dot).
import Type from 'typebox';
import type { FastifyPluginAsync } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { CHANNELS } from '../../events/index.js';
import { COUNT_FIELDS } from '../../metrics/figures.js';
import { INTERVALS } from '../../metrics/intervals.js';
import { queryMetricsUntil } from '../../metrics/query.js';
import { AnswerCache, sendJsonText, serialized } from '../answer-cache.js';
import { MetricsResultSchema } from '../../metrics/schemas.js';
import { currentVersion, SL_FORMULA_NAMES } from '../../metrics/settings.js';
import { cachedVersions, readStoreState } from '../../metrics/store-state.js';
import { isTimeZone, startOfLocalDay, nextLocalDay } from '../../metrics/tz.js';
import type { AppDeps } from '../app.js';
import { sendCsv, toCsv, wantsCsv } from '../csv.js';
import { BadRequest, ErrorBody, fromStore, installErrorHandler } from './errors.js';
import { parseTime } from './params.js';
import { requireKnownQueue } from './known-queue.js';

const MAX_SPAN_MS = 400 * 86_400_000;
const MAX_ROWS = 20_000;

export const MetricsQuerySchema = Type.Object({
  queue: Type.Optional(Type.String({ minLength: 1, maxLength: 128, description: 'a queue; absent = all queues' })),
  channel: Type.Optional(Type.Enum([...CHANNELS])),
  from: Type.Optional(
    Type.String({
      description: 'YYYY-MM-DD (local midnight), ISO-8601 with offset, or epoch ms; default: start of today',
    }),
  ),
  to: Type.Optional(Type.String({ description: 'exclusive; a date includes that whole day; default: end of today' })),
  interval: Type.Optional(Type.Enum([...INTERVALS], { default: '30m' })),
  tz: Type.Optional(
    Type.String({ maxLength: 64, description: "time zone of the cut; default: the queue's (UTC across all queues)" }),
  ),
  format: Type.Optional(
    Type.Enum(['json', 'csv'], { description: 'csv: the rows as CSV (also with Accept: text/csv); default json' }),
  ),
});

/** CSV columns: the JSON keys of a row, nested ones joined with a dot (counts.offered, service_level.value). */
export const METRICS_CSV_COLUMNS = [
  'queue',
  'channel',
  'start',
  'end',
  'start_local',
  'settings_versions',
  'threshold_s',
  'sl_target',
  ...COUNT_FIELDS.map((f) => `counts.${f}`),
  'service_level.formula',
  'service_level.definition',
  'service_level.value',
  ...SL_FORMULA_NAMES.map((f) => `service_level_by_formula.${f}`),
  'asa_s',
  'aht_s',
  'avg_talk_s',
  'avg_hold_s',
  'avg_wrap_s',
  'abandon_rate',
  'transfer_rate',
  'nps',
  'csat',
  'csat_pct',
  'fcr_survey',
  'fcr_repeat',
  'occupancy',
] as const;

/** One CSV record per row: its keys flattened one level (an object's fields as key.field). */
function flatRow(queue: string | null, channel: string | null, row: object): Record<string, unknown> {
  const out: Record<string, unknown> = { queue, channel };
  for (const [k, v] of Object.entries(row)) {
    if (v !== null && typeof v === 'object' && !Array.isArray(v))
      for (const [f, x] of Object.entries(v as object)) out[`${k}.${f}`] = x;
    else out[k] = v;
  }
  return out;
}

export const metricsRoutes: FastifyPluginAsync<AppDeps> = async (fastify, deps) => {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  installErrorHandler(app);
  const timeoutMs = deps.queryTimeoutMs ?? 10_000;
  const answers = new AnswerCache();
  app.get(
    '/v1/metrics',
    {
      schema: {
        summary: 'Contact-centre metrics per interval',
        description:
          'Every contact counts in the interval in which it was queued, for every figure of that contact (waits, abandons, handle time, surveys, repeat contacts). ' +
          'Intervals are cut in the queue time zone (DST days have 46 or 50 half-hours). Counts sit beside every ratio; ratios are null when their denominator is 0. ' +
          'Each contact is measured with the settings version in force when it was queued; each row names the service-level formula of the version in force at its start.',
        querystring: MetricsQuerySchema,
        response: { 200: MetricsResultSchema, 400: ErrorBody, 404: ErrorBody, 503: ErrorBody },
      },
    },
    async (request, reply) => {
      const q = request.query;
      const now = deps.now?.() ?? Date.now();
      if (q.tz !== undefined && !isTimeZone(q.tz)) throw new BadRequest('tz', `unknown time zone "${q.tz}"`);
      const queue = q.queue;
      if (queue !== undefined) await requireKnownQueue(deps.store.client, queue, timeoutMs);
      // One look at the store's state serves the settings and the rolled half-hours this process keeps.
      const state = await fromStore(() => readStoreState(deps.store.client), timeoutMs);
      const tz =
        q.tz ??
        (queue
          ? currentVersion(
              (await fromStore(() => cachedVersions(deps.store.client, state, [queue]), timeoutMs)).get(queue)!,
              now,
            ).settings.time_zone
          : 'UTC');
      const today = startOfLocalDay(now, tz);
      const from = parseTime('from', q.from, tz) ?? today;
      const to = parseTime('to', q.to, tz, true) ?? nextLocalDay(today, tz);
      if (to <= from) throw new BadRequest('to', 'must be after from');
      if (to - from > MAX_SPAN_MS) throw new BadRequest('to', 'at most 400 days per request');
      const interval = q.interval ?? '30m';
      if (interval === '30m' && (to - from) / 1_800_000 > MAX_ROWS)
        throw new BadRequest('interval', 'too many half-hours; use 1h, 1d or 1w');
      const csv = wantsCsv(request);
      // An answer read wholly from the rollup holds until the store changes or a repeat-contact
      // window in it closes: kept serialised, a planner's or a dashboard's repeated look is free.
      const key = JSON.stringify([q.queue ?? null, q.channel ?? null, from, to, interval, tz]);
      const stateKey = `${state.contactGen}/${state.agentGen}/${state.settings}`;
      const kept = csv ? undefined : answers.get(key, stateKey, now);
      if (kept !== undefined) return sendJsonText(reply, kept);
      const { answer, validUntil } = await fromStore(
        () =>
          queryMetricsUntil(
            deps.store.client,
            { queue: q.queue, channel: q.channel, from, to, interval, tz, now },
            state,
          ),
        timeoutMs,
      );
      if (!csv) {
        if (validUntil <= now) return answer;
        const body = serialized(reply, answer);
        answers.set(key, { state: stateKey, now, validUntil, body });
        return sendJsonText(reply, body);
      }
      const records = answer.rows.map((r) => flatRow(answer.queue, answer.channel, r));
      return sendCsv(reply, toCsv(METRICS_CSV_COLUMNS, records));
    },
  );
};
