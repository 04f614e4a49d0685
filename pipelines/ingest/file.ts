// Bulk load of an NDJSON file through the same validation, dead-letter and dedup path as Kafka.
// Each line's source position is (file, line number), so loading a file twice stores it once.
// Lines are cut as bytes (LF, optional CR before it), so a line that is not UTF-8 reaches the
// dead-letter store byte for byte; the result counts refused lines and keeps the first reasons.
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { addPayload, emptyBatch, rowCount, utf8Text } from './prepare.js';
import type { BatchWriter } from './writer.js';

/** How many refused lines the result lists with their reason. */
export const FAILURE_EXAMPLES = 5;

export interface FileIngestResult {
  lines: number;
  stored: number;
  deadLettered: number;
  /** The first refused lines (1-based line numbers) and why, in file order. */
  failures: { line: number; error: string }[];
}

/** The file's lines as bytes, without their LF (and a CR before it). */
async function* byteLines(stream: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
  let rest: Buffer | undefined;
  for await (const chunk of stream) {
    let data = rest ? Buffer.concat([rest, chunk]) : chunk;
    let start = 0;
    for (let nl = data.indexOf(10, start); nl >= 0; nl = data.indexOf(10, start)) {
      const end = nl > start && data[nl - 1] === 13 ? nl - 1 : nl;
      yield data.subarray(start, end);
      start = nl + 1;
    }
    data = data.subarray(start);
    rest = data.length > 0 ? Buffer.from(data) : undefined;
  }
  if (rest) yield rest[rest.length - 1] === 13 ? rest.subarray(0, rest.length - 1) : rest;
}

export async function ingestFile(
  path: string,
  writer: BatchWriter,
  options: { batchRows: number; onProgress?: (bytesRead: number, totalBytes: number) => void },
): Promise<FileIngestResult> {
  const file = resolve(path);
  const totalBytes = (await stat(file)).size;
  const stream = createReadStream(file, { highWaterMark: 1 << 20 });
  const result: FileIngestResult = { lines: 0, stored: 0, deadLettered: 0, failures: [] };
  let batch = emptyBatch();
  const flush = async () => {
    if (batch.errors.length === 0) return;
    const stored = rowCount(batch);
    await writer.write(batch);
    result.stored += stored;
    result.deadLettered += batch.deadLetters.length;
    batch = emptyBatch();
    options.onProgress?.(stream.bytesRead, totalBytes);
  };
  let lineNumber = 0;
  for await (const bytes of byteLines(stream as AsyncIterable<Buffer>)) {
    lineNumber++;
    const text = utf8Text(bytes);
    if (text !== undefined && text.trim() === '') continue;
    result.lines++;
    addPayload(batch, text ?? bytes, { source: 'file', topic: file, offset: lineNumber });
    const error = batch.errors[batch.errors.length - 1];
    if (error && result.failures.length < FAILURE_EXAMPLES) result.failures.push({ line: lineNumber, error });
    if (batch.errors.length >= options.batchRows) await flush();
  }
  await flush();
  options.onProgress?.(totalBytes, totalBytes);
  return result;
}
