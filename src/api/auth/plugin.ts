// Authentication (API key → name and role) and authorisation (role → route) for /v1. With no
// key ring the API is open: the embedded demo on loopback, which says so when it starts.
import fp from 'fastify-plugin';
import type { FastifyRequest } from 'fastify';
import { accessFor } from './access.js';
import type { ApiKey, KeyRing } from './keys.js';

declare module 'fastify' {
  interface FastifyRequest {
    apiKey?: ApiKey;
  }
}

export interface AuthOptions {
  keys?: KeyRing;
}

/** Authorization: Bearer <key>, X-API-Key: <key>, or ?api_key= (browsers' EventSource cannot set headers). */
export function presentedKey(request: FastifyRequest): string | undefined {
  const auth = request.headers.authorization;
  if (typeof auth === 'string' && /^bearer\s+/i.test(auth)) return auth.replace(/^bearer\s+/i, '').trim();
  const header = request.headers['x-api-key'];
  if (typeof header === 'string' && header !== '') return header.trim();
  const query = (request.query as Record<string, unknown> | undefined)?.api_key;
  return typeof query === 'string' && query !== '' ? query : undefined;
}

export const authPlugin = fp<AuthOptions>(async (app, options) => {
  const keys = options.keys;
  if (!keys) return;
  app.addHook('onRequest', async (request, reply) => {
    const path = request.url.split('?')[0]!;
    const access = accessFor(request.method, path);
    if (access.open) return;
    const presented = presentedKey(request);
    if (presented === undefined) {
      return reply
        .code(401)
        .header('www-authenticate', 'Bearer realm="callcast"')
        .send({ error: 'missing API key: send it as "Authorization: Bearer <key>" (or X-API-Key)', request_id: String(request.id) });
    }
    const key = keys.find(presented);
    if (!key) {
      return reply.code(401).header('www-authenticate', 'Bearer realm="callcast", error="invalid_token"').send({ error: 'unknown API key', request_id: String(request.id) });
    }
    request.apiKey = key;
    if (!access.roles.includes(key.role)) {
      return reply.code(403).send({
        error: `key "${key.name}" has role ${key.role}, which may not ${access.what} (${request.method} ${path} needs ${access.roles.join(' or ')})`,
        request_id: String(request.id),
      });
    }
  });
});
