// Worker thread for bench/ingest.ts: produces the simulator's events to Kafka, so producing
// does not compete with the consumer for the main thread (in production it is another process).
import { parentPort, workerData } from 'node:worker_threads';
import { simulateHistory } from '../pipelines/simulate/generator.js';
import { eventKey } from '../pipelines/simulate/sinks.js';
import { kafkaClientFor } from '../test/support/kafka-broker.js';

const { bootstrap, topic, events } = workerData as { bootstrap: string[]; topic: string; events: number };
const messages: { key: string; value: string }[] = [];
for (const event of simulateHistory({ days: 120, queues: 5, seed: 3 })) {
  messages.push({ key: eventKey(event), value: JSON.stringify(event) });
  if (messages.length === events) break;
}
const producer = kafkaClientFor(bootstrap, 'bench-producer').producer();
await producer.connect();
parentPort!.postMessage({ ready: true });
await new Promise<void>((resolve) => parentPort!.once('message', () => resolve()));
const started = performance.now();
for (let i = 0; i < messages.length; i += 10_000) {
  const chunk = messages.slice(i, i + 10_000);
  await Promise.all([
    producer.send({ topic, messages: chunk.slice(0, 5_000) }),
    producer.send({ topic, messages: chunk.slice(5_000) }),
  ]);
}
parentPort!.postMessage({ done: true, seconds: (performance.now() - started) / 1000 });
await producer.disconnect();
