// Unknown fields in a request body are refused, never dropped: a misspelt `volume_percent` must
// not answer the baseline. The app's validator keeps unknown properties (removeAdditional off),
// so every object schema with `additionalProperties: false` fails on them; this hook runs before
// validation on such bodies and names every unknown top-level field at once (the validator
// stops at the first), with the fields the route knows.
import type { FastifyInstance, preValidationHookHandler, RouteOptions } from 'fastify';
import { BadRequest } from './routes/errors.js';

interface ObjectSchema {
  type?: unknown;
  properties?: Record<string, unknown>;
  additionalProperties?: unknown;
}

/** The unknown top-level keys of `body` under `schema`, in body order; [] when the schema allows any. */
export function unknownFields(schema: ObjectSchema, body: unknown): string[] {
  if (schema.additionalProperties !== false || !schema.properties) return [];
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return [];
  return Object.keys(body).filter((k) => !Object.hasOwn(schema.properties!, k));
}

export class UnknownFields extends BadRequest {
  constructor(
    readonly fields: string[],
    known: string[],
  ) {
    super(fields[0]!, 'unknown field');
    // `field` is the first; the message names them all
    this.message = `${fields.join(', ')}: unknown field${fields.length > 1 ? 's' : ''} (known: ${known.join(', ')})`;
  }
}

/** Registers the check on every route whose body schema is a closed object. */
export function refuseUnknownFields(app: FastifyInstance): void {
  app.addHook('onRoute', (route: RouteOptions) => {
    const schema = (route.schema as { body?: ObjectSchema } | undefined)?.body;
    if (!schema || schema.additionalProperties !== false || !schema.properties) return;
    const known = Object.keys(schema.properties);
    const check: preValidationHookHandler = (request, _reply, done) => {
      const unknown = unknownFields(schema, request.body);
      done(unknown.length > 0 ? new UnknownFields(unknown, known) : undefined);
    };
    const existing = route.preValidation;
    route.preValidation =
      existing === undefined ? [check] : [check, ...(Array.isArray(existing) ? existing : [existing])];
  });
}
