// Where simulated events go: Kafka, the HTTP ingest endpoint, NDJSON on a stream, or (plugged in
// by the ingestion writer) straight into the store. Every sink takes batches in time order.
import type { Writable } from 'node:stream';
import { Kafka, logLevel, type Producer } from 'kafkajs';
import { createWholeSendProducer, sendWhole } from '../ingest/kafka-produce.js';
import type { CallcastEvent } from '../../src/events/schemas.js';

export interface EventSink {
  /** Delivers a batch (in occurred_at order); resolves once it is accepted downstream. */
  send(events: CallcastEvent[]): Promise<void>;
  /** Flushes and releases connections. */
  close(): Promise<void>;
}

const BATCH = 1000;

/** The Kafka message key: a contact's events share one partition, as do an agent's. */
export function eventKey(e: CallcastEvent): string {
  return 'contact_id' in e ? e.contact_id : e.agent_id;
}

export interface KafkaSinkOptions {
  brokers: string[];
  topic: string;
  clientId?: string;
  /** Messages per produce request. Default 1000. */
  batchSize?: number;
}

/**
 * kafkajs producer, acks = all, key = contact_id or agent_id. A failed send is retried whole
 * (kafkajs's own retry can drop a partition whose leader moved; see ingest/kafka-produce.ts).
 */
export function kafkaSink(options: KafkaSinkOptions): EventSink {
  const kafka = new Kafka({
    clientId: options.clientId ?? 'callcast-simulate',
    brokers: options.brokers,
    logLevel: logLevel.WARN,
    retry: { retries: 8, initialRetryTime: 300 },
  });
  const producer: Producer = createWholeSendProducer(kafka, { allowAutoTopicCreation: true, idempotent: false });
  let connected: Promise<void> | undefined;
  const size = options.batchSize ?? BATCH;
  return {
    async send(events) {
      connected ??= producer.connect();
      await connected;
      for (let i = 0; i < events.length; i += size) {
        const chunk = events.slice(i, i + size);
        await sendWhole(producer, {
          topic: options.topic,
          acks: -1,
          messages: chunk.map((e) => ({ key: eventKey(e), value: JSON.stringify(e) })),
        });
      }
    },
    async close() {
      if (connected) {
        await connected.catch(() => undefined);
        await producer.disconnect();
      }
    },
  };
}

export interface HttpSinkOptions {
  /** Base URL of the service, e.g. http://127.0.0.1:3000 (events go to `${url}/v1/events`). */
  url: string;
  /** Sent as `Authorization: Bearer <key>` and `x-api-key`. */
  apiKey?: string;
  batchSize?: number;
  /** Attempts per batch on 5xx, 429 and connection errors. Default 8. */
  attempts?: number;
  /** First backoff in ms (doubles, capped at 16 s). Default 250. */
  backoffMs?: number;
  fetch?: typeof fetch;
}

export class HttpSinkError extends Error {
  constructor(
    readonly status: number | undefined,
    message: string,
  ) {
    super(message);
    this.name = 'HttpSinkError';
  }
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** POSTs NDJSON (`application/x-ndjson`) batches to `${url}/v1/events`, retrying with backoff. */
export function httpSink(options: HttpSinkOptions): EventSink {
  const endpoint = `${options.url.replace(/\/+$/, '')}/v1/events`;
  const size = options.batchSize ?? BATCH;
  const attempts = options.attempts ?? 8;
  const backoff = options.backoffMs ?? 250;
  const doFetch = options.fetch ?? fetch;
  const headers: Record<string, string> = { 'content-type': 'application/x-ndjson' };
  if (options.apiKey) {
    headers.authorization = `Bearer ${options.apiKey}`;
    headers['x-api-key'] = options.apiKey;
  }
  async function post(body: string): Promise<void> {
    let lastError = '';
    for (let attempt = 1; attempt <= attempts; attempt++) {
      let status: number | undefined;
      try {
        const res = await doFetch(endpoint, { method: 'POST', headers, body });
        status = res.status;
        if (res.ok) {
          await res.arrayBuffer().catch(() => undefined);
          return;
        }
        const text = (await res.text().catch(() => '')).slice(0, 500);
        lastError = `HTTP ${res.status} from ${endpoint}: ${text}`;
        if (res.status < 500 && res.status !== 429) throw new HttpSinkError(res.status, lastError);
      } catch (error) {
        if (error instanceof HttpSinkError) throw error;
        if (status === undefined)
          lastError = `cannot reach ${endpoint}: ${error instanceof Error ? error.message : String(error)}`;
      }
      if (attempt < attempts) await sleep(Math.min(16_000, backoff * 2 ** (attempt - 1)));
    }
    throw new HttpSinkError(undefined, `${lastError} (gave up after ${attempts} attempts)`);
  }
  return {
    async send(events) {
      for (let i = 0; i < events.length; i += size) {
        let body = '';
        const end = Math.min(events.length, i + size);
        for (let j = i; j < end; j++) body += `${JSON.stringify(events[j])}\n`;
        await post(body);
      }
    },
    async close() {},
  };
}

/** NDJSON to a stream (stdout by default), honouring backpressure. */
export function ndjsonSink(stream: Writable = process.stdout): EventSink {
  return {
    async send(events) {
      let chunk = '';
      for (const e of events) chunk += `${JSON.stringify(e)}\n`;
      if (!stream.write(chunk)) {
        await new Promise<void>((resolve, reject) => {
          const onDrain = () => (stream.off('error', onError), resolve());
          const onError = (err: Error) => (stream.off('drain', onDrain), reject(err));
          stream.once('drain', onDrain);
          stream.once('error', onError);
        });
      }
    },
    async close() {
      if (stream === process.stdout || stream === process.stderr) return;
      await new Promise<void>((resolve) => stream.end(resolve));
    },
  };
}
