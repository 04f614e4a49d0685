// Shared by the fault tests: numbered events with known ids, a ledger read back from the Kafka log
// itself (what the store must hold, whatever the producer retried), and the exact checks.
import { pino } from 'pino';
import { Registry } from 'prom-client';
import type { Kafka, Producer } from 'kafkajs';
import { createKafkaIngestor, type KafkaIngestor } from '../../pipelines/ingest/kafka-consumer.js';
import { sendWhole } from '../../pipelines/ingest/kafka-produce.js';
import { createIngestMetrics, type IngestMetrics } from '../../pipelines/ingest/prometheus.js';
import { BatchWriter } from '../../pipelines/ingest/writer.js';
import type { Store } from '../../src/store/index.js';
import { queued, uuidFor } from '../support/events.js';
import { committedTotal, kafkaClientFor } from '../support/kafka-broker.js';
import type { TempStore } from '../support/temp-store.js';

export const log = pino({ level: process.env.TEST_LOG ?? 'silent' });

/** Every 50th event is poison (cut short), so it must land in dead_letters. */
export const isPoison = (i: number) => i % 50 === 49;

/** Messages for events [from, to): contact c<i>, event id uuidFor(i). */
export function numbered(from: number, to: number): { key: string; value: string }[] {
  const out = [];
  for (let i = from; i < to; i++) {
    const value = isPoison(i)
      ? `{"event_id":"${uuidFor(i)}","type":"contact.queued","contact_id":"c${i}`
      : JSON.stringify(queued(i));
    out.push({ key: `c${i}`, value });
  }
  return out;
}

/** Sends events [from, to) in requests of 500, each retried whole until acknowledged. */
export async function produce(producer: Producer, topic: string, from: number, to: number): Promise<void> {
  const all = numbered(from, to);
  for (let i = 0; i < all.length; i += 500) await sendWhole(producer, { topic, messages: all.slice(i, i + 500) });
}

export interface Ledger {
  /** Messages in the topic (end offsets summed). */
  messages: number;
  /** Poison messages in the topic, counted by position: each must be one dead letter. */
  poisonPositions: number;
  /** Distinct valid event numbers in the topic: the store must hold exactly these, once each. */
  validEvents: number;
}

/** Reads the whole topic back with a throwaway group: the truth the store is checked against. */
export async function readLedger(kafka: Kafka, topic: string): Promise<Ledger> {
  const admin = kafka.admin();
  await admin.connect();
  const ends = await admin.fetchTopicOffsets(topic);
  await admin.disconnect();
  const messages = ends.reduce((sum, p) => sum + Number(p.high), 0);
  const consumer = kafka.consumer({ groupId: `ledger-${topic}-${Date.now()}`, maxWaitTimeInMs: 100 });
  const valid = new Set<string>();
  let poisonPositions = 0;
  let seen = 0;
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  const done = new Promise<void>((resolve) => {
    void consumer.run({
      eachMessage: async ({ message }) => {
        const text = message.value?.toString('utf8') ?? '';
        const id = /"event_id":"([^"]+)"/.exec(text)?.[1] ?? '';
        if (text.endsWith('}')) valid.add(id);
        else poisonPositions++;
        if (++seen === messages) resolve();
      },
    });
  });
  if (messages > 0) await done;
  await consumer.disconnect();
  return { messages, poisonPositions, validEvents: valid.size };
}

export interface StoredFigures {
  /** count() FINAL of this topic's contact events: must equal the ledger's valid events. */
  eventsFinal: number;
  /** count() without FINAL: above eventsFinal when messages were delivered more than once. */
  eventsRaw: number;
  deadLettersFinal: number;
  committed: number;
}

export async function storedFigures(
  temp: TempStore,
  bootstrap: string[],
  topic: string,
  groupId: string,
): Promise<StoredFigures> {
  const t = { t: topic };
  return {
    eventsFinal: await temp.count('SELECT count() FROM contact_events FINAL WHERE _topic = {t:String}', t),
    eventsRaw: await temp.count('SELECT count() FROM contact_events WHERE _topic = {t:String}', t),
    deadLettersFinal: await temp.count(
      `SELECT count() FROM dead_letters FINAL WHERE _source = 'kafka' AND _topic = {t:String}`,
      t,
    ),
    committed: await committedTotal(bootstrap, groupId, topic),
  };
}

/** Valid event numbers in [from, to) — the expected distinct count when the producer lost nothing. */
export function validIn(from: number, to: number): number {
  let n = 0;
  for (let i = from; i < to; i++) if (!isPoison(i)) n++;
  return n;
}

export function poisonIn(from: number, to: number): number {
  return to - from - validIn(from, to);
}

export interface Ingest {
  ingestor: KafkaIngestor;
  metrics: IngestMetrics;
  registry: Registry;
}

export function startableIngestor(
  bootstrap: string[],
  store: Store,
  topic: string,
  groupId: string,
  options: { batchRows?: number } = {},
): Ingest {
  const registry = new Registry();
  const metrics = createIngestMetrics(registry);
  const ingestor = createKafkaIngestor(
    { brokers: bootstrap, topics: [topic], groupId },
    { batchRows: options.batchRows ?? 1_000, flushMs: 200 },
    new BatchWriter(store, metrics, log),
    metrics,
    log,
  );
  return { ingestor, metrics, registry };
}

export async function counterValue(registry: Registry, name: string): Promise<number> {
  const metric = await registry.getSingleMetric(name)?.get();
  return (metric?.values ?? []).reduce((sum, v) => sum + v.value, 0);
}

export const endOffsets = async (kafka: Kafka, topic: string) => {
  const admin = kafka.admin();
  await admin.connect();
  try {
    return (await admin.fetchTopicOffsets(topic)).reduce((sum, p) => sum + Number(p.high), 0);
  } finally {
    await admin.disconnect();
  }
};

export const testKafka = (bootstrap: string[], clientId: string) => kafkaClientFor(bootstrap, clientId);

/** One line of measured figures per fault, collected for docs/reliability.md. */
export function report(fault: string, figures: Record<string, unknown>): void {
  if (process.env.FAULT_FIGURES) console.log(`[fault] ${JSON.stringify({ fault, ...figures })}`);
}
