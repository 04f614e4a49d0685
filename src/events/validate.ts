// Raw payload → a checked event, or the reason it is not one. Never throws.
import { Compile } from 'typebox/compile';
import { EVENT_SCHEMAS, type CallcastEvent, type EventType } from './schemas.js';

/** Larger single events are refused (dead-lettered): no legitimate event comes close. */
export const MAX_EVENT_BYTES = 64 * 1024;
/** Clock skew we accept from producers before calling a timestamp "in the future". */
export const MAX_FUTURE_MS = 24 * 3600 * 1000;
export const MIN_OCCURRED_AT_MS = Date.UTC(2000, 0, 1);

const validators = Object.fromEntries(
  Object.entries(EVENT_SCHEMAS).map(([type, schema]) => [type, Compile(schema)]),
) as { [K in EventType]: ReturnType<typeof Compile<(typeof EVENT_SCHEMAS)[K]>> };

export type Checked =
  | { ok: true; event: CallcastEvent; occurredAtMs: number }
  | { ok: false; error: string; eventId: string; type: string };

/** Unknown fields nested deeper than this are refused: deeper JSON cannot be written back (stack). */
export const MAX_NESTING = 64;

// ISO-8601 date-time that states its offset: a timestamp without one is ambiguous across sites.
const ISO_WITH_OFFSET =
  /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(\.\d{1,9})?)?(?:Z|([+-])(\d{2}):?(\d{2}))$/;

// Date.parse rolls impossible dates over (2026-02-31 → 03-03, 24:00 → next day) and takes any
// offset up to ±23:59, so the fields are checked here first. Real offsets lie within ±14:00;
// a leap second (:60) cannot be stored and is refused. Digits past milliseconds are truncated.
const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function calendarProblem(m: RegExpExecArray): string | undefined {
  const year = +m[1]!,
    month = +m[2]!,
    day = +m[3]!,
    hour = +m[4]!,
    minute = +m[5]!,
    second = m[6] === undefined ? 0 : +m[6];
  if (month < 1 || month > 12) return `month ${m[2]} does not exist`;
  const leap = month === 2 && year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  if (day < 1 || day > DAYS_IN_MONTH[month - 1]! + (leap ? 1 : 0))
    return `day ${m[3]} does not exist in ${m[1]}-${m[2]}`;
  if (hour > 23 || minute > 59) return `time ${m[4]}:${m[5]} does not exist`;
  if (second === 60) return 'leap seconds (:60) cannot be stored';
  if (second > 59) return `second ${m[6]} does not exist`;
  if (m[8] !== undefined && (+m[10]! > 59 || +m[9]! * 60 + +m[10]! > 14 * 60))
    return `offset ${m[8]}${m[9]}:${m[10]} is outside ±14:00`;
  return undefined;
}

export function parseOccurredAt(value: unknown): number | string {
  if (typeof value === 'number') {
    if (!Number.isSafeInteger(value)) return 'occurred_at: epoch milliseconds must be a whole number';
    return value;
  }
  if (typeof value !== 'string') return 'occurred_at: expected an ISO-8601 string or epoch milliseconds';
  const match = ISO_WITH_OFFSET.exec(value);
  if (!match) return `occurred_at: "${value.slice(0, 40)}" is not ISO-8601 with an offset`;
  const problem = calendarProblem(match);
  if (problem !== undefined) return `occurred_at: "${value.slice(0, 40)}" is not a valid date-time (${problem})`;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? `occurred_at: "${value.slice(0, 40)}" is not a valid date-time` : ms;
}

// A lone UTF-16 surrogate is valid JSON ("\ud800") but not Unicode: ClickHouse refuses the whole
// insert over it, which would stall the stream, so such an event is dead-lettered instead.
const LONE_SURROGATE = /[\uD800-\uDFFF]/u;
const isWellFormed: (text: string) => boolean =
  typeof (String.prototype as { isWellFormed?: unknown }).isWellFormed === 'function'
    ? (text) => (text as unknown as { isWellFormed(): boolean }).isWellFormed()
    : (text) => !LONE_SURROGATE.test(text);

