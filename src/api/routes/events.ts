// POST /v1/events: one event, a JSON array, or NDJSON — the same contract as the Kafka topic.
// Valid items are stored even when others in the batch are not; each invalid item goes to the
// dead-letter table and is reported by index. 200 all stored, 207 some, 400 none.
import Type from 'typebox';
import type { FastifyPluginAsync } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { AnyEvent } from '../../events/index.js';
import { addPayload, addValue, emptyBatch, rowCount } from '../../../pipelines/ingest/prepare.js';
import { WriteAbortedError } from '../../../pipelines/ingest/writer.js';
import type { AppDeps } from '../app.js';
import { installErrorHandler } from './errors.js';

const ItemError = Type.Object({ index: Type.Integer(), error: Type.String() });
const IngestResult = Type.Object({
  accepted: Type.Integer({ description: 'events stored' }),
  rejected: Type.Integer({ description: 'events written to the dead-letter table' }),
  errors: Type.Array(ItemError),
  request_id: Type.String(),
});
const ErrorBody = Type.Object({ error: Type.String(), request_id: Type.String() });

export const eventRoutes: FastifyPluginAsync<AppDeps> = async (fastify, deps) => {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  // Wrong content type, a body over 16 MB: answered naming the header or the body.
  installErrorHandler(app);
  // Keep the body as text: a payload that fails to parse is still stored, byte for byte.
  app.addContentTypeParser(
    ['application/json', 'application/x-ndjson', 'text/plain'],
    { parseAs: 'string' },
    (_req, body, done) => done(null, body),
  );

  app.post(
    '/v1/events',
    {
      schema: {
        summary: 'Ingest events',
        description:
          'Body: one event object, a JSON array of events (application/json), or one event per line (application/x-ndjson). ' +
          'Valid items are stored even when others fail; invalid ones go to the dead-letter table with the reason and are listed by index.',
        body: Type.Union([AnyEvent, Type.Array(AnyEvent)]),
        response: { 200: IngestResult, 207: IngestResult, 400: IngestResult, 503: ErrorBody },
      },
      // The contract is checked item by item below, so that one bad item does not refuse the rest.
      validatorCompiler: () => () => true,
    },
    async (request, reply) => {
      const text = typeof request.body === 'string' ? request.body : JSON.stringify(request.body ?? '');
      const requestId = String(request.id);
      const batch = emptyBatch();
      const now = Date.now();
      const isNdjson = (request.headers['content-type'] ?? '').includes('ndjson');
      if (isNdjson) {
        let index = 0;
        for (const line of text.split('\n')) {
          if (line.trim() === '') continue;
          addPayload(batch, line, { source: 'http', requestId, item: index++ }, now);
        }
      } else {
        let parsed: unknown;
        let parseError: string | undefined;
        try {
          parsed = JSON.parse(text);
        } catch (error) {
          parseError = (error as Error).message;
        }
        if (parseError !== undefined) addPayload(batch, text, { source: 'http', requestId, item: 0 }, now);
        else if (Array.isArray(parsed))
          parsed.forEach((item, index) => addValue(batch, item, { source: 'http', requestId, item: index }, now));
        else addValue(batch, parsed, { source: 'http', requestId, item: 0 }, now);
      }
      deps.ingestMetrics.received.inc({ source: 'http' }, batch.errors.length);
      try {
        await deps.writer.write(batch, { signal: AbortSignal.timeout(deps.ingestTimeoutMs ?? 10_000) });
      } catch (error) {
        if (!(error instanceof WriteAbortedError)) throw error;
        return reply
          .code(503)
          .send({ error: `store unavailable, nothing was stored: ${error.message}`, request_id: requestId });
      }
      const errors = batch.errors.flatMap((error, index) => (error === null ? [] : [{ index, error }]));
      const accepted = rowCount(batch);
      const code = errors.length === 0 ? 200 : accepted > 0 ? 207 : 400;
      return reply.code(code).send({ accepted, rejected: errors.length, errors, request_id: requestId });
    },
  );
};
