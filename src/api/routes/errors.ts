// Error answers shared by the metrics routes: 400 naming the field, 503 when the store does
// not answer (never a hang: every store call has a deadline).
import Type from 'typebox';
import type { FastifyError, FastifyInstance } from 'fastify';
import { withStoreSignal, withTimeout } from '../../store/index.js';

export const ErrorBody = Type.Object({
  error: Type.String(),
  field: Type.Optional(Type.String()),
  request_id: Type.String(),
});

export class BadRequest extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(`${field}: ${message}`);
  }
}

export class StoreUnavailable extends Error {}

/**
 * Runs store work under a deadline; anything but a SQL error from a live store means the store is
 * unavailable. The statements `work` issues carry the deadline: those still queued for the
 * embedded engine when it passes are dropped unrun, so an overloaded store sheds the work of
 * requests that have already been answered 503 instead of running it later.
 */
export async function fromStore<T>(work: () => Promise<T>, timeoutMs: number): Promise<T> {
  const deadline = new AbortController();
  const timer = setTimeout(() => deadline.abort(new Error(`request deadline of ${timeoutMs} ms passed`)), timeoutMs);
  try {
    return await withTimeout(withStoreSignal(deadline.signal, work), timeoutMs, 'the store');
  } catch (error) {
    const e = error as { clickhouseCode?: unknown; code?: unknown; message?: string };
    // Our own bugs and bad input are not an outage; a store that answered with a SQL error is not either.
    if (
      error instanceof BadRequest ||
      error instanceof TypeError ||
      error instanceof RangeError ||
      error instanceof SyntaxError
    )
      throw error;
    if (e.clickhouseCode !== undefined && !/ECONN|closed/i.test(String(e.message))) throw error;
    throw new StoreUnavailable(`store unavailable: ${e.message ?? String(error)}`);
  } finally {
    clearTimeout(timer);
    // Whatever the outcome, statements of this work still queued are no longer wanted.
    deadline.abort(new Error('the request was answered'));
  }
}

function frameworkError(
  error: FastifyError,
  contentType: string | undefined,
): { error: string; field: string } | undefined {
  switch (error.code) {
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return {
        error: `content-type: ${contentType ? `"${contentType.slice(0, 100)}" is not accepted here` : 'missing'}; send application/json`,
        field: 'content-type',
      };
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
    case 'FST_ERR_CTP_INVALID_TYPE':
      return { error: `body: ${error.message}`, field: 'body' };
    default:
      return undefined;
  }
}

export function installErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    const request_id = String(request.id);
    if (error.validation && error.validation.length > 0) {
      const v = error.validation[0]!;
      const params = v.params as Record<string, unknown>;
      const field =
        (typeof params?.missingProperty === 'string' ? params.missingProperty : '') ||
        (typeof params?.additionalProperty === 'string' ? params.additionalProperty : '') ||
        v.instancePath.replace(/^\//, '').replace(/\//g, '.') ||
        (error.validationContext ?? 'request');
      const allowed = Array.isArray(params?.allowedValues)
        ? ` (one of ${(params.allowedValues as unknown[]).join(', ')})`
        : '';
      return reply.code(400).send({ error: `${field}: ${v.message ?? 'is invalid'}${allowed}`, field, request_id });
    }
    if (error instanceof BadRequest)
      return reply.code(400).send({ error: error.message, field: error.field, request_id });
    if (error instanceof StoreUnavailable) return reply.code(503).send({ error: error.message, request_id });
    if (error.statusCode === 429) return reply.code(429).send({ error: error.message, request_id });
    // Fastify's own body errors say "Unsupported Media Type" and the like: name what was wrong.
    const framework = frameworkError(error, request.headers['content-type']);
    if (framework) return reply.code(error.statusCode ?? 400).send({ ...framework, request_id });
    if ((error.statusCode ?? 500) >= 500) request.log.error({ err: error }, 'request failed');
    return reply
      .code(error.statusCode && error.statusCode >= 400 ? error.statusCode : 500)
      .send({ error: error.message, request_id });
  });
}