/** The first field (dotted path) holding a lone surrogate or nested too deep, with why. */
function shapeProblem(value: unknown, path: string, depth: number): string | undefined {
  if (typeof value === 'string')
    return isWellFormed(value) ? undefined : `${path}: not valid Unicode (a lone surrogate)`;
  if (typeof value !== 'object' || value === null) return undefined;
  if (depth > MAX_NESTING) return `${path}: nested deeper than ${MAX_NESTING} levels`;
  const record = value as Record<string, unknown>;
  for (const key of Object.keys(record)) {
    const inner = record[key];
    if (!isWellFormed(key))
      return `${path === '' ? key : `${path}.${key}`}: field name is not valid Unicode (a lone surrogate)`;
    if (typeof inner !== 'object' && typeof inner !== 'string') continue;
    const problem = shapeProblem(inner, path === '' ? key : `${path}.${key}`, depth + 1);
    if (problem !== undefined) return problem;
  }
  return undefined;
}

function firstError(type: EventType, value: unknown): string {
  for (const error of validators[type].Errors(value)) {
    const field = error.instancePath.replace(/^\//, '').replace(/\//g, '.');
    const params = error.params as Record<string, unknown>;
    const detail =
      error.keyword === 'required' && Array.isArray(params.requiredProperties)
        ? `missing required field ${(params.requiredProperties as string[]).join(', ')}`
        : error.message;
    return field === '' ? detail : `${field}: ${detail}`;
  }
  return 'does not match the contract';
}

function idOf(value: Record<string, unknown>): string {
  return typeof value.event_id === 'string' ? value.event_id.slice(0, 64) : '';
}

/** Checks an already-parsed value against the contract. */
export function checkEvent(value: unknown, nowMs: number = Date.now()): Checked {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { ok: false, error: 'an event must be a JSON object', eventId: '', type: '' };
  }
  const record = value as Record<string, unknown>;
  const eventId = idOf(record);
  const type = typeof record.type === 'string' ? record.type : '';
  // Own keys only: "constructor" or "toString" must not find a validator on the prototype.
  if (!Object.hasOwn(validators, type)) {
    const reason = type === '' ? 'missing required field type' : `type: unknown event type "${type.slice(0, 64)}"`;
    return { ok: false, error: reason, eventId, type: '' };
  }
  const eventType = type as EventType;
  if (!validators[eventType].Check(value)) return { ok: false, error: firstError(eventType, value), eventId, type };
  const shape = shapeProblem(record, '', 0);
  if (shape !== undefined) return { ok: false, error: shape, eventId, type };
  const occurredAtMs = parseOccurredAt(record.occurred_at);
  if (typeof occurredAtMs === 'string') return { ok: false, error: occurredAtMs, eventId, type };
  if (occurredAtMs < MIN_OCCURRED_AT_MS) return { ok: false, error: 'occurred_at: before 2000-01-01', eventId, type };
  if (occurredAtMs > nowMs + MAX_FUTURE_MS) {
    return { ok: false, error: 'occurred_at: more than 24 h in the future', eventId, type };
  }
  return { ok: true, event: value as CallcastEvent, occurredAtMs };
}

/** Parses one raw payload (a Kafka message value, an NDJSON line) and checks it. */
export function checkPayload(raw: string, nowMs: number = Date.now()): Checked {
  if (Buffer.byteLength(raw, 'utf8') > MAX_EVENT_BYTES) {
    return { ok: false, error: `payload larger than ${MAX_EVENT_BYTES} bytes`, eventId: '', type: '' };
  }
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch (error) {
    return { ok: false, error: `invalid JSON: ${(error as Error).message}`, eventId: '', type: '' };
  }
  return checkEvent(value, nowMs);
}
