/**
 * Proves the mock Kafka broker helper (test/support/kafka-broker.ts) with kafkajs:
 * exact delivery through a consumer group, committed offsets, a broker outage
 * mid-stream, and injected retriable produce errors.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { logLevel, type Consumer, type Kafka, type LogEntry, type Producer } from 'kafkajs';
import { ApiKey, KafkaErrorCode, kafkaClientFor, startMockKafka, type MockKafka } from '../support/kafka-broker.js';
import { until } from '../support/poll.js';

const PARTITIONS = 4;

interface Received {
  partition: number;
  offset: number;
  key: string;
  value: string;
}

const keyOf = (i: number): string => `call-${String(i).padStart(6, '0')}`;
const valueOf = (i: number): string => JSON.stringify({ callId: keyOf(i), seq: i, queue: `q${i % 7}` });

/** Sends messages [from, to) in batches of `batch`, keyed so they spread over the partitions. */
async function produceRange(producer: Producer, topic: string, from: number, to: number, batch = 500): Promise<void> {
  for (let start = from; start < to; start += batch) {
    const messages = [];
    for (let i = start; i < Math.min(to, start + batch); i++) messages.push({ key: keyOf(i), value: valueOf(i) });
    await producer.send({ topic, messages });
  }
}

/** A consumer-group member: eachBatch, autoCommit off, commits each partition's batch after handling it. */
async function startConsumer(
  kafka: Kafka,
  topic: string,
  groupId: string,
  sink: Received[],
): Promise<{ consumer: Consumer; joined: Promise<void> }> {
  const consumer = kafka.consumer({ groupId, sessionTimeout: 10_000, heartbeatInterval: 500, maxWaitTimeInMs: 100 });
  const joined = new Promise<void>((res) => consumer.on(consumer.events.GROUP_JOIN, () => res()));
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  await consumer.run({
    autoCommit: false,
    eachBatch: async ({ batch, heartbeat }) => {
      let last: string | undefined;
      for (const m of batch.messages) {
        sink.push({
          partition: batch.partition,
          offset: Number(m.offset),
          key: m.key!.toString(),
          value: m.value!.toString(),
        });
        last = m.offset;
      }
      if (last !== undefined) {
        await consumer.commitOffsets([{ topic, partition: batch.partition, offset: (BigInt(last) + 1n).toString() }]);
      }
      await heartbeat();
    },
  });
  return { consumer, joined };
}

