// CSV answers for planners' rostering tools: `format=csv` in the query or `Accept: text/csv`.
// RFC 4180: a header row, comma-separated, fields quoted when they hold a comma, quote or line
// break; null and absent values are empty; lines end with CRLF.
import type { FastifyReply, FastifyRequest } from 'fastify';

export const CSV_TYPE = 'text/csv; charset=utf-8';

/** True when the request asks for CSV (`format=csv`, or an Accept header naming text/csv before JSON). */
export function wantsCsv(request: FastifyRequest): boolean {
  const format = (request.query as { format?: string } | undefined)?.format;
  if (format !== undefined) return format === 'csv';
  const accept = String(request.headers.accept ?? '');
  const csv = accept.indexOf('text/csv');
  const json = accept.indexOf('application/json');
  return csv >= 0 && (json < 0 || csv < json);
}

function cell(v: unknown): string {
  if (v === null || v === undefined) return '';
  const s = Array.isArray(v) ? v.join(' ') : typeof v === 'object' ? JSON.stringify(v) : String(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** Rows as CSV with the given columns, in that order. */
export function toCsv(columns: readonly string[], rows: readonly Record<string, unknown>[]): string {
  const lines = [columns.join(',')];
  for (const r of rows) lines.push(columns.map((c) => cell(r[c])).join(','));
  return `${lines.join('\r\n')}\r\n`;
}

/** Sends `text` as CSV (the route's JSON response schema does not apply to it). */
export function sendCsv(reply: unknown, text: string, headers: Record<string, string> = {}): FastifyReply {
  const r = reply as FastifyReply;
  for (const [k, v] of Object.entries(headers)) r.header(k, v);
  return r.type(CSV_TYPE).send(text);
}
