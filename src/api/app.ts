// Builds the Fastify app (no listening here: src/api/server.ts listens, tests use inject).
import { randomUUID } from 'node:crypto';
import Fastify, { type FastifyInstance } from 'fastify';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import type { Store } from '../store/index.js';
import type { BatchWriter } from '../../pipelines/ingest/writer.js';
import type { IngestMetrics } from '../../pipelines/ingest/prometheus.js';
import { healthRoutes } from './routes/health.js';
import { eventRoutes } from './routes/events.js';
import rateLimit from '@fastify/rate-limit';
import { accessPath, authPlugin } from './auth/plugin.js';
import { installErrorHandler } from './routes/errors.js';
import { refuseUnknownFields } from './unknown-fields.js';
import { coalesceReads } from './coalesce.js';
import { closeConnectionsWhenAnswered } from './graceful-close.js';
import type { KeyRing } from './auth/keys.js';
import { metricsRoutes } from './routes/metrics.js';
import { queueRoutes } from './routes/queues.js';
import { realtimeRoutes } from './routes/realtime.js';
import { webRoutes } from './routes/web.js';
import { forecastRoutes } from './routes/forecasts/index.js';
import { staffingRoutes } from './routes/staffing.js';
import { alertRoutes } from './routes/alerts.js';
import type { AlertFeed } from '../alerts/feed.js';
import { reportRoutes } from './routes/reports.js';
import { agentRoutes } from './routes/agents/index.js';
import { logSerializers } from '../logger.js';

export interface AppDeps {
  store: Store;
  writer: BatchWriter;
  ingestMetrics: IngestMetrics;
  registry: Registry;
  logger: Logger;
  /** Present when the service consumes Kafka: /readyz reports it. */
  kafkaHealthy?: () => boolean;
  /** How long an HTTP ingest waits for a store that is down before answering 503. */
  ingestTimeoutMs?: number;
  /** API keys (CALLCAST_API_KEYS_FILE); absent = open API. */
  apiKeys?: KeyRing;
  /** Requests per minute per key (or per address without keys) on /v1. Default 1200. */
  rateLimitPerMinute?: number;
  /** Deadline of metrics/realtime store queries before 503. Default 10 s. */
  queryTimeoutMs?: number;
  /** Period of /v1/realtime/stream snapshots. Default 2 s. */
  realtimeIntervalMs?: number;
  /** Open /v1/realtime/stream connections per key (per address when open). Default 20. */
  maxStreamsPerKey?: number;
  /** Clock, injectable for tests. */
  now?: () => number;
  /** The running alert evaluator: its open alerts and changes go out on /v1/realtime/stream. */
  alerts?: AlertFeed;
  /** Silence after which an agent's state shows as unknown (default: CALLCAST_AGENT_SILENCE_S, 15 min). */
  agentSilenceMs?: number;
}

export const MAX_BODY_BYTES = 16 * 1024 * 1024;

export async function buildApp(deps: AppDeps) {
  const app = Fastify({
    // Whatever logger the caller passes, request lines mask ?api_key= (src/logger.ts).
    loggerInstance: deps.logger.child({}, { serializers: logSerializers }),
    genReqId: () => randomUUID(),
    bodyLimit: MAX_BODY_BYTES,
    // Unknown body fields fail validation instead of being dropped (src/api/unknown-fields.ts).
    ajv: { customOptions: { removeAdditional: false } },
  }).withTypeProvider<TypeBoxTypeProvider>();
  closeConnectionsWhenAnswered(app as unknown as FastifyInstance);
  // Outside the route plugins too (404s, health, docs): errors name what was wrong, never a bare 500.
  installErrorHandler(app as unknown as Parameters<typeof installErrorHandler>[0]);
  refuseUnknownFields(app as unknown as FastifyInstance);

  await app.register(swagger, {
    openapi: {
      info: {
        title: 'Callcast API',
        version: '0.1.0',
        description:
          'Contact-centre events in; metrics, forecasts and staffing out. Every contact counts in the half-hour in which it was queued.',
      },
    },
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });
  await app.register(authPlugin, { keys: deps.apiKeys, now: deps.now });
  await app.register(rateLimit, {
    max: deps.rateLimitPerMinute ?? 1200,
    timeWindow: 60_000,
    // Ingest is paced by the store (503 when it lags), not by a request quota.
    allowList: (request) => {
      const path = accessPath(request);
      return !path.startsWith('/v1/') || (request.method === 'POST' && path === '/v1/events');
    },
    keyGenerator: (request) => (request.apiKey ? `key:${request.apiKey.name}` : `ip:${request.ip}`),
  });
  // After auth and the rate limit, which still see every request (docs/reliability.md, Load).
  await app.register(coalesceReads, {
    prefixes: ['/v1/realtime', '/v1/metrics', '/v1/queues'],
    except: ['/v1/realtime/stream'],
  });
  await app.register(healthRoutes, deps);
  await app.register(eventRoutes, deps);
  await app.register(queueRoutes, deps);
  await app.register(metricsRoutes, deps);
  await app.register(realtimeRoutes, deps);
  await app.register(webRoutes, deps);
  await app.register(forecastRoutes, deps);
  await app.register(staffingRoutes, deps);
  await app.register(alertRoutes, deps);
  await app.register(reportRoutes, deps);
  await app.register(agentRoutes, deps);
  return app;
}
