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

// ISO-8601 date-time that states its offset: a timestamp without one is ambiguous across sites.
const ISO_WITH_OFFSET = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/;

export function parseOccurredAt(value: unknown): number | string {
  if (typeof value === 'number') {
    if (!Number.isSafeInteger(value)) return 'occurred_at: epoch milliseconds must be a whole number';
    return value;
  }
  if (typeof value !== 'string') return 'occurred_at: expected an ISO-8601 string or epoch milliseconds';
  if (!ISO_WITH_OFFSET.test(value)) return `occurred_at: "${value.slice(0, 40)}" is not ISO-8601 with an offset`;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? `occurred_at: "${value.slice(0, 40)}" is not a valid date-time` : ms;
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
  if (!(type in validators)) {
    const reason = type === '' ? 'missing required field type' : `type: unknown event type "${type.slice(0, 64)}"`;
    return { ok: false, error: reason, eventId, type: '' };
  }
  const eventType = type as EventType;
  if (!validators[eventType].Check(value)) return { ok: false, error: firstError(eventType, value), eventId, type };
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
