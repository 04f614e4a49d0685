// After the service has stopped: what the store holds, read the way the API reads (FINAL).
import { openStore } from '../../src/store/index.js';

const RAW_TABLES = ['contact_events', 'survey_events', 'agent_state_events'] as const;

export interface StoreCounts {
  /** Rows per raw table after FINAL: one per distinct event. */
  distinctEvents: number;
  /** Distinct event_id over the raw tables (equals distinctEvents when no id is stored twice). */
  distinctEventIds: number;
  /** Rows before FINAL: copies not merged away yet. */
  rowsBeforeFinal: number;
  deadLetters: number;
}

export async function countStore(dataDir: string): Promise<StoreCounts> {
  const store = await openStore({ kind: 'embedded', dataDir, database: 'default' });
  const one = async (query: string) => {
    const [row] = await (await store.client.query({ query, format: 'JSONEachRow' })).json<{ n: string }>();
    return Number(row?.n ?? NaN);
  };
  try {
    let distinctEvents = 0;
    let rowsBeforeFinal = 0;
    for (const table of RAW_TABLES) {
      distinctEvents += await one(`SELECT count() AS n FROM ${table} FINAL`);
      rowsBeforeFinal += await one(`SELECT count() AS n FROM ${table}`);
    }
    const distinctEventIds = await one(
      RAW_TABLES.map((t) => `SELECT event_id FROM ${t}`)
        .join(' UNION ALL ')
        .replace(/^/, 'SELECT uniqExact(event_id) AS n FROM (') + ')',
    );
    const deadLetters = await one('SELECT count() AS n FROM dead_letters FINAL');
    return { distinctEvents, distinctEventIds, rowsBeforeFinal, deadLetters };
  } finally {
    await store.close();
  }
}
