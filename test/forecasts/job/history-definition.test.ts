// The forecast history counted with the metric definitions (docs/spec.md): a short abandon is
// offered volume (as `offered`) but neither an abandon nor waiting time for patience, with the
// short-abandon limit of the settings version in force when the contact was queued. Hand-worked
// on six contacts, and equal to GET /v1/metrics' half-hour counts for the same store.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { Registry } from 'prom-client';
import { openTempStore, type TempStore } from '../../support/temp-store.js';
import { storeSink } from '../../../pipelines/ingest/store-sink.js';
import { BatchWriter } from '../../../pipelines/ingest/writer.js';
import { createIngestMetrics } from '../../../pipelines/ingest/prometheus.js';
import { readHistory } from '../../../forecasts/job/history.js';
import { queryMetrics } from '../../../src/metrics/query.js';
import { saveSettings } from '../../../src/metrics/settings.js';
import type { CallcastEvent } from '../../../src/events/index.js';

const DAY = Date.parse('2026-11-10T00:00:00Z');
const at = (hhmmss: string) => `2026-11-10T${hhmmss}Z`;
let n = 0;
const ev = (type: string, contact: string, time: string, extra: Record<string, unknown> = {}) =>
  ({
    event_id: `00000000-0000-4000-8000-${(++n).toString(16).padStart(12, '0')}`,
    type,
    occurred_at: at(time),
    contact_id: contact,
    ...extra,
  }) as CallcastEvent;
const queued = (c: string, time: string) => ev('contact.queued', c, time, { queue: 'billing', channel: 'voice' });

// 10:00–10:30 (S = 5 s, the default): a short abandon (3 s), an abandon (20 s), an answered and
// handled contact (wait 10 s; 100 + 20 + 30 s of work), and that one's queued event delivered twice.
// 10:30–11:00 (S = 10 s from 10:30): a 7 s abandon, short under the new limit, and an answered
// contact not yet completed (wait 4 s).
const EVENTS: CallcastEvent[] = [
  queued('a', '10:00:00'),
  ev('contact.abandoned', 'a', '10:00:03'),
  queued('b', '10:05:00'),
  ev('contact.abandoned', 'b', '10:05:20'),
  queued('c', '10:10:00'),
  ev('contact.answered', 'c', '10:10:10', { agent_id: 'a1' }),
  ev('contact.completed', 'c', '10:14:00', { agent_id: 'a1', talk_s: 100, hold_s: 20, wrap_s: 30 }),
  queued('d', '10:40:00'),
  ev('contact.abandoned', 'd', '10:40:07'),
  queued('e', '10:45:00'),
  ev('contact.answered', 'e', '10:45:04', { agent_id: 'a1' }),
];

let t: TempStore;

beforeAll(async () => {
  t = await openTempStore();
  await saveSettings(t.store.client, 'billing', { short_abandon_s: 10 }, 'test', DAY + 10.5 * 3_600_000);
  const sink = storeSink(new BatchWriter(t.store, createIngestMetrics(new Registry()), pino({ level: 'silent' })));
  await sink.send(EVENTS);
  await sink.send([EVENTS[4]!]); // the same contact.queued again (a redelivery)
});
afterAll(async () => t?.cleanup());

describe('forecast history with the metric definitions', () => {
  it('counts short abandons as volume, not as abandons or waiting time', async () => {
    const [s, ...others] = await readHistory(t.store.client, { startMs: DAY, endMs: DAY + 86_400_000 });
    expect(others).toHaveLength(0);
    expect([s!.queue, s!.channel, s!.startMs, s!.volume.length]).toEqual(['billing', 'voice', DAY, 48]);
    const slot10 = 20; // 10:00 UTC
    expect(Array.from(s!.volume.slice(slot10, slot10 + 2))).toEqual([3, 2]);
    expect(s!.volume.reduce((a, b) => a + b, 0)).toBe(5);
    // Only c was handled: (100 + 20 + 30) ÷ 1.
    expect(Array.from(s!.aht.slice(slot10, slot10 + 2))).toEqual([150, 0]);
    // One abandon (b, 20 s); waits: b 20 s + c 10 s + e 4 s; a (3 s < 5) and d (7 s < 10) left out.
    expect(s!.abandons).toBe(1);
    expect(s!.waitSeconds).toBe(34);
  });

  it("equals GET /v1/metrics' offered, abandoned and handled per half-hour", async () => {
    const api = await queryMetrics(t.store.client, {
      queue: 'billing',
      from: DAY + 10 * 3_600_000,
      to: DAY + 11 * 3_600_000,
      interval: '30m',
      tz: 'UTC',
      now: DAY + 30 * 86_400_000,
    });
    const [s] = await readHistory(t.store.client, { startMs: DAY, endMs: DAY + 86_400_000 });
    expect(api.rows.map((r) => [r.counts.offered, r.counts.short_abandons, r.counts.abandoned])).toEqual([
      [3, 1, 1],
      [2, 1, 0],
    ]);
    expect(api.rows.map((r) => r.counts.offered)).toEqual(Array.from(s!.volume.slice(20, 22)));
    expect(api.total.counts.abandoned).toBe(s!.abandons);
    expect(api.rows[0]!.aht_s).toBe(s!.aht[20]);
  });
});
