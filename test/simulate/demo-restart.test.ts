// The demo on the real embedded engine: a first start seeds history into an empty store and
// marks it simulated; a restart with CALLCAST_SIMULATE=auto resumes live on it, abandoning the
// contacts left waiting when it stopped (as of that moment, with a note), so nothing stays
// "waiting"; a store with real (unmarked) history is never simulated on by `auto`.
import { pino } from 'pino';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLOSED_AT_RESTART, isSimulatedStore, startDemoIfWanted } from '../../src/api/demo.js';
import { createIngestMetrics } from '../../pipelines/ingest/prometheus.js';
import { storeSink } from '../../pipelines/ingest/store-sink.js';
import { BatchWriter } from '../../pipelines/ingest/writer.js';
import { queued } from '../support/events.js';
import { until } from '../support/poll.js';
import { openTempStore, type TempStore } from '../support/temp-store.js';

let temp: TempStore;
let writer: BatchWriter;
const log = pino({ level: 'silent' });

beforeAll(async () => {
  temp = await openTempStore();
  writer = new BatchWriter(temp.store, createIngestMetrics(new Registry()), log);
}, 60_000);
afterAll(async () => {
  await temp?.cleanup();
});

/** Contacts queued in the day before `before` (epoch ms) with no answer, abandon or completion. */
const WAITING = `SELECT count() FROM (
  SELECT contact_id FROM contact_state GROUP BY contact_id
  HAVING min(queued_at) IS NOT NULL
    AND min(queued_at) BETWEEN fromUnixTimestamp64Milli({before:Int64} - 86400000) AND fromUnixTimestamp64Milli({before:Int64})
    AND min(answered_at) IS NULL AND min(abandoned_at) IS NULL AND min(completed_at) IS NULL)`;

describe('the demo across a restart', () => {
  it('auto leaves a store with real history alone', async () => {
    await storeSink(writer).send([queued(1, { occurred_at: Date.now() - 3_600_000, queue: 'real' })]);
    expect(await startDemoIfWanted('auto', temp.store, writer, log)).toBeUndefined();
    expect(await isSimulatedStore(temp.store.client)).toBe(false);
    await temp.store.client.command({ query: 'TRUNCATE TABLE contact_events' });
    await temp.store.client.command({ query: 'TRUNCATE TABLE contact_state' });
  });

  it('seeds and marks an empty store; a restart abandons the waiting contacts and streams live again', async () => {
    const first = await startDemoIfWanted('auto', temp.store, writer, log, { historyDays: 1 });
    expect(first?.mode).toBe('seeded');
    await first!.caughtUp;
    await first!.stop();
    expect(await isSimulatedStore(temp.store.client)).toBe(true);
    const stoppedAt = await temp.count('SELECT toUnixTimestamp64Milli(max(occurred_at)) FROM contact_events');

    // One contact certainly waiting at the stop (the simulator may leave others too).
    const stuck = queued(900_001, { occurred_at: stoppedAt - 60_000, contact_id: 'stuck-1' });
    await storeSink(writer).send([stuck]);
    const waitingBefore = await temp.count(WAITING, { before: stoppedAt });
    expect(waitingBefore).toBeGreaterThanOrEqual(1);
    const eventsBefore = await temp.count('SELECT count() FROM contact_events');

    const second = await startDemoIfWanted('auto', temp.store, writer, log);
    expect(second?.mode).toBe('resumed');
    try {
      await second!.caughtUp;
      // Every contact waiting at the stop is abandoned, as of the stop, with the note.
      const closed = await temp.rows<{ n: string; at: string; note: string }>(
        `SELECT count() AS n, toString(toUnixTimestamp64Milli(max(occurred_at))) AS at, any(JSONExtractString(extra, 'note')) AS note
         FROM contact_events WHERE type = 'contact.abandoned' AND JSONExtractString(extra, 'note') != ''`,
      );
      expect(Number(closed[0]!.n)).toBe(waitingBefore);
      expect(Number(closed[0]!.at)).toBe(stoppedAt);
      expect(closed[0]!.note).toBe(CLOSED_AT_RESTART);
      const [stuckAbandoned] = await temp.rows<{ at: string }>(
        `SELECT toString(toUnixTimestamp64Milli(occurred_at)) AS at FROM contact_events
         WHERE contact_id = 'stuck-1' AND type = 'contact.abandoned'`,
      );
      expect(Number(stuckAbandoned!.at)).toBe(stoppedAt);
      expect(await temp.count(WAITING, { before: stoppedAt })).toBe(0);
      // Live again: new events keep arriving after the restart.
      // (The first live batches may hold only agents' states: wait for contacts.)
      const afterCatchUp = await temp.count('SELECT count() FROM contact_events');
      expect(afterCatchUp).toBeGreaterThanOrEqual(eventsBefore + waitingBefore);
      await until(
        'new live events',
        90_000, // the restart's jobs share the one-statement engine; a loaded machine slows the first batches

        async () => (await temp.count('SELECT count() FROM contact_events')) > afterCatchUp,
      );
      expect(await temp.count('SELECT count() FROM demo_simulation WHERE resumed = 1')).toBe(1);
    } finally {
      await second!.stop();
    }
  }, 240_000);
});
