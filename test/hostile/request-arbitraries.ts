// Requests for any route, generated from the route's own schema (params, querystring, body):
// values that fit, values of the wrong type, hostile strings, extra keys, broken encodings.
import fc from 'fast-check';
import { NOW, SQL_LOOKING, UNICODE_EDGES, loneSurrogate, nastyString, validEvent } from './arbitraries.js';
import type { RouteInfo } from './support/app.js';

type Schema = {
  type?: string | string[];
  enum?: unknown[];
  const?: unknown;
  properties?: Record<string, Schema>;
  items?: Schema;
  anyOf?: Schema[];
  minimum?: number;
  maximum?: number;
  pattern?: string;
};

/** Times at and past every limit, in the formats the API reads. */
const TIMES = [
  '2026-11-02',
  '2026-11-02T09:00:00Z',
  '2026-02-31',
  '2026-11-02T24:00:00Z',
  '2016-12-31T23:59:60Z',
  '1970-01-01T00:00:00Z',
  '2299-12-31T23:59:59.999Z',
  '2300-01-01T00:00:00Z',
  '9999-12-31',
  '0000-01-01',
  '-000001-01-01T00:00:00Z',
  '+275760-09-13T00:00:00Z',
  String(NOW),
  '0',
  '-1',
  '99999999999999',
  '8640000000000001',
  '1e21',
  'NaN',
  'Infinity',
  '2026-11-02T09:00:00+14:00',
  '2026-11-02T09:00:00-23:59',
  '2026-W45',
  '2026-11-02T09:00:00.123456789Z',
  '',
  ' ',
  '2026-11-02 09:00:00',
];

const NUMBERS = [0, -0, -1, 1, 0.5, -1e-9, 1e308, -1e308, 2 ** 31, 2 ** 53, 2 ** 53 + 2, Number.MIN_VALUE];

export const hostileScalar: fc.Arbitrary<unknown> = fc.oneof(
  nastyString(),
  fc.constantFrom(...TIMES),
  fc.constantFrom(...NUMBERS),
  fc.boolean(),
  fc.constant(null),
  loneSurrogate,
  fc.string({ maxLength: 3000, unit: 'binary-ascii' }),
);

/** A value for a JSON schema: usually of its type and near its limits, sometimes anything at all. */
export function valueFor(schema: Schema | undefined, depth = 0): fc.Arbitrary<unknown> {
  if (!schema || depth > 4) return hostileScalar;
  const fitting: fc.Arbitrary<unknown>[] = [];
  if (schema.enum) fitting.push(fc.constantFrom(...schema.enum));
  if (schema.const !== undefined) fitting.push(fc.constant(schema.const));
  if (schema.anyOf) fitting.push(fc.oneof(...schema.anyOf.map((s) => valueFor(s, depth + 1))));
  const types = [schema.type ?? []].flat();
  if (types.includes('string')) fitting.push(nastyString(), fc.constantFrom(...TIMES));
  if (types.includes('integer') || types.includes('number')) {
    const lo = schema.minimum ?? -1e6;
    const hi = schema.maximum ?? 1e6;
    fitting.push(
      fc.constantFrom(lo, hi, lo - 1, hi + 1, (lo + hi) / 2, ...NUMBERS),
      fc.integer({ min: Math.max(-1e9, Math.ceil(lo)), max: Math.min(1e9, Math.floor(hi)) }).filter(() => lo <= hi),
    );
  }
  if (types.includes('boolean')) fitting.push(fc.boolean());
  if (types.includes('array')) fitting.push(fc.array(valueFor(schema.items, depth + 1), { maxLength: 4 }));
  if (types.includes('object') || schema.properties) fitting.push(objectFor(schema, depth + 1));
  if (fitting.length === 0) return hostileScalar;
  return fc.oneof(
    { arbitrary: fc.oneof(...fitting), weight: 4 },
    { arbitrary: hostileScalar, weight: 1 },
    { arbitrary: fc.jsonValue({ maxDepth: 2 }), weight: 1 },
  );
}

/** An object with some of the schema's properties (each fitting or not) and sometimes unknown keys. */
export function objectFor(schema: Schema | undefined, depth = 0): fc.Arbitrary<Record<string, unknown>> {
  const props = Object.entries(schema?.properties ?? {});
  const known = fc.record(Object.fromEntries(props.map(([k, s]) => [k, valueFor(s, depth)])), { requiredKeys: [] });
  const unknown = fc.dictionary(
    fc.oneof(fc.constantFrom(...SQL_LOOKING, '__proto__', 'constructor', 'api_key'), fc.string({ maxLength: 8 })),
    hostileScalar,
    { maxKeys: 2 },
  );
  return fc.tuple(known, fc.option(unknown, { freq: 3 })).map(([k, u]) => {
    const out = Object.create(null) as Record<string, unknown>;
    for (const [key, value] of Object.entries({ ...(u ?? {}) })) out[key] = value;
    for (const [key, value] of Object.entries(k)) out[key] = value;
    return out;
  });
}

