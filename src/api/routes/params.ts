// Parsing of user-given times: ISO-8601 with an offset, a date (local midnight in the queue's
// time zone), or epoch ms. A date-only `to` includes that whole day.
import { BadRequest } from './errors.js';
import { localMidnight, nextLocalDay } from '../../metrics/tz.js';

export function parseTime(field: string, text: string | undefined, tz: string, endOfDay = false): number | undefined {
  if (text === undefined || text === '') return undefined;
  const date = /^(\d{4})-(\d\d)-(\d\d)$/.exec(text);
  if (date) {
    const start = localMidnight(Number(date[1]), Number(date[2]), Number(date[3]), tz);
    if (!Number.isFinite(start)) throw new BadRequest(field, `"${text}" is not a valid date`);
    return endOfDay ? nextLocalDay(start, tz) : start;
  }
  if (/^\d{10,14}$/.test(text)) return Number(text);
  if (!/^\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d(\.\d+)?)?(Z|[+-]\d\d:?\d\d)$/i.test(text)) {
    throw new BadRequest(
      field,
      `expected YYYY-MM-DD, an ISO-8601 time with offset (2026-11-02T09:00:00Z) or epoch ms, got "${text}"`,
    );
  }
  const ms = Date.parse(text);
  if (!Number.isFinite(ms)) throw new BadRequest(field, `"${text}" is not a valid time`);
  return ms;
}