describe('mock Kafka broker (librdkafka mock cluster) with kafkajs', () => {
  let mk: MockKafka;
  let kafka: Kafka;
  const errorLogs: LogEntry[] = [];

  beforeAll(async () => {
    mk = await startMockKafka({ brokers: 3, topics: [{ name: 'exact', partitions: PARTITIONS }] });
    // Capture (not print) kafkajs error logs: they show which injected errors were hit.
    kafka = kafkaClientFor(mk.bootstrap, 'broker-test', {
      logLevel: logLevel.ERROR,
      logCreator: () => (entry) => void errorLogs.push(entry),
    });
  });
  afterAll(async () => {
    await mk?.stop();
  });

  it('starts 3 brokers and answers control commands', async () => {
    expect(mk.bootstrap).toHaveLength(3);
    for (const b of mk.bootstrap) expect(b).toMatch(/^127\.0\.0\.1:\d+$/);
    expect(await mk.command('ping')).toBe('pong');
    await expect(mk.command('leader exact 0 9')).rejects.toThrow(/usage/);
    await expect(mk.command('no-such-command')).rejects.toThrow(/unknown command/);
    const admin = kafka.admin();
    await admin.connect();
    try {
      const meta = await admin.fetchTopicMetadata({ topics: ['exact'] });
      expect(meta.topics[0]!.partitions).toHaveLength(PARTITIONS);
      const { brokers } = await admin.describeCluster();
      expect(brokers.map((b) => b.nodeId).sort()).toEqual([1, 2, 3]);
    } finally {
      await admin.disconnect();
    }
  });

  it('delivers 10,000 keyed messages exactly once through a consumer group and commits offsets', async () => {
    const topic = 'exact';
    const groupId = 'g-exact';
    const N = 10_000;
    const producer = kafka.producer();
    await producer.connect();
    const admin = kafka.admin();
    await admin.connect();
    const sink: Received[] = [];
    let consumer: Consumer | undefined;
    try {
      await produceRange(producer, topic, 0, N);
      ({ consumer } = await startConsumer(kafka, topic, groupId, sink));
      await until(`${N} messages`, 30_000, () => sink.length >= N);

      // Exact multiset: count and content.
      expect(sink).toHaveLength(N);
      const sent = Array.from({ length: N }, (_, i) => `${keyOf(i)}|${valueOf(i)}`).sort();
      expect(sink.map((r) => `${r.key}|${r.value}`).sort()).toEqual(sent);

      // Every partition got some, and its offsets are exactly 0..high-1.
      const highs = await admin.fetchTopicOffsets(topic);
      let total = 0;
      for (const { partition, high, low } of highs) {
        const offsets = sink.filter((r) => r.partition === partition).map((r) => r.offset);
        expect(offsets.length, `partition ${partition}`).toBeGreaterThan(0);
        expect(offsets).toEqual(Array.from({ length: Number(high) - Number(low) }, (_, i) => Number(low) + i));
        total += offsets.length;
      }
      expect(total).toBe(N);

      // Commits land (commitOffsets resolves before we see the next batch, but poll anyway).
      const highBy = new Map(highs.map((h) => [h.partition, h.high]));
      await until('committed offsets = high watermarks', 10_000, async () => {
        const [committed] = await admin.fetchOffsets({ groupId, topics: [topic] });
        return committed!.partitions.every((p) => p.offset === highBy.get(p.partition));
      });
      await consumer.disconnect();
      consumer = undefined;

      // A new member of the same group resumes from the commits: it sees only fresh messages.
      // One sentinel per partition: anything uncommitted on a partition would arrive before its sentinel.
      const second: Received[] = [];
      const started = await startConsumer(kafka, topic, groupId, second);
      consumer = started.consumer;
      await started.joined;
      await producer.send({
        topic,
        messages: Array.from({ length: PARTITIONS }, (_, p) => ({
          key: `sentinel-${p}`,
          value: 'sentinel',
          partition: p,
        })),
      });
      await until('the 4 sentinels', 20_000, () => second.length >= PARTITIONS);
      expect(second.map((r) => r.key).sort()).toEqual(Array.from({ length: PARTITIONS }, (_, p) => `sentinel-${p}`));
      for (const r of second) expect(r.offset).toBe(Number(highBy.get(r.partition)));
    } finally {
      await consumer?.disconnect();
      await producer.disconnect();
      await admin.disconnect();
    }
  });

  it('loses nothing when a partition leader goes down and comes back mid-stream', async () => {
    const topic = 'outage';
    const groupId = 'g-outage';
    const N = 6_000;
    await mk.createTopic(topic, PARTITIONS);
    const admin = kafka.admin();
    await admin.connect();
    const producer = kafka.producer();
    await producer.connect();
    const sink: Received[] = [];
    let consumer: Consumer | undefined;
    try {
      const meta = await admin.fetchTopicMetadata({ topics: [topic] });
      const victim = meta.topics[0]!.partitions.find((p) => p.partitionId === 0)!.leader;
      ({ consumer } = await startConsumer(kafka, topic, groupId, sink));

      await produceRange(producer, topic, 0, N / 3);
      await mk.brokerDown(victim);
      let secondThirdDone = false;
      const secondThird = produceRange(producer, topic, N / 3, (2 * N) / 3).then(() => {
        secondThirdDone = true;
      });
      // The outage window: keep the leader of partition 0 down for a fixed 1.5 s while producing.
      await new Promise((r) => setTimeout(r, 1500));
      expect(secondThirdDone, 'producing must be stalled by the outage').toBe(false);
      await mk.brokerUp(victim);
      await secondThird;
      await produceRange(producer, topic, (2 * N) / 3, N);

      const distinct = (): number => new Set(sink.map((r) => r.key)).size;
      await until(`${N} distinct keys`, 40_000, () => distinct() >= N);
      // At least once...
      expect(sink.length).toBeGreaterThanOrEqual(N);
      // ...and exactly once after dedup by key, with the right payloads.
      const byKey = new Map<string, string>();
      for (const r of sink) {
        const prev = byKey.get(r.key);
        if (prev !== undefined) expect(r.value).toBe(prev);
        byKey.set(r.key, r.value);
      }
      expect([...byKey.keys()].sort()).toEqual(Array.from({ length: N }, (_, i) => keyOf(i)));
      for (const [k, v] of byKey) expect(JSON.parse(v).callId).toBe(k);
    } finally {
      await mk.brokerUp(-1).catch(() => {});
      await consumer?.disconnect();
      await producer.disconnect();
      await admin.disconnect();
    }
  });

  it.each([
    ['NOT_LEADER_FOR_PARTITION', KafkaErrorCode.NOT_LEADER_FOR_PARTITION, /not the leader/],
    ['REQUEST_TIMED_OUT', KafkaErrorCode.REQUEST_TIMED_OUT, /timed out/],
  ] as const)(
    'retries injected %s produce errors without losing or duplicating messages',
    async (_name, code, text) => {
      const topic = `errors-${code}`;
      const groupId = `g-errors-${code}`;
      const N = 2_000;
      const INJECTED = 4;
      await mk.createTopic(topic, PARTITIONS);
      const producer = kafka.producer();
      await producer.connect();
      const sink: Received[] = [];
      let consumer: Consumer | undefined;
      try {
        const before = errorLogs.length;
        await mk.injectErrors('Produce', INJECTED, code);
        await produceRange(producer, topic, 0, N, 250);
        // kafkajs logs each failed Produce response at ERROR: the injected errors were really hit.
        const hits = errorLogs
          .slice(before)
          .filter(
            (e) =>
              e.namespace === 'Connection' &&
              String(e.log.message).startsWith(`Response Produce(key: ${ApiKey.Produce},`),
          )
          .filter((e) => text.test(String(e.log.error)));
        expect(hits.length).toBe(INJECTED);

        ({ consumer } = await startConsumer(kafka, topic, groupId, sink));
        await until(`${N} messages`, 20_000, () => sink.length >= N);
        // The mock rejects the injected requests before appending, so retries add no duplicates.
        expect(sink).toHaveLength(N);
        expect(sink.map((r) => r.key).sort()).toEqual(Array.from({ length: N }, (_, i) => keyOf(i)));
      } finally {
        await consumer?.disconnect();
        await producer.disconnect();
      }
    },
  );
});
