// GET /v1/realtime: the wallboard snapshot of one queue or all; GET /v1/realtime/stream: the
// same as Server-Sent Events, a fresh snapshot every interval (default 2 s; ../event-stream.ts).
import Type from 'typebox';
import type { FastifyPluginAsync } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { snapshotAll } from '../../metrics/realtime.js';
import { RealtimeSchema } from '../../metrics/schemas.js';
import type { AppDeps } from '../app.js';
import { ErrorBody, fromStore, installErrorHandler } from './errors.js';
import { eventStreams } from '../event-stream.js';
import { requireKnownQueue } from './known-queue.js';

const Query = Type.Object({
  queue: Type.Optional(Type.String({ minLength: 1, maxLength: 128, description: 'one queue; absent = every queue' })),
});
const StreamQuery = Type.Object({
  queue: Type.Optional(Type.String({ minLength: 1, maxLength: 128 })),
  interval_ms: Type.Optional(
    Type.Integer({
      minimum: 250,
      maximum: 60_000,
      description: 'snapshot period; default 2000 or the service setting',
    }),
  ),
});

export const realtimeRoutes: FastifyPluginAsync<AppDeps> = async (fastify, deps) => {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  installErrorHandler(app);
  const timeoutMs = deps.queryTimeoutMs ?? 10_000;
  const streams = eventStreams(fastify, deps.maxStreamsPerKey ?? 20);
  const snapshot = async (queue?: string) => {
    const now = deps.now?.() ?? Date.now();
    return {
      generated_at: new Date(now).toISOString(),
      queues: await fromStore(() => snapshotAll(deps.store.client, now, queue), timeoutMs),
    };
  };

  // Readers share computations: a snapshot of every queue in progress (or younger than the
  // reader's max age) answers any queue's reader too, so however many wallboards and API clients
  // ask, the store computes about one snapshot at a time. A plain GET takes only one still being
  // computed (max age 0: it never gets an answer older than its own request plus one computation);
  // a stream takes one younger than half its period.
  type Snapshot = Awaited<ReturnType<typeof snapshot>>;
  const shared = new Map<string, { at: number; promise: Promise<Snapshot>; done: boolean }>();
  const ALL = '\u0000all';
  const fresh = (key: string, maxAgeMs: number) => {
    const hit = shared.get(key);
    return hit && (!hit.done || performance.now() - hit.at < maxAgeMs) ? hit.promise : undefined;
  };
  const start = (key: string, queue: string | undefined) => {
    const entry = { at: performance.now(), promise: snapshot(queue), done: false };
    shared.set(key, entry);
    entry.promise.then(
      () => {
        entry.done = true;
        // No reader takes a snapshot older than 30 s (the longest stream period's half): forget it.
        setTimeout(() => shared.get(key) === entry && shared.delete(key), 30_000).unref();
      },
      // A failure is never served to the next reader.
      () => {
        if (shared.get(key) === entry) shared.delete(key);
      },
    );
    return entry.promise;
  };
  const sharedSnapshot = async (queue: string | undefined, maxAgeMs: number): Promise<Snapshot> => {
    const all = fresh(ALL, maxAgeMs);
    if (queue === undefined) return all ?? start(ALL, undefined);
    if (all) {
      const body = await all;
      const mine = body.queues.filter((s) => s.queue === queue);
      if (mine.length > 0) return { generated_at: body.generated_at, queues: mine };
    }
    return fresh(queue, maxAgeMs) ?? start(queue, queue);
  };

  app.get(
    '/v1/realtime',
    {
      schema: {
        summary: 'Wallboard snapshot: waiting now, longest wait, agents by state now, today so far with its half-hours',
        querystring: Query,
        response: { 200: RealtimeSchema, 400: ErrorBody, 404: ErrorBody, 503: ErrorBody },
      },
    },
    async (request) => {
      const queue = request.query.queue;
      if (queue !== undefined) await requireKnownQueue(deps.store.client, queue, timeoutMs);
      return sharedSnapshot(queue, 0);
    },
  );

  app.get(
    '/v1/realtime/stream',
    {
      schema: {
        summary:
          'Server-Sent Events: event "snapshot" (the /v1/realtime body) every interval; event "unavailable" while the store is down; ' +
          'with the alert evaluator running, event "alerts" ({active: [episodes]}) on connect and event "alert" ({change: opened|resolved, alert, active}) on every change',
        querystring: StreamQuery,
      },
    },
    async (request, reply) => {
      // Refused before the stream opens: a stream for a typo would poll the store for nothing.
      if (request.query.queue !== undefined) await requireKnownQueue(deps.store.client, request.query.queue, timeoutMs);
      // Alerts are pushed as they change, not polled: the evaluator tells every open stream.
      const matches = (queue: string) => request.query.queue === undefined || request.query.queue === queue;
      const activeHere = () => (deps.alerts?.active() ?? []).filter((e) => matches(e.queue));
      const period = request.query.interval_ms ?? deps.realtimeIntervalMs ?? 2_000;
      await streams.open(request, reply, {
        period,
        event: 'snapshot',
        what: 'snapshot',
        compute: () => sharedSnapshot(request.query.queue, period / 2),
        capHint: '; close one, or watch every queue on one stream (no queue parameter)',
        attach: (send) => {
          if (!deps.alerts) return undefined;
          const unsubscribe = deps.alerts.subscribe((c) => {
            if (matches(c.episode.queue)) send('alert', { change: c.change, alert: c.episode, active: activeHere() });
          });
          send('alerts', { active: activeHere() });
          return unsubscribe;
        },
      });
    },
  );
};
