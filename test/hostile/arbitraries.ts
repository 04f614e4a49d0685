// fast-check generators for hostile input: strings that break naive code (SQL, quoting, unicode
// edges), contract events that are valid but nasty, and values of every wrong type.
import fc from 'fast-check';
import { AGENT_STATES, CHANNELS, type CallcastEvent, type EventType } from '../../src/events/index.js';

export const NOW = Date.parse('2026-11-23T12:00:00Z');
export const MIN_MS = Date.UTC(2000, 0, 1);
export const MAX_MS = NOW + 24 * 3600 * 1000;

/** Strings that would break string-built SQL, JSON, CSV or logs if anything concatenated them. */
export const SQL_LOOKING = [
  "'; DROP TABLE contact_events; --",
  "' OR '1'='1",
  "billing' UNION SELECT * FROM system.users --",
  '{queue:String}',
  '"; SELECT sleep(3); --',
  '\\',
  "\\'",
  '`id`',
  '/* */',
  '%s%n%x',
  '${process.exit()}',
  '../../../etc/passwd',
  '<script>alert(1)</script>',
  'NULL',
  '\\N',
  '0x7FFFFFFF',
  'a\tb\nc\r\n',
  '=cmd|"/c calc"!A1',
];

/** Valid Unicode that trips naive handling: NUL, controls, bidi overrides, BOM, 4-byte chars, ZWJ sequences. */
export const UNICODE_EDGES = [
  '\u0000',
  'x\u0000y',
  '\u0007\u001b[31m',
  '\u202eevil\u202c',
  '\u200f\u200e',
  '\ufeffbom',
  '\uffff',
  '😀',
  '𝄞𠀋',
  '👩‍👩‍👧‍👦',
  'e\u0301',
  'Ω≈ç√∫',
  '中文评论：很好',
  'مرحبا',
  '\u2028\u2029',
];

export const loneSurrogate = fc.integer({ min: 0xd800, max: 0xdfff }).map((c) => String.fromCharCode(c));

/** A non-empty string valid as Unicode, often hostile. */
export const nastyString = (maxLength = 40): fc.Arbitrary<string> =>
  fc.oneof(
    fc.string({ unit: 'binary', minLength: 1, maxLength }),
    fc.string({ unit: 'grapheme', minLength: 1, maxLength: Math.min(maxLength, 20) }),
    fc.constantFrom(...SQL_LOOKING),
    fc.constantFrom(...UNICODE_EDGES),
    fc.tuple(fc.constantFrom(...SQL_LOOKING), fc.constantFrom(...UNICODE_EDGES)).map(([a, b]) => `${a}${b}`),
  );

/** A time in the accepted range, as epoch ms or as ISO text with a random offset and precision. */
export const occurredAt: fc.Arbitrary<{ value: string | number; ms: number }> = fc.oneof(
  fc.integer({ min: MIN_MS, max: MAX_MS }).map((ms) => ({ value: ms, ms })),
  fc
    .record({
      ms: fc.integer({ min: MIN_MS, max: MAX_MS }),
      offsetMin: fc.integer({ min: -14 * 60, max: 14 * 60 }),
      digits: fc.constantFrom(0, 3, 9),
    })
    .map(({ ms, offsetMin, digits }) => ({ value: isoAt(ms, offsetMin, digits), ms })),
);

