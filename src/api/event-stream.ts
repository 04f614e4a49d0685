// Server-Sent Event streams of a route module (the wallboard's /v1/realtime/stream, the agents'
// /v1/agents/stream): the headers and retry hint, a body computed every period (event `unavailable`
// with the reason while the store does not answer), the open streams per key capped, and every
// stream ended as the app starts closing (preClose: onClose runs only once every request,
// streams included, has finished, so ending them there would wait on them).
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { StoreUnavailable } from './routes/errors.js';

/** Writes one event to an open stream. */
export type SendEvent = (event: string, data: unknown) => void;

export interface StreamOptions<T> {
  /** Milliseconds between two computations (the first is sent at once). */
  period: number;
  /** The event name of each computed body. */
  event: string;
  compute: () => Promise<T>;
  /** Names what failed in an `unavailable` event other than the store being down. */
  what: string;
  /** Added to the 429 answer: what the client can do instead. */
  capHint?: string;
  /** Pushes beside the loop (alerts as they change); called once open, returns its unsubscribe. */
  attach?: (send: SendEvent) => (() => void) | undefined;
}

export interface EventStreams {
  /** Answers the request with a stream, or 429 when its key already has the most open. */
  open<T>(request: FastifyRequest, reply: FastifyReply, options: StreamOptions<T>): Promise<void>;
}

export function eventStreams(fastify: FastifyInstance, maxPerKey: number): EventStreams {
  const streams = new Set<() => void>();
  // Open streams per key (per address on an open API): one key cannot hold the store busy with
  // dozens of loops.
  const openStreams = new Map<string, number>();
  fastify.addHook('preClose', async () => {
    for (const end of streams) end();
  });

  return {
    async open(request, reply, options) {
      const who = request.apiKey ? `key "${request.apiKey.name}"` : `address ${request.ip}`;
      const open = openStreams.get(who) ?? 0;
      if (open >= maxPerKey) {
        await reply.code(429).send({
          error: `${who} already has ${open} open streams (at most ${maxPerKey})${options.capHint ?? ''}`,
          request_id: String(request.id),
        });
        return;
      }
      openStreams.set(who, open + 1);
      let counted = true;
      const release = () => {
        if (!counted) return;
        counted = false;
        const left = (openStreams.get(who) ?? 1) - 1;
        if (left > 0) openStreams.set(who, left);
        else openStreams.delete(who);
      };
      const { period } = options;
      reply.hijack();
      const res = reply.raw;
      res.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-cache, no-transform',
        connection: 'keep-alive',
        'x-accel-buffering': 'no',
      });
      res.write(`retry: ${Math.max(period, 1000)}\n\n`);
      let closed = false;
      let timer: NodeJS.Timeout | undefined;
      const send: SendEvent = (event, data) => {
        if (!closed) res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
      };
      const tick = async () => {
        if (closed) return;
        try {
          send(options.event, await options.compute());
        } catch (error) {
          const message =
            error instanceof StoreUnavailable ? error.message : `${options.what} failed: ${(error as Error).message}`;
          send('unavailable', { error: message });
        }
        if (!closed) timer = setTimeout(() => void tick(), period);
      };
      const unsubscribe = options.attach?.(send);
      const stop = () => {
        release();
        closed = true;
        unsubscribe?.();
        clearTimeout(timer);
        streams.delete(end);
      };
      const end = () => {
        stop();
        res.end();
      };
      streams.add(end);
      request.raw.on('close', stop);
      void tick();
    },
  };
}
