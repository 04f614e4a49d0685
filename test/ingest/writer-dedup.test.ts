// The writer's insert_deduplication_token must tell apart batches from different source
// positions. Dead letters carry no event_id, so two batches of poison at the same offsets of two
// partitions once shared a token and ClickHouse dropped the second as a retry (found by the
// OffsetCommit fault test: 70 of 80 dead letters stored).
import { pino } from 'pino';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emptyBatch, addPayload } from '../../pipelines/ingest/prepare.js';
import { createIngestMetrics } from '../../pipelines/ingest/prometheus.js';
import { BatchWriter } from '../../pipelines/ingest/writer.js';
import { openTempStore, type TempStore } from '../support/temp-store.js';

let temp: TempStore;
let writer: BatchWriter;

beforeAll(async () => {
  temp = await openTempStore();
  writer = new BatchWriter(temp.store, createIngestMetrics(new Registry()), pino({ level: 'silent' }));
});
afterAll(async () => temp?.cleanup());

/** One batch holding two poison messages at offsets 7 and 9 of `partition`. */
function poisonBatch(topic: string, partition: number) {
  const batch = emptyBatch();
  for (const offset of [7, 9]) addPayload(batch, 'not json', { source: 'kafka', topic, partition, offset });
  return batch;
}

describe('batch writer dedup token', () => {
  it('stores poison at the same offsets of different partitions and topics, and a retried batch once', async () => {
    await writer.write(poisonBatch('t1', 0));
    await writer.write(poisonBatch('t1', 1)); // same offsets, other partition
    await writer.write(poisonBatch('t2', 0)); // same offsets and partition, other topic
    await writer.write(poisonBatch('t1', 0)); // a true retry: dropped by the token
    expect(await temp.count(`SELECT count() FROM dead_letters`)).toBe(6);
    expect(await temp.count(`SELECT count() FROM dead_letters WHERE _topic = 't1' AND _partition = 1`)).toBe(2);
  });
});
