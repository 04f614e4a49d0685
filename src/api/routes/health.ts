// Liveness, readiness (store and Kafka reachable?) and Prometheus metrics.
import Type from 'typebox';
import type { FastifyPluginAsync } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { AppDeps } from '../app.js';

const Readiness = Type.Object({
  status: Type.Union([Type.Literal('ready'), Type.Literal('not ready')]),
  store: Type.Object({ kind: Type.String(), reachable: Type.Boolean() }),
  kafka: Type.Optional(Type.Object({ reachable: Type.Boolean() })),
});

export const healthRoutes: FastifyPluginAsync<AppDeps> = async (fastify, deps) => {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  app.get(
    '/healthz',
    { schema: { summary: 'The process is alive', response: { 200: Type.Object({ status: Type.Literal('ok') }) } } },
    async () => ({ status: 'ok' as const }),
  );
  app.get(
    '/readyz',
    {
      schema: {
        summary: 'The store (and Kafka, when configured) answer',
        response: { 200: Readiness, 503: Readiness },
      },
    },
    async (_request, reply) => {
      const storeOk = await deps.store.ping(2_000);
      const kafkaOk = deps.kafkaHealthy ? deps.kafkaHealthy() : undefined;
      const ready = storeOk && kafkaOk !== false;
      return reply.code(ready ? 200 : 503).send({
        status: ready ? 'ready' : 'not ready',
        store: { kind: deps.store.kind, reachable: storeOk },
        ...(kafkaOk === undefined ? {} : { kafka: { reachable: kafkaOk } }),
      });
    },
  );
  app.get('/metrics', { schema: { summary: 'Prometheus metrics', hide: true } }, async (_request, reply) => {
    reply.type(deps.registry.contentType);
    return deps.registry.metrics();
  });
};
