// Raw payloads → rows per raw table plus dead letters. Pure: no I/O, never throws.
import { checkEvent, checkPayload, deadLetterRow, rowOf, type Checked, type RawTable, type SourceRef } from '../../src/events/index.js';

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
export function addChecked(batch: PreparedBatch, checked: Checked, raw: () => string, ref: SourceRef, nowMs: number): void {
  if (checked.ok) {
    const { table, row } = rowOf(checked.event, checked.occurredAtMs, ref);
    batch.rows[table].push(row);
    batch.errors.push(null);
  } else {
    batch.deadLetters.push(deadLetterRow(raw(), checked.error, checked.eventId, checked.type, ref, nowMs));
    batch.errors.push(checked.error);
  }
}

export function addPayload(batch: PreparedBatch, raw: string, ref: SourceRef, nowMs = Date.now()): void {
  addChecked(batch, checkPayload(raw, nowMs), () => raw, ref, nowMs);
}

export function addValue(batch: PreparedBatch, value: unknown, ref: SourceRef, nowMs = Date.now()): void {
  addChecked(batch, checkEvent(value, nowMs), () => safeStringify(value), ref, nowMs);
}

function safeStringify(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}
