// Rows of one run into forecasts, forecast_runs and staffing_requirements (one insert per table).
import type { ClickHouseClient } from '@clickhouse/client';

export { chTime as chTime64 } from '../../src/store/time.js';
/** DateTime columns take epoch seconds. */
export const epochSeconds = (ms: number) => Math.round(ms / 1000);

export async function insertRows(
  client: ClickHouseClient,
  table: string,
  rows: Record<string, unknown>[],
): Promise<void> {
  const chunk = 50_000;
  for (let i = 0; i < rows.length; i += chunk) {
    await client.insert({ table, values: rows.slice(i, i + chunk), format: 'JSONEachRow' });
  }
}
