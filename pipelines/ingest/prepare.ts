// Raw payloads → rows per raw table plus dead letters. Pure: no I/O, never throws.
// A payload handed over as bytes that are not valid UTF-8 is dead-lettered with its bytes in
// base64 (raw_encoding = 'base64'), so the dead-letter store keeps every message byte for byte.
import { isUtf8 } from 'node:buffer';
import {
  MAX_EVENT_BYTES,
  MAX_NESTING,
  checkEvent,
  checkPayload,
  deadLetterRow,
  rowOf,
  type Checked,
  type RawTable,
  type SourceRef,
} from '../../src/events/index.js';

export type Row = Record<string, unknown>;

export interface PreparedBatch {
  rows: Record<RawTable, Row[]>;
  deadLetters: Row[];
  /** Per input item, in order: null when stored, else the reason (HTTP callers get these). */
  errors: (string | null)[];
}

export function emptyBatch(): PreparedBatch {
  return { rows: { contact_events: [], survey_events: [], agent_state_events: [] }, deadLetters: [], errors: [] };
}

export function rowCount(batch: PreparedBatch): number {
  return batch.rows.contact_events.length + batch.rows.survey_events.length + batch.rows.agent_state_events.length;
}

/** Adds one item to the batch: the raw text is what the dead-letter store keeps. */
export function addChecked(
  batch: PreparedBatch,
  checked: Checked,
  raw: () => string,
  ref: SourceRef,
  nowMs: number,
): void {
  if (checked.ok) {
    const { event } = checked;
    const built = rowOrReason(checked, ref);
    // An item of a JSON array body was never measured as a payload: its unknown fields are bounded here.
    if (typeof built !== 'string' && !extraTooLarge(built.row.extra)) {
      batch.rows[built.table].push(built.row);
      batch.errors.push(null);
      return;
    }
    const error = typeof built === 'string' ? built : `unknown fields larger than ${MAX_EVENT_BYTES} bytes`;
    checked = { ok: false, error, eventId: event.event_id, type: event.type };
  }
  batch.deadLetters.push(deadLetterRow(raw(), checked.error, checked.eventId, checked.type, ref, nowMs));
  batch.errors.push(checked.error);
}

export const NOT_UTF8 = 'payload is not valid UTF-8 (kept byte for byte in base64: raw_encoding = base64)';

/** Bytes as text when they are valid UTF-8, else undefined. */
export function utf8Text(bytes: Uint8Array): string | undefined {
  return isUtf8(bytes) ? Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8') : undefined;
}

export function addPayload(batch: PreparedBatch, raw: string | Uint8Array, ref: SourceRef, nowMs = Date.now()): void {
  if (typeof raw !== 'string') {
    const text = utf8Text(raw);
    if (text === undefined) {
      const bytes = Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength);
      const row = deadLetterRow('', NOT_UTF8, '', '', ref, nowMs);
      batch.deadLetters.push({ ...row, raw: bytes.toString('base64'), raw_encoding: 'base64' });
      batch.errors.push(NOT_UTF8);
      return;
    }
    raw = text;
  }
  const payload = raw;
  addChecked(batch, checkPayload(payload, nowMs), () => payload, ref, nowMs);
}

export function addValue(batch: PreparedBatch, value: unknown, ref: SourceRef, nowMs = Date.now()): void {
  addChecked(batch, checkEvent(value, nowMs), () => safeStringify(value), ref, nowMs);
}

function extraTooLarge(extra: unknown): boolean {
  return (
    typeof extra === 'string' &&
    extra.length * 3 > MAX_EVENT_BYTES &&
    Buffer.byteLength(extra, 'utf8') > MAX_EVENT_BYTES
  );
}

/** In-process callers can hand over values JSON cannot write (BigInt): a reason, not a throw. */
function rowOrReason(checked: Extract<Checked, { ok: true }>, ref: SourceRef): ReturnType<typeof rowOf> | string {
  try {
    return rowOf(checked.event, checked.occurredAtMs, ref);
  } catch (error) {
    return `unknown fields cannot be written as JSON (${(error as Error).message})`;
  }
}

function safeStringify(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    try {
      // Nested too deep for the JSON writer's stack: keep what can be written, mark the cut.
      return JSON.stringify(cutDeeperThan(value, MAX_NESTING + 1)) ?? '';
    } catch {
      return Object.prototype.toString.call(value);
    }
  }
}

function cutDeeperThan(value: unknown, levels: number): unknown {
  if (typeof value !== 'object' || value === null) return value;
  if (levels === 0) return `(nested deeper than ${MAX_NESTING} levels: cut)`;
  if (Array.isArray(value)) return value.map((item) => cutDeeperThan(item, levels - 1));
  return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, cutDeeperThan(item, levels - 1)]));
}
