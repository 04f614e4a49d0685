// The first start on an empty embedded store: the demo's history loads newest stretch first (the
// recent figures are in the store before the oldest ones), and the jobs holder records a first
// forecast run once the history is in, without waiting for the nightly schedule.
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { historyStretches } from '../../src/api/demo.js';
import { startService } from '../../src/api/server.js';
import { loadConfig } from '../../src/config/index.js';
import { simulateStretchBatches } from '../../pipelines/simulate/generator.js';
import { until } from '../support/poll.js';
import { openTempStore, type TempStore } from '../support/temp-store.js';

const DAY = 86_400_000;

describe('history stretches', () => {
  it('cuts the days before today newest first, the oldest stretch shorter', () => {
    const now = Date.parse('2026-12-03T13:45:00Z');
    const day = (d: string) => Date.parse(`${d}T00:00:00Z`);
    expect(historyStretches(8, 3, now)).toEqual([
      { from: day('2026-11-30'), to: day('2026-12-03') },
      { from: day('2026-11-27'), to: day('2026-11-30') },
      { from: day('2026-11-25'), to: day('2026-11-27') },
    ]);
    expect(historyStretches(56, 7, now)).toHaveLength(8);
    expect(historyStretches(56, 7, now)[7]).toEqual({ from: day('2026-10-08'), to: day('2026-10-15') });
  });

  it('a stretch ends its own contacts and nothing else after its end', () => {
    const start = Date.parse('2026-06-01T00:00:00Z');
    const end = start + DAY;
    const events = [
      ...simulateStretchBatches({ start, days: 1, queues: 1, seed: 5, drainMs: 4 * 3_600_000 }, 500),
    ].flat();
    const at = (e: { occurred_at: string | number }) => new Date(e.occurred_at).getTime();
    const queuedIds = new Set(
      events.filter((e) => e.type === 'contact.queued').map((e) => (e as { contact_id: string }).contact_id),
    );
    expect(events.every((e) => at(e) >= start && at(e) < end + 4 * 3_600_000)).toBe(true);
    expect(events.some((e) => at(e) >= end)).toBe(true);
    const after = events.filter((e) => at(e) >= end);
    // After the end: only answers, ends and surveys of contacts queued inside the stretch.
    expect(after.every((e) => 'contact_id' in e && queuedIds.has(e.contact_id) && e.type !== 'contact.queued')).toBe(
      true,
    );
    // Every contact of the stretch is answered or abandoned by the end of the drain.
    const closed = new Set(
      events
        .filter((e) => e.type === 'contact.answered' || e.type === 'contact.abandoned')
        .map((e) => (e as { contact_id: string }).contact_id),
    );
    expect([...queuedIds].filter((id) => !closed.has(id))).toEqual([]);
  });
});

describe('first start', () => {
  let temp: TempStore;
  beforeAll(async () => {
    temp = await openTempStore();
  });
  afterAll(async () => {
    await temp?.cleanup();
  });

  it('loads the newest stretch before older ones and records a first forecast run', async () => {
    const config = loadConfig({
      PORT: '0',
      CALLCAST_DATA_DIR: temp.dir,
      CALLCAST_ALERTS: 'off',
      CALLCAST_REPORT_SCHEDULE: 'off',
    });
    const service = await startService(config, pino({ level: 'silent' }), {
      store: temp.store,
      holder: 'first-start',
      demo: { historyDays: 8, stretchDays: 3, queues: 1 },
    });
    try {
      await until(
        'a successful forecast run',
        240_000,
        async () => (await temp.count("SELECT count() FROM forecast_runs WHERE status = 'ok'")) > 0,
      );
      const stretches = historyStretches(8, 3, Date.now());
      // When each stretch's first day of contacts reached the store (contact.queued only: the
      // stretch before a boundary also ends its own open contacts just after it).
      const ingested = async ({ from }: { from: number }) =>
        temp.rows<{ n: string; first: string; last: string }>(
          `SELECT count() AS n, toString(toUnixTimestamp64Milli(min(_ingested_at))) AS first,
                  toString(toUnixTimestamp64Milli(max(_ingested_at))) AS last
           FROM contact_events WHERE type = 'contact.queued'
             AND occurred_at >= fromUnixTimestamp64Milli({from:Int64}) AND occurred_at < fromUnixTimestamp64Milli({to:Int64})`,
          { from, to: from + DAY },
        );
      const [newest, middle, oldest] = await Promise.all(stretches.map(async (s) => (await ingested(s))[0]!));
      for (const s of [newest, middle, oldest]) expect(Number(s!.n)).toBeGreaterThan(0);
      expect(Number(newest!.last)).toBeLessThan(Number(middle!.first));
      expect(Number(middle!.last)).toBeLessThan(Number(oldest!.first));
      // The history covers all 8 days and the run forecast from it.
      const [span] = await temp.rows<{ first: string }>(
        `SELECT toString(toDate(min(occurred_at))) AS first FROM contact_events WHERE type = 'contact.queued'`,
      );
      expect(span!.first).toBe(new Date(stretches[2]!.from).toISOString().slice(0, 10));
      expect(await temp.count(`SELECT uniqExact(run_id) FROM forecast_runs`)).toBe(1);
      expect(await temp.count(`SELECT count() FROM forecasts`)).toBeGreaterThan(0);
    } finally {
      await service.stop();
    }
  }, 300_000);
});
