// Authentication (API key → name and role) and authorisation (role → route) for /v1. With no
// key ring the API is open: the embedded demo on loopback, which says so when it starts.
import fp from 'fastify-plugin';
import type { FastifyRequest } from 'fastify';
import { accessFor } from './access.js';
import { verdictOf, type ApiKey, type KeyRing } from './keys.js';

declare module 'fastify' {
  interface FastifyRequest {
    apiKey?: ApiKey;
  }
}

export interface AuthOptions {
  keys?: KeyRing;
  /** Clock for key expiry and revocation times; default Date.now. */
  now?: () => number;
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

/**
 * The path that access rules are decided on: the matched route's pattern, never the raw URL —
 * the router percent-decodes, so /%761/queues reaches /v1/queues while its text does not start
 * with /v1/. Without a match (a 404 to be), the decoded path.
 */
export function accessPath(request: FastifyRequest): string {
  const pattern = request.routeOptions.url;
  if (pattern !== undefined) return pattern;
  const raw = request.url.split('?')[0]!;
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw;
  }
}

export const authPlugin = fp<AuthOptions>(async (app, options) => {
  const keys = options.keys;
  if (!keys) return;
  const now = options.now ?? Date.now;
  app.addHook('onRequest', async (request, reply) => {
    const path = accessPath(request);
    const access = accessFor(request.method, path);
    if (access.open) return;
    const presented = presentedKey(request);
    if (presented === undefined) {
      return reply
        .code(401)
        .header('www-authenticate', 'Bearer realm="callcast"')
        .send({
          error: 'missing API key: send it as "Authorization: Bearer <key>" (or X-API-Key)',
          request_id: String(request.id),
        });
    }
    const verdict = verdictOf(keys.find(presented), now());
    if (!verdict.ok) {
      // Expired and revoked are told only to a caller who holds that very key; the key's name stays in the log.
      if (verdict.reason !== 'unknown')
        request.log.warn({ key: verdict.key.name, reason: verdict.reason }, 'refused API key');
      const error =
        verdict.reason === 'unknown'
          ? 'unknown API key'
          : `API key ${verdict.reason}${Number.isFinite(verdict.atMs) ? ` at ${new Date(verdict.atMs).toISOString()}` : ''}`;
      return reply
        .code(401)
        .header('www-authenticate', 'Bearer realm="callcast", error="invalid_token"')
        .send({ error, request_id: String(request.id) });
    }
    const key = verdict.key;
    request.apiKey = key;
    if (!access.roles.includes(key.role)) {
      return reply.code(403).send({
        error: `key "${key.name}" has role ${key.role}, which may not ${access.what} (${request.method} ${path} needs ${access.roles.join(' or ')})`,
        request_id: String(request.id),
      });
    }
  });
});
