// The real app (as test/support/app.ts builds it) with every route it registers collected
// through an onRoute hook, so that routes added later are fuzzed without a hand-kept list.
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import type { FastifyInstance, FastifySchema, InjectOptions } from 'fastify';
import { pino } from 'pino';
import { Registry } from 'prom-client';
import { buildApp, type AppDeps } from '../../../src/api/app.js';
import { accessFor, type Access } from '../../../src/api/auth/access.js';
import { createIngestMetrics } from '../../../pipelines/ingest/prometheus.js';
import { BatchWriter } from '../../../pipelines/ingest/writer.js';
import type { Store } from '../../../src/store/index.js';

export interface RouteInfo {
  method: string;
  url: string;
  schema: FastifySchema | undefined;
  access: Access;
}

export async function appWithRoutes(store: Store, options: Partial<AppDeps> = {}) {
  const routes: RouteInfo[] = [];
  // Fastify announces each new instance on this channel before any plugin or route is added.
  const onInstance = (message: unknown) => {
    (message as { fastify: FastifyInstance }).fastify.addHook('onRoute', (route) => {
      for (const method of [route.method].flat())
        routes.push({ method, url: route.url, schema: route.schema, access: accessFor(method, route.url) });
    });
  };
  subscribe('fastify.initialization', onInstance);
  try {
    const logger = pino({ level: 'silent' });
    const registry = new Registry();
    const ingestMetrics = createIngestMetrics(registry);
    const writer = new BatchWriter(store, ingestMetrics, logger);
    const app = await buildApp({
      store,
      writer,
      ingestMetrics,
      registry,
      logger,
      rateLimitPerMinute: 1_000_000,
      realtimeIntervalMs: 60_000,
      ...options,
    });
    await app.ready();
    return { app, routes };
  } finally {
    unsubscribe('fastify.initialization', onInstance);
  }
}

export type TestApp = Awaited<ReturnType<typeof appWithRoutes>>['app'];

/**
 * Rows per table of the store (every table, so tables added later are watched too), from
 * system.tables in one round trip. Background merges may lower a count; nothing else does.
 */
export async function tableCounts(store: Store): Promise<Record<string, number>> {
  const rows = await (
    await store.client.query({
      query: 'SELECT name, total_rows FROM system.tables WHERE database = currentDatabase() AND total_rows IS NOT NULL',
      format: 'JSONEachRow',
    })
  ).json<{ name: string; total_rows: string }>();
  return Object.fromEntries(rows.map((r) => [r.name, Number(r.total_rows)]));
}

/** Tables that gained rows between two counts. */
export function grown(before: Record<string, number>, after: Record<string, number>): string[] {
  return Object.keys(after).filter((t) => after[t]! > (before[t] ?? 0));
}

export interface Sent {
  status: number;
  headers: Record<string, unknown>;
  body: string;
}

/**
 * inject, but a Server-Sent Events answer (which never ends) is cut after its head: the
 * request is aborted, as a browser closing the page would.
 */
export async function send(app: TestApp, options: InjectOptions): Promise<Sent> {
  const controller = new AbortController();
  const response = await app.inject({ ...options, payloadAsStream: true, signal: controller.signal });
  const stream = response.stream();
  if (String(response.headers['content-type'] ?? '').startsWith('text/event-stream')) {
    controller.abort();
    stream.destroy();
    return { status: response.statusCode, headers: response.headers, body: '' };
  }
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.from(chunk as Buffer));
  return { status: response.statusCode, headers: response.headers, body: Buffer.concat(chunks).toString('utf8') };
}
