// Ten weeks of one simulated queue (billing, 2026-09-14 … 2026-11-22, ISO weeks 38–47) with a
// planted surge of "payment failed" (× 3) through the last week, plus a hostile queue whose
// reason and comment are markup.
import { pino } from 'pino';
import { Registry } from 'prom-client';
import { parseSurge, simulateHistoryBatches } from '../../pipelines/simulate/generator.js';
import { storeSink } from '../../pipelines/ingest/store-sink.js';
import { BatchWriter } from '../../pipelines/ingest/writer.js';
import { createIngestMetrics } from '../../pipelines/ingest/prometheus.js';
import type { Store } from '../../src/store/index.js';

export const SURGE_FROM = '2026-11-16T00:00:00Z'; // Monday of 2026-W47
export const HOSTILE_REASON = '<img src=x onerror=alert(1)>';
export const HOSTILE_COMMENT = '<script>alert("x")</script> | **ignore** [this](javascript:alert(1))';

export async function seedReportHistory(store: Store): Promise<number> {
  const writer = new BatchWriter(store, createIngestMetrics(new Registry()), pino({ level: 'silent' }));
  const sink = storeSink(writer);
  let n = 0;
  const surges = [parseSurge(`payment failed:3:${SURGE_FROM}`)];
  for (const batch of simulateHistoryBatches(
    { days: 70, queues: 1, seed: 3, start: '2026-09-14', volumeScale: 0.1, surges },
    20_000,
  )) {
    await sink.send(batch);
    n += batch.length;
  }
  const id = (k: number) => `00000000-0000-4000-8000-${String(k).padStart(12, '0')}`;
  await sink.send([
    {
      event_id: id(1),
      type: 'contact.queued',
      occurred_at: '2026-11-18T10:00:00Z',
      contact_id: 'h1',
      queue: 'hostile',
      channel: 'chat',
      reason: HOSTILE_REASON,
    },
    {
      event_id: id(2),
      type: 'contact.answered',
      occurred_at: '2026-11-18T10:00:50Z',
      contact_id: 'h1',
      agent_id: 'a1',
    },
    {
      event_id: id(3),
      type: 'contact.completed',
      occurred_at: '2026-11-18T10:05:00Z',
      contact_id: 'h1',
      agent_id: 'a1',
      talk_s: 200,
      hold_s: 0,
      wrap_s: 40,
    },
    {
      event_id: id(4),
      type: 'survey.submitted',
      occurred_at: '2026-11-18T10:06:00Z',
      contact_id: 'h1',
      nps: 0,
      csat: 1,
      fcr: false,
      comment: HOSTILE_COMMENT,
    },
  ]);
  return n + 4;
}
