// The real service process (`callcast serve`) consuming from the mock Kafka cluster:
// SIGTERM writes what is buffered and commits it before exiting; SIGKILL mid-batch loses
// nothing either, because uncommitted messages are consumed again after a restart.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../../src/store/index.js';
import { committedTotal, kafkaClientFor, startMockKafka, type MockKafka } from '../support/kafka-broker.js';
import { queued } from '../support/events.js';
import { until } from '../support/poll.js';
import { killServeProcesses, startServeProcess, type ServeProcess } from '../support/serve-process.js';

let broker: MockKafka;
let dataDir: string;
const TOPIC = 'shutdown-events';

function startServe(flushMs: number): Promise<ServeProcess> {
  return startServeProcess({
    CALLCAST_DATA_DIR: dataDir,
    CALLCAST_SIMULATE: 'off',
    KAFKA_BROKERS: broker.bootstrap.join(','),
    KAFKA_TOPIC: TOPIC,
    KAFKA_GROUP_ID: 'shutdown-group',
    CALLCAST_BATCH_ROWS: '100000',
    CALLCAST_FLUSH_MS: String(flushMs),
    LOG_LEVEL: 'warn',
  });
}

async function buffered(url: string): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text();
  return Number(/^callcast_ingest_buffered_rows (\d+)/m.exec(text)?.[1] ?? -1);
}

const committed = () => committedTotal(broker.bootstrap, 'shutdown-group', TOPIC);

async function produce(from: number, to: number) {
  const producer = kafkaClientFor(broker.bootstrap, 'shutdown-producer').producer();
  await producer.connect();
  const messages = [];
  for (let i = from; i < to; i++) messages.push({ key: `c${i}`, value: JSON.stringify(queued(i)) });
  await producer.send({ topic: TOPIC, messages });
  await producer.disconnect();
}

beforeAll(async () => {
  broker = await startMockKafka({ brokers: 1, topics: [{ name: TOPIC, partitions: 2 }] });
  dataDir = mkdtempSync(join(tmpdir(), 'callcast-shutdown-'));
}, 60_000);
afterAll(async () => {
  killServeProcesses();
  await broker?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('service shutdown', () => {
  it('SIGKILL mid-batch loses nothing; SIGTERM flushes and commits, then exits 0', async () => {
    // 1. Rows sit in the buffer (a 60-second flush age), then the process is killed outright.
    const first = await startServe(60_000);
    await produce(0, 700);
    await until('700 rows buffered', 60_000, async () => (await buffered(first.url)) === 700);
    first.child.kill('SIGKILL');
    await first.exited;
    expect(await committed()).toBe(0);

    // 2. A new process reads them again (nothing was committed), plus 300 more; SIGTERM.
    const second = await startServe(60_000);
    await produce(700, 1_000);
    await until('1,000 rows buffered', 60_000, async () => (await buffered(second.url)) === 1_000);
    second.child.kill('SIGTERM');
    expect(await second.exited).toBe(0);
    expect(await committed()).toBe(1_000);

    const store = await openStore({ kind: 'embedded', dataDir, database: 'default' });
    try {
      const rows = await (
        await store.client.query({
          query: 'SELECT count() AS n, uniqExact(contact_id) AS u FROM contact_events FINAL',
          format: 'JSONEachRow',
        })
      ).json<{ n: number; u: number }>();
      expect(rows[0]).toEqual({ n: 1000, u: 1000 });
    } finally {
      await store.close();
    }
  }, 180_000);
});
