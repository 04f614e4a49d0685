// The store unavailable for 30 s while Kafka keeps delivering. During the outage every insert goes
// to a real ClickHouse HTTP client aimed at a port that refuses connections (a real ECONNREFUSED);
// afterwards back to the embedded store. The writer retries (1 s → 16 s), the consumer holds its
// offsets, then catches up with every event stored exactly once.
import { createServer } from 'node:net';
import type { Kafka, Producer } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWholeSendProducer } from '../../pipelines/ingest/kafka-produce.js';
import { ClickHouseLogLevel, createClient, type ClickHouseClient } from '@clickhouse/client';
import type { Store } from '../../src/store/index.js';
import { startMockKafka, type MockKafka } from '../support/kafka-broker.js';
import { until } from '../support/poll.js';
import { openTempStore, type TempStore } from '../support/temp-store.js';
import {
  counterValue,
  endOffsets,
  poisonIn,
  produce,
  readLedger,
  report,
  startableIngestor,
  storedFigures,
  testKafka,
  validIn,
} from './fault-kit.js';

const OUTAGE_MS = 30_000;
let broker: MockKafka;
let temp: TempStore;
let kafka: Kafka;
let producer: Producer;
let refusing: ClickHouseClient;

/** A port nothing listens on: bind one, then close it. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** The embedded store, except that inserts go to the refusing server while `down` is set. */
function switchableStore(store: Store, unavailable: ClickHouseClient) {
  const state = { down: false };
  const client = new Proxy(store.client, {
    get(target, property, receiver) {
      if (property === 'insert')
        return (...args: Parameters<typeof target.insert>) => (state.down ? unavailable : target).insert(...args);
      return Reflect.get(target, property, receiver);
    },
  });
  return { store: { ...store, client } as Store, state };
}

beforeAll(async () => {
  broker = await startMockKafka({ brokers: 3 });
  temp = await openTempStore();
  kafka = testKafka(broker.bootstrap, 'outage');
  producer = createWholeSendProducer(kafka);
  await producer.connect();
  // Quiet: the writer already counts and logs each refused insert.
  refusing = createClient({ url: `http://127.0.0.1:${await closedPort()}`, log: { level: ClickHouseLogLevel.OFF } });
}, 60_000);
afterAll(async () => {
  await producer?.disconnect();
  await refusing?.close();
  await broker?.stop();
  await temp?.cleanup();
});

describe('store outage', () => {
  it('30 s without a store: offsets held, then caught up with nothing lost or doubled', async () => {
    const [topic, groupId] = ['store-outage', 'g-store-outage'];
    await broker.createTopic(topic, 4);
    const { store, state } = switchableStore(temp.store, refusing);
    const ingest = startableIngestor(broker.bootstrap, store, topic, groupId, { batchRows: 500 });
    const committed = async () => (await storedFigures(temp, broker.bootstrap, topic, groupId)).committed;
    await ingest.ingestor.start();
    await produce(producer, topic, 0, 1_000);
    await until('the first 1,000 committed', 60_000, async () => (await committed()) === 1_000);

    state.down = true;
    const downAt = Date.now();
    await produce(producer, topic, 1_000, 4_000);
    await produce(producer, topic, 1_000, 1_500); // the same 500 events again
    const insertErrors = () => counterValue(ingest.registry, 'callcast_insert_errors_total');
    await until('inserts refused', 20_000, async () => (await insertErrors()) >= 2);
    // While the store refuses, no offset moves past what is stored, and nothing new is visible.
    const heldAt: number[] = [];
    while (Date.now() - downAt < OUTAGE_MS - 2_000) {
      heldAt.push(await committed());
      await new Promise((resolve) => setTimeout(resolve, 4_000));
    }
    expect(heldAt.every((offset) => offset === 1_000)).toBe(true);
    expect(await temp.count('SELECT count() FROM contact_events FINAL WHERE _topic = {t:String}', { t: topic })).toBe(
      validIn(0, 1_000),
    );
    const refusedInserts = await insertErrors();
    expect(refusedInserts).toBeGreaterThanOrEqual(4); // attempts at 0, 1, 3, 7, 15 s into the outage

    await new Promise((resolve) => setTimeout(resolve, downAt + OUTAGE_MS - Date.now()));
    state.down = false;
    const upAt = Date.now();
    await until(
      'every end offset committed',
      60_000,
      async () => (await committed()) === (await endOffsets(kafka, topic)),
    );
    const recoveredMs = Date.now() - upAt;
    await ingest.ingestor.stop();

    const ledger = await readLedger(kafka, topic);
    const stored = await storedFigures(temp, broker.bootstrap, topic, groupId);
    expect(ledger.validEvents).toBe(validIn(0, 4_000));
    expect(stored.eventsFinal).toBe(validIn(0, 4_000));
    expect(stored.deadLettersFinal).toBe(ledger.poisonPositions);
    expect(ledger.poisonPositions).toBe(poisonIn(0, 4_000) + poisonIn(1_000, 1_500));
    expect(stored.committed).toBe(ledger.messages);
    report('store refusing connections 30 s', {
      outageMs: upAt - downAt,
      recoveredMs,
      refusedInserts,
      ...ledger,
      ...stored,
    });
  }, 90_000);
});
