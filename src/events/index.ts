export * from './schemas.js';
export { checkEvent, checkPayload, parseOccurredAt, MAX_EVENT_BYTES, MAX_NESTING } from './validate.js';
export type { Checked } from './validate.js';
export { rowOf, deadLetterRow, clickhouseTime, TABLE_OF } from './rows.js';
export type { RawTable, SourceRef } from './rows.js';
