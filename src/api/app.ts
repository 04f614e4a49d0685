// Builds the Fastify app (no listening here: src/cli/service.ts listens, tests use inject).
import { randomUUID } from 'node:crypto';
import Fastify from 'fastify';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import type { Store } from '../store/index.js';
import type { BatchWriter } from '../../pipelines/ingest/writer.js';
import type { IngestMetrics } from '../../pipelines/ingest/metrics.js';
import { healthRoutes } from './routes/health.js';
import { eventRoutes } from './routes/events.js';

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
}

export const MAX_BODY_BYTES = 16 * 1024 * 1024;

export async function buildApp(deps: AppDeps) {
  const app = Fastify({
    loggerInstance: deps.logger,
    genReqId: () => randomUUID(),
    bodyLimit: MAX_BODY_BYTES,
  }).withTypeProvider<TypeBoxTypeProvider>();

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
  await app.register(healthRoutes, deps);
  await app.register(eventRoutes, deps);
  return app;
}
