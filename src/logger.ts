// One pino logger per process: JSON lines to stdout (structured logs for machines).
// Secrets never reach a log line: the request serializer masks `?api_key=` (wallboard TVs pass
// their key in the URL), and `redactUrl` masks the user:password part of any URL we log.
import { pino, type Logger } from 'pino';
import type { LogLevel } from './config/index.js';

export const REDACTED = '[redacted]';

/** Query parameters whose values are credentials. */
const SECRET_PARAMS = new Set(['api_key', 'apikey', 'access_token', 'token', 'key']);

/** A request path with the values of credential query parameters masked (the rest kept as sent). */
export function redactRequestUrl(url: string): string {
  const q = url.indexOf('?');
  if (q < 0) return url;
  const query = url
    .slice(q + 1)
    .split('&')
    .map((pair) => {
      const eq = pair.indexOf('=');
      const rawName = eq < 0 ? pair : pair.slice(0, eq);
      let name = rawName;
      try {
        name = decodeURIComponent(rawName.replace(/\+/g, ' '));
      } catch {
        // a malformed escape: compare the name as sent
      }
      return SECRET_PARAMS.has(name.toLowerCase()) ? `${rawName}=${REDACTED}` : pair;
    })
    .join('&');
  return `${url.slice(0, q)}?${query}`;
}

/** An absolute URL with any user:password masked, for log lines and error messages. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.username === '' && parsed.password === '') return url;
    parsed.username = REDACTED;
    parsed.password = '';
    return parsed.toString();
  } catch {
    // Not parseable: mask anything that looks like credentials before an @.
    return url.replace(/\/\/[^/@]*@/, `//${REDACTED}@`);
  }
}

interface RequestLike {
  method?: string;
  url?: string;
  host?: string;
  ip?: string;
  headers?: Record<string, unknown>;
  socket?: { remotePort?: number };
}

/** Fastify's request serializer, with credentials masked. */
export function requestSerializer(req: RequestLike) {
  return {
    method: req.method,
    url: typeof req.url === 'string' ? redactRequestUrl(req.url) : req.url,
    host: req.host,
    remoteAddress: req.ip,
    remotePort: req.socket?.remotePort,
  };
}

export const logSerializers = { req: requestSerializer };

export function createLogger(level: LogLevel, name = 'callcast'): Logger {
  return pino({ name, level, serializers: logSerializers });
}
