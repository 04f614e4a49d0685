// Query results as Arrow, straight into typed arrays. @clickhouse/client's query() refuses
// Arrow (ResultSet.stream() only allows row formats), so the query runs through exec() with
// FORMAT in the SQL and the raw body is decoded by apache-arrow. chDB compresses Arrow record
// batches by default and apache-arrow has no codec registered, hence compression 'none'.
import type { ClickHouseClient } from '@clickhouse/client';
import { tableFromIPC, type Table } from 'apache-arrow';

export async function queryArrow(
  client: ClickHouseClient,
  sql: string,
  params: Record<string, unknown>,
): Promise<Table> {
  const result = await client.exec({
    query: `${sql}\nFORMAT ArrowStream`,
    query_params: params,
    clickhouse_settings: { output_format_arrow_compression_method: 'none' },
  });
  const chunks: Buffer[] = [];
  for await (const chunk of result.stream as AsyncIterable<Buffer | Uint8Array>)
    chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk));
  const body = Buffer.concat(chunks);
  return tableFromIPC(body);
}

/** A numeric column as Float64Array (whatever integer/float width ClickHouse chose). */
export function numbers(table: Table, name: string): Float64Array {
  const column = table.getChild(name);
  if (!column) throw new Error(`Arrow result has no column ${name}`);
  const out = new Float64Array(table.numRows);
  let i = 0;
  for (const v of column) out[i++] = Number(v);
  return out;
}

export function strings(table: Table, name: string): string[] {
  const column = table.getChild(name);
  if (!column) throw new Error(`Arrow result has no column ${name}`);
  return Array.from(column, (v) => String(v));
}
