// Producing without silent loss on kafkajs 2.2.4. Its send() retries only the brokers that have
// not answered yet; when a partition's leader moves to a broker that already acknowledged its own
// share, the moved partition's messages are never sent again, and send() still resolves (seen on
// the mock cluster; tulios/kafkajs#1798). So kafkajs's per-send retry is switched off and the
// whole record is sent again on any failure: nothing is lost, and what a failed attempt had
// written already comes twice, which the store absorbs (event_id is the idempotency key).
import { setTimeout as delay } from 'node:timers/promises';
import type { Kafka, Producer, ProducerConfig, ProducerRecord, RecordMetadata } from 'kafkajs';

export interface WholeSendOptions {
  /** Attempts per record before giving up. Default 10. */
  attempts?: number;
  /** First wait between attempts, doubling up to 16 s. Default 300 ms. */
  initialRetryMs?: number;
}

/** A kafkajs producer whose own send retry is off: use it with `sendWhole`. */
export function createWholeSendProducer(kafka: Kafka, config: ProducerConfig = {}): Producer {
  return kafka.producer({ ...config, retry: { ...config.retry, retries: 0 } });
}

/** Sends the whole record, again and again on failure, until every partition acknowledged it. */
export async function sendWhole(
  producer: Producer,
  record: ProducerRecord,
  options: WholeSendOptions = {},
): Promise<RecordMetadata[]> {
  const attempts = options.attempts ?? 10;
  const initial = options.initialRetryMs ?? 300;
  for (let attempt = 1; ; attempt++) {
    try {
      return await producer.send(record);
    } catch (error) {
      // With retries off, kafkajs reports a retriable failure as "number of retries exceeded";
      // anything else (authorisation, a record too large) will not get better by sending again.
      if (attempt >= attempts || (error as Error).name !== 'KafkaJSNumberOfRetriesExceeded') throw error;
      await delay(Math.min(16_000, initial * 2 ** (attempt - 1)));
    }
  }
}
