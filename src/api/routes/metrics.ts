// GET /v1/metrics: every docs/spec.md metric per interval (30m, 1h, 1d, 1w) for a queue (or all
// queues) and optionally one channel, with the counts beside the ratios.
import Type from 'typebox';
import type { FastifyPluginAsync } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { CHANNELS } from '../../events/index.js';
import { INTERVALS } from '../../metrics/intervals.js';
import { queryMetrics } from '../../metrics/query.js';
import { MetricsResultSchema } from '../../metrics/schemas.js';
import { currentVersion, loadVersions } from '../../metrics/settings.js';
import { isTimeZone, startOfLocalDay, nextLocalDay } from '../../metrics/tz.js';
import type { AppDeps } from '../app.js';
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
});

export const metricsRoutes: FastifyPluginAsync<AppDeps> = async (fastify, deps) => {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  installErrorHandler(app);
  const timeoutMs = deps.queryTimeoutMs ?? 10_000;
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
    async (request) => {
      const q = request.query;
      const now = deps.now?.() ?? Date.now();
      if (q.tz !== undefined && !isTimeZone(q.tz)) throw new BadRequest('tz', `unknown time zone "${q.tz}"`);
      const queue = q.queue;
      if (queue !== undefined) await requireKnownQueue(deps.store.client, queue, timeoutMs);
      const tz =
        q.tz ??
        (queue
          ? currentVersion(
              (await fromStore(() => loadVersions(deps.store.client, [queue]), timeoutMs)).get(queue)!,
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
      return fromStore(
        () => queryMetrics(deps.store.client, { queue: q.queue, channel: q.channel, from, to, interval, tz, now }),
        timeoutMs,
      );
    },
  );
};
