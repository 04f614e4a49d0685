// Bulk load of an NDJSON file through the same validation, dead-letter and dedup path as Kafka.
// Each line's source position is (file, line number), so loading a file twice stores it once.
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { addPayload, emptyBatch, rowCount } from './prepare.js';
import type { BatchWriter } from './writer.js';

export interface FileIngestResult {
  lines: number;
  stored: number;
  deadLettered: number;
}

export async function ingestFile(
  path: string,
  writer: BatchWriter,
  options: { batchRows: number; onProgress?: (bytesRead: number, totalBytes: number) => void },
): Promise<FileIngestResult> {
  const file = resolve(path);
  const totalBytes = (await stat(file)).size;
  const stream = createReadStream(file, { encoding: 'utf8', highWaterMark: 1 << 20 });
  const result: FileIngestResult = { lines: 0, stored: 0, deadLettered: 0 };
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
  for await (const line of createInterface({ input: stream, crlfDelay: Infinity })) {
    lineNumber++;
    if (line.trim() === '') continue;
    result.lines++;
    addPayload(batch, line, { source: 'file', topic: file, offset: lineNumber });
    if (batch.errors.length >= options.batchRows) await flush();
  }
  await flush();
  options.onProgress?.(totalBytes, totalBytes);
  return result;
}