/** `ms` written as local time at `offsetMin`, with 0, 3 or 9 fractional digits (sub-ms digits are noise). */
export function isoAt(ms: number, offsetMin: number, digits: 0 | 3 | 9): string {
  const local = new Date(ms + offsetMin * 60_000).toISOString().slice(0, 19);
  const frac =
    digits === 0
      ? ''
      : digits === 3
        ? `.${String(ms % 1000).padStart(3, '0')}`
        : `.${String(ms % 1000).padStart(3, '0')}987654`;
  const sign = offsetMin < 0 ? '-' : '+';
  const abs = Math.abs(offsetMin);
  const offset =
    offsetMin === 0 && digits === 3
      ? 'Z'
      : `${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
  // Without fractional digits the time says nothing below the second.
  return `${local}${frac}${offset}`;
}

const uuid = fc.uuid({ version: 4 });
const seconds = fc.oneof(
  fc.integer({ min: 0, max: 604_800 }),
  fc.double({ min: 0, max: 604_800, noNaN: true, noDefaultInfinity: true }).filter((x) => !Object.is(x, -0)),
);
const maybe = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined });

function withoutUndefined<T extends Record<string, unknown>>(record: T): T {
  return Object.fromEntries(Object.entries(record).filter(([, v]) => v !== undefined)) as T;
}

/**
 * A valid event of every type, with nasty strings in every string field. `ms` is its time in UTC ms
 * (second precision when ISO without fraction).
 */
export const validEvent: fc.Arbitrary<{ event: CallcastEvent; ms: number }> = fc
  .record({
    type: fc.constantFrom<EventType>(
      'contact.queued',
      'contact.answered',
      'contact.abandoned',
      'contact.completed',
      'survey.submitted',
      'agent.state',
    ),
    event_id: uuid,
    at: occurredAt,
    contact_id: nastyString(),
    queue: nastyString(),
    channel: fc.constantFrom(...CHANNELS),
    customer_id: maybe(nastyString()),
    reason: maybe(nastyString()),
    agent_id: nastyString(),
    talk_s: seconds,
    hold_s: seconds,
    wrap_s: seconds,
    transferred: maybe(fc.boolean()),
    resolved: maybe(fc.boolean()),
    nps: maybe(fc.integer({ min: 0, max: 10 })),
    csat: maybe(fc.integer({ min: 1, max: 5 })),
    fcr: maybe(fc.boolean()),
    comment: maybe(nastyString(200)),
    state: fc.constantFrom(...AGENT_STATES),
    queues: maybe(fc.array(nastyString(), { maxLength: 4 })),
  })
  .map((g) => {
    const common = { event_id: g.event_id, type: g.type, occurred_at: g.at.value };
    const ms = typeof g.at.value === 'string' && !/\.\d/.test(g.at.value) ? Math.floor(g.at.ms / 1000) * 1000 : g.at.ms;
    let fields: Record<string, unknown>;
    switch (g.type) {
      case 'contact.queued':
        fields = {
          contact_id: g.contact_id,
          queue: g.queue,
          channel: g.channel,
          customer_id: g.customer_id,
          reason: g.reason,
        };
        break;
      case 'contact.answered':
        fields = { contact_id: g.contact_id, agent_id: g.agent_id };
        break;
      case 'contact.abandoned':
        fields = { contact_id: g.contact_id };
        break;
      case 'contact.completed':
        fields = {
          contact_id: g.contact_id,
          agent_id: g.agent_id,
          talk_s: g.talk_s,
          hold_s: g.hold_s,
          wrap_s: g.wrap_s,
          transferred: g.transferred,
          reason: g.reason,
          resolved: g.resolved,
        };
        break;
      case 'survey.submitted':
        fields = { contact_id: g.contact_id, nps: g.nps, csat: g.csat, fcr: g.fcr, comment: g.comment };
        break;
      case 'agent.state':
        fields = { agent_id: g.agent_id, state: g.state, queues: g.queues };
        break;
    }
    return { event: withoutUndefined({ ...common, ...fields }) as unknown as CallcastEvent, ms };
  });

/** A JSON value that is not of the given JSON type. */
export function wrongTypeFor(kind: 'string' | 'number' | 'integer' | 'boolean' | 'array'): fc.Arbitrary<unknown> {
  const all: Record<string, fc.Arbitrary<unknown>> = {
    string: fc.string({ maxLength: 10 }),
    number: fc.double({ noNaN: true, noDefaultInfinity: true }),
    boolean: fc.boolean(),
    null: fc.constant(null),
    array: fc.array(fc.jsonValue({ maxDepth: 2 }), { maxLength: 3 }),
    object: fc.dictionary(fc.string({ maxLength: 5 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 3 }),
  };
  const excluded = kind === 'integer' ? ['number'] : [kind];
  const candidates = Object.entries(all)
    .filter(([k]) => !excluded.includes(k))
    .map(([, arb]) => arb);
  return fc.oneof(...candidates);
}

/** Expected ClickHouse DateTime64(3) text for UTC ms, written out field by field (not via toISOString). */
export function chText(ms: number): string {
  const d = new Date(ms);
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  return `${p(d.getUTCFullYear(), 4)}-${p(d.getUTCMonth() + 1)}-${p(d.getUTCDate())} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())}.${p(d.getUTCMilliseconds(), 3)}`;
}