/** Percent-encoding that also takes lone surrogates (encodeURIComponent throws on them; UTF-8 makes them U+FFFD). */
export function percentEncode(text: string): string {
  return [...Buffer.from(text, 'utf8')]
    .map((b) =>
      /[A-Za-z0-9\-_.~]/.test(String.fromCharCode(b))
        ? String.fromCharCode(b)
        : `%${b.toString(16).toUpperCase().padStart(2, '0')}`,
    )
    .join('');
}

/** A query string from an object of values (arrays repeat the key), with some broken encodings mixed in. */
function queryText(values: Record<string, unknown>, broken: string | null): string {
  const parts: string[] = [];
  for (const [key, value] of Object.entries(values)) {
    for (const v of [value].flat())
      parts.push(`${percentEncode(key)}=${percentEncode(typeof v === 'string' ? v : (JSON.stringify(v) ?? ''))}`);
  }
  if (broken !== null) parts.push(broken);
  return parts.length ? `?${parts.join('&')}` : '';
}

const BROKEN_QUERY = [
  '%',
  '%zz=1',
  'a=%E0%A4%A',
  'a=%00',
  '&&&==',
  'queue',
  'queue=&queue=',
  'a[b][c]=1',
  'a=' + '%25'.repeat(500),
  'x=' + 'y'.repeat(20_000),
];
const BROKEN_SEGMENT = ['%', '%zz', '%00', '..', '%2e%2e', '%2F', '%ED%A0%80', '%C0%AF', 'a'.repeat(5_000)];

/** A path for the route's pattern, every parameter filled with something. */
function pathFor(url: string): fc.Arbitrary<string> {
  const names = [...url.matchAll(/:(\w+)|\*/g)].map((m) => m[1] ?? '*');
  if (names.length === 0) return fc.constant(url);
  const segment = fc.oneof(
    nastyString().map(percentEncode),
    fc.constantFrom(...BROKEN_SEGMENT),
    fc.constantFrom('billing', 'sales'),
  );
  return fc.array(segment, { minLength: names.length, maxLength: names.length }).map((values) => {
    let i = 0;
    return url.replace(/:(\w+)|\*/g, () => values[i++]!);
  });
}

export const CONTENT_TYPES = [
  'application/json',
  'application/json; charset=utf-8',
  'application/x-ndjson',
  'text/plain',
  'application/xml',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=x',
  'application/json; charset=latin1',
  'application/octet-stream',
  'garbage',
  '',
];

export interface GeneratedRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  payload?: string | Buffer;
}

function bodyFor(route: RouteInfo): fc.Arbitrary<string | Buffer | undefined> {
  const schemaBody = valueFor(route.schema?.body as Schema | undefined).map((v) => JSON.stringify(v) ?? '');
  const events = fc
    .array(
      validEvent.map((e) => e.event),
      { maxLength: 3 },
    )
    .map((list) => JSON.stringify(list));
  return fc.oneof(
    { arbitrary: schemaBody, weight: 4 },
    { arbitrary: route.url === '/v1/events' ? events : schemaBody, weight: 2 },
    { arbitrary: fc.jsonValue().map((v) => JSON.stringify(v)), weight: 1 },
    { arbitrary: nastyString(200), weight: 1 },
    { arbitrary: fc.uint8Array({ maxLength: 200 }).map((b) => Buffer.from(b)), weight: 1 },
    {
      arbitrary: fc.constantFrom(
        undefined,
        '',
        '{',
        'null',
        '[]',
        '{"__proto__":{"admin":true}}',
        `{"a":"${UNICODE_EDGES.join('')}"}`,
      ),
      weight: 1,
    },
  );
}

export function requestFor(route: RouteInfo): fc.Arbitrary<GeneratedRequest> {
  const withBody = !['GET', 'HEAD', 'OPTIONS'].includes(route.method);
  return fc
    .record({
      path: pathFor(route.url),
      query: objectFor(route.schema?.querystring as Schema | undefined),
      broken: fc.option(fc.constantFrom(...BROKEN_QUERY), { freq: 4 }),
      contentType: fc.oneof(
        { arbitrary: fc.constant('application/json'), weight: 3 },
        { arbitrary: fc.constantFrom(...CONTENT_TYPES), weight: 2 },
      ),
      accept: fc.constantFrom('application/json', 'text/event-stream', '*/*', 'text/html', 'garbage'),
      body: withBody ? bodyFor(route) : fc.constant(undefined),
    })
    .map(({ path, query, broken, contentType, accept, body }) => ({
      method: route.method,
      url: `${path}${queryText(query, broken)}`,
      headers: { ...(contentType && body !== undefined ? { 'content-type': contentType } : {}), accept },
      ...(body !== undefined ? { payload: body } : {}),
    }));
}
