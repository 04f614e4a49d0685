// The real service process (`callcast serve`) killed with SIGKILL mid-stream, while batches are
// being written and committed, then started again on the same data directory: the restart reads
// from the last committed offsets and the store ends with every event exactly once.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Kafka, Producer } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWholeSendProducer } from '../../pipelines/ingest/kafka-produce.js';
import { openStore } from '../../src/store/index.js';
import { committedTotal, startMockKafka, type MockKafka } from '../support/kafka-broker.js';
import { until } from '../support/poll.js';
import { killServeProcesses, startServeProcess, type ServeProcess } from '../support/serve-process.js';
import { endOffsets, poisonIn, produce, readLedger, report, testKafka, validIn } from './fault-kit.js';

const TOPIC = 'sigkill-events';
const GROUP = 'sigkill-group';
let broker: MockKafka;
let kafka: Kafka;
let producer: Producer;
let dataDir: string;

function startServe(): Promise<ServeProcess> {
  return startServeProcess({
    CALLCAST_DATA_DIR: dataDir,
    CALLCAST_SIMULATE: 'off',
    KAFKA_BROKERS: broker.bootstrap.join(','),
    KAFKA_TOPIC: TOPIC,
    KAFKA_GROUP_ID: GROUP,
    CALLCAST_BATCH_ROWS: '400',
    CALLCAST_FLUSH_MS: '200',
    LOG_LEVEL: 'warn',
  });
}

const committed = () => committedTotal(broker.bootstrap, GROUP, TOPIC);

beforeAll(async () => {
  broker = await startMockKafka({ brokers: 3, topics: [{ name: TOPIC, partitions: 4 }] });
  kafka = testKafka(broker.bootstrap, 'sigkill');
  producer = createWholeSendProducer(kafka);
  await producer.connect();
  dataDir = mkdtempSync(join(tmpdir(), 'callcast-sigkill-'));
}, 60_000);
afterAll(async () => {
  killServeProcesses();
  await producer?.disconnect();
  await broker?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('SIGKILL mid-stream', () => {
  it('a killed service restarts from its committed offsets: nothing lost, nothing double-counted', async () => {
    const first = await startServe();
    // Sent while the service consumes, so the kill lands between (or inside) batch writes.
    const sending = produce(producer, TOPIC, 0, 6_000);
    await until('some batches committed', 60_000, async () => (await committed()) >= 1_200);
    first.child.kill('SIGKILL');
    await first.exited;
    const committedAtKill = await committed();
    await sending;
    await produce(producer, TOPIC, 0, 1_000); // the same 1,000 events again
    const end = await endOffsets(kafka, TOPIC);
    // Killed mid-stream: part of the topic committed, the rest not.
    expect(committedAtKill).toBeGreaterThanOrEqual(1_200);
    expect(committedAtKill).toBeLessThan(end);

    const restartedAt = Date.now();
    const second = await startServe();
    await until('every end offset committed after the restart', 90_000, async () => (await committed()) === end);
    const recoveredMs = Date.now() - restartedAt;
    second.child.kill('SIGTERM');
    expect(await second.exited).toBe(0);

    const ledger = await readLedger(kafka, TOPIC);
    expect(ledger.validEvents).toBe(validIn(0, 6_000));
    expect(ledger.poisonPositions).toBe(poisonIn(0, 6_000) + poisonIn(0, 1_000));
    const store = await openStore({ kind: 'embedded', dataDir, database: 'default' });
    try {
      const scalar = async (query: string) =>
        Number(
          Object.values(
            (
              await (
                await store.client.query({ query, query_params: { t: TOPIC }, format: 'JSONEachRow' })
              ).json<Record<string, string>>()
            )[0] ?? {},
          )[0],
        );
      const eventsFinal = await scalar('SELECT count() FROM contact_events FINAL WHERE _topic = {t:String}');
      const distinctIds = await scalar('SELECT uniqExact(event_id) FROM contact_events WHERE _topic = {t:String}');
      const eventsRaw = await scalar('SELECT count() FROM contact_events WHERE _topic = {t:String}');
      const deadLettersFinal = await scalar(
        `SELECT count() FROM dead_letters FINAL WHERE _source = 'kafka' AND _topic = {t:String}`,
      );
      expect(eventsFinal).toBe(validIn(0, 6_000));
      expect(distinctIds).toBe(validIn(0, 6_000));
      expect(deadLettersFinal).toBe(ledger.poisonPositions);
      report('SIGKILL mid-stream + restart', {
        committedAtKill,
        end,
        recoveredMs,
        eventsFinal,
        eventsRaw,
        deadLettersFinal,
        ...ledger,
      });
    } finally {
      await store.close();
    }
  }, 180_000);
});
