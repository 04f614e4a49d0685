// A read statement's rows, every value bound as a query parameter.
import type { ClickHouseClient } from '@clickhouse/client';

export async function queryRows<T>(
  client: ClickHouseClient,
  query: string,
  params: Record<string, unknown> = {},
): Promise<T[]> {
  return (await client.query({ query, query_params: params, format: 'JSONEachRow' })).json<T>();
}
