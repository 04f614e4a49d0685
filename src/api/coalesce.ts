// Identical reads share one answer: a GET arriving while the same URL is being answered waits
// for that answer instead of queueing its own store queries. The embedded engine runs one query
// at a time, so 50 wallboards polling the same snapshot would otherwise queue 50 computations
// (and ingest inserts behind them). Register after auth and rate limiting: those still apply to
// every request. Answers never differ by key (keys grant access, not views).
import fp from 'fastify-plugin';
import type { FastifyRequest } from 'fastify';

interface Answer {
  status: number;
  contentType: string | undefined;
  body: string | Buffer;
}

export interface CoalesceOptions {
  /** Path prefixes whose GETs are shared, e.g. ['/v1/realtime', '/v1/metrics']. */
  prefixes: readonly string[];
  /** Never shared (streams). */
  except?: readonly string[];
}

const leaders = new WeakMap<FastifyRequest, { key: string; settle: (answer: Answer | undefined) => void }>();

export const coalesceReads = fp<CoalesceOptions>(async (app, options) => {
  const inFlight = new Map<string, Promise<Answer | undefined>>();
  const applies = (url: string) => {
    const path = url.split('?', 1)[0]!;
    return (
      options.prefixes.some((p) => path === p || path.startsWith(`${p}/`)) &&
      !(options.except ?? []).some((p) => path === p)
    );
  };

  app.addHook('onRequest', async (request, reply) => {
    if (request.method !== 'GET' || !applies(request.url)) return;
    const key = request.url;
    const running = inFlight.get(key);
    if (running) {
      const answer = await running;
      // No shareable answer (the leader was aborted or streamed): compute our own.
      if (answer === undefined) return;
      if (answer.contentType !== undefined) reply.type(answer.contentType);
      return reply.code(answer.status).header('x-callcast-shared', '1').send(answer.body);
    }
    let settle!: (answer: Answer | undefined) => void;
    inFlight.set(key, new Promise((resolve) => (settle = resolve)));
    leaders.set(request, {
      key,
      settle: (answer) => {
        inFlight.delete(key);
        settle(answer);
      },
    });
  });

  app.addHook('onSend', async (request, reply, payload) => {
    const leader = leaders.get(request);
    if (leader) {
      leaders.delete(request);
      const shareable = typeof payload === 'string' || Buffer.isBuffer(payload);
      const contentType = reply.getHeader('content-type');
      leader.settle(
        shareable
          ? {
              status: reply.statusCode,
              contentType: contentType === undefined ? undefined : String(contentType),
              body: payload,
            }
          : undefined,
      );
    }
    return payload;
  });

  // A leader that never reaches onSend (client gone, hijacked reply) must not hold followers.
  const release = async (request: FastifyRequest) => {
    leaders.get(request)?.settle(undefined);
    leaders.delete(request);
  };
  app.addHook('onResponse', release);
  app.addHook('onRequestAbort', release);
});
