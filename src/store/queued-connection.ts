// @clickhouse/client's Connection over the embedded engine, with every statement passed through
// one EngineQueue: inserts are the write lane, everything else (queries, commands, pings) the
// read lane. An insert's body is read into a string before it queues, so the engine never waits
// on the main thread serialising rows.
import type { createClient } from '@clickhouse/client';
import { currentStoreSignal } from './deadline.js';
import type { EngineQueue, Lane } from './engine-queue.js';

export type ClientConnection = NonNullable<NonNullable<Parameters<typeof createClient>[0]>['connection']>;
type InsertParams = Parameters<ClientConnection['insert']>[0];

async function bodyOf(values: InsertParams['values']): Promise<string> {
  if (typeof values === 'string') return values;
  const parts: string[] = [];
  for await (const chunk of values as AsyncIterable<string | Uint8Array>)
    parts.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
  return parts.join('');
}

function signalOf(own: AbortSignal | undefined): AbortSignal | undefined {
  const scoped = currentStoreSignal();
  if (own && scoped) return AbortSignal.any([own, scoped]);
  return own ?? scoped;
}

export function queuedConnection(inner: ClientConnection, queue: EngineQueue): ClientConnection {
  // The signal only decides whether a statement starts: once running it runs to the end (chDB
  // cannot interrupt it), and the engine stays busy until it does.
  const inLane = <T>(lane: Lane, own: AbortSignal | undefined, run: () => Promise<T>) =>
    queue.submit(lane, run, signalOf(own));
  return {
    ping: (params) => inLane('read', undefined, () => inner.ping(params)),
    query: (params) => inLane('read', params.abort_signal, () => inner.query({ ...params, abort_signal: undefined })),
    command: (params) =>
      inLane('read', params.abort_signal, () => inner.command({ ...params, abort_signal: undefined })),
    exec: (params) => inLane('read', params.abort_signal, () => inner.exec({ ...params, abort_signal: undefined })),
    insert: async (params) => {
      const values = await bodyOf(params.values);
      return inLane('write', params.abort_signal, () => inner.insert({ ...params, values, abort_signal: undefined }));
    },
    close: async () => {
      queue.close();
      await inner.close();
    },
  };
}
